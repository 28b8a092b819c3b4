package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.fullEvent;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.EventQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DeliveryQueue#recordOutcomes}: each outcome moves its job and writes its
 * event and attempt, as one unit; a stale claim's outcome writes nothing while the others stand; and
 * a stale and a current holder writing at once neither deadlock nor both win.
 *
 * <p>Part of {@link DeliveryQueueContract}.
 */
public abstract class RecordOutcomesContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    RecordOutcomesContract() {}

    private AttemptOutcome outcome(ClaimedJob claim, EventStatus status, Integer statusCode, Instant retryAt) {
        DeliveryJob job = claim.job();
        WebhookEvent stored = store.findEvent(job.orgId(), job.eventId()).orElseThrow();
        WebhookEvent after = stored.toBuilder()
                .status(status)
                .httpResponse(new EventHttpResponse(statusCode, "answer " + statusCode, null, null))
                .retryAttempt(job.attempt())
                .build();
        return new AttemptOutcome(
                claim, attempt(job.orgId(), job.eventId(), job.attempt() + 1, at(20), statusCode), after, retryAt);
    }

    @Test
    void eachOutcomeMovesItsJobAndWritesItsEventAndAttempt() {
        appendWithJobs(ORG_A, "evt-1", at(0));
        appendWithJobs(ORG_B, "evt-2", at(1));
        List<ClaimedJob> claims = store.claim(at(10), 2, LEASE, "node-1");
        AttemptOutcome delivered = outcome(claims.get(0), EventStatus.SUCCEEDED, 200, null);
        AttemptOutcome retried = outcome(claims.get(1), EventStatus.IN_PROGRESS, 503, at(5_000));

        assertThat(store.recordOutcomes(List.of(delivered, retried))).containsExactly(true, true);

        assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
        assertThat(store.findEvent(ORG_A, "evt-1")).contains(delivered.event());
        assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(delivered.attempt());
        DeliveryJob job = claims.get(1).job();
        assertThat(store.jobsOfEvent(ORG_B, "evt-2"))
                .containsExactly(new DeliveryJob(
                        job.jobId(), job.orgId(), job.eventId(), job.configId(), 1, at(5_000), job.createdAt()));
        assertThat(store.findEvent(ORG_B, "evt-2")).contains(retried.event());
        assertThat(store.attemptsOf(ORG_B, "evt-2")).containsExactly(retried.attempt());
        assertThat(store.claim(at(4_999), 10, LEASE, "node-2"))
                .as("the lease is cleared, the job not yet due")
                .isEmpty();
        assertThat(jobIds(store.claim(at(5_000), 10, LEASE, "node-2"))).containsExactly(job.jobId());
    }

    @Test
    void anOutcomeReplacesTheEventButKeepsIdentityConfigAndCreationTime() {
        WebhookEvent original = fullEvent(ORG_A, "evt-1", "cfg-1", at(100)).toBuilder()
                .status(EventStatus.IN_PROGRESS)
                .build();
        append(original, job("job-1", original, 0, at(100)));
        ClaimedJob claim = store.claim(at(100), 1, LEASE, "node-1").get(0);
        EventHttpResponse response = new EventHttpResponse(
                200, "accepted", JsonNodeFactory.instance.objectNode().put("ok", true), null);
        // as the engine hands it over: the stored event, its identity, config, creation time and
        // payloads as read, with the attempt's outcome applied
        WebhookEvent update = original.toBuilder()
                .url("https://changed.example.com/")
                .status(EventStatus.SUCCEEDED)
                .httpResponse(response)
                .metadata(null)
                .retryAttempt(1)
                .canReapplyTransform(false)
                .canReapplyTransformReason(null)
                .build();

        assertThat(store.recordOutcomes(
                        List.of(new AttemptOutcome(claim, attempt(ORG_A, "evt-1", 1, at(150), 200), update, null))))
                .containsExactly(true);

        WebhookEvent expected =
                update.toBuilder().webhookConfigId("cfg-1").createdAt(at(100)).build();
        assertThat(store.findEvent(ORG_A, "evt-1")).contains(expected);
        assertThat(store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-1", 10)).events())
                .containsExactly(expected);
        assertThat(store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-other", 10))
                        .events())
                .isEmpty();
        assertThat(store.searchEvents(ORG_A, new EventQuery(null, null, null, at(100), at(100), null, 10))
                        .events())
                .containsExactly(expected);
    }

    @Test
    void aStaleClaimsOutcomeWritesNothingAndTheOthersStand() {
        WebhookEvent first = appendWithJobs(ORG_A, "evt-1", at(0));
        ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
        Instant later = at(10).plus(LEASE);
        ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);
        appendWithJobs(ORG_A, "evt-2", at(0));
        ClaimedJob other = store.claim(later, 1, LEASE, "node-1").get(0);
        DeliveryJob held = store.jobsOfEvent(ORG_A, "evt-1").get(0);

        assertThat(store.recordOutcomes(List.of(
                        outcome(stale, EventStatus.FAILED, 500, null),
                        outcome(other, EventStatus.SUCCEEDED, 200, null))))
                .containsExactly(false, true);

        assertThat(store.findEvent(ORG_A, "evt-1")).contains(first);
        assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
        assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(held);
        assertThat(store.claim(later, 1, LEASE, "node-3"))
                .as("the current lease still holds")
                .isEmpty();
        assertThat(store.findEvent(ORG_A, "evt-2").map(WebhookEvent::status)).contains(EventStatus.SUCCEEDED);
        assertThat(store.recordOutcomes(List.of(outcome(current, EventStatus.SUCCEEDED, 200, null))))
                .containsExactly(true);
        assertThat(store.attemptsOf(ORG_A, "evt-1")).hasSize(1);
    }

    @Test
    void anEmptyListWritesNothing() {
        appendWithJobs(ORG_A, "evt-1", at(0));

        assertThat(store.recordOutcomes(List.of())).isEmpty();

        assertThat(store.stats(at(0)).depth()).isEqualTo(1);
    }

    @Test
    void twoOutcomesOfOneClaimAreRefusedWritingNothing() {
        WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
        ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
        AttemptOutcome once = outcome(claim, EventStatus.SUCCEEDED, 200, null);

        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> store.recordOutcomes(List.of(once, once)))
                .withMessageContaining(claim.job().jobId());

        assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
        assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
        assertThat(store.recordOutcomes(List.of(once)))
                .as("the claim still holds")
                .containsExactly(true);
    }

    @Test
    void outcomesOfOneJobUnderTwoClaimsInOneCallWriteOnlyTheCurrentHolders() {
        appendWithJobs(ORG_A, "evt-1", at(0));
        ClaimedJob expired = store.claim(at(10), 1, LEASE, "node-1").get(0);
        ClaimedJob current = store.claim(at(10).plus(LEASE), 1, LEASE, "node-1").get(0);
        AttemptOutcome late = outcome(expired, EventStatus.FAILED, 500, null);
        AttemptOutcome fresh = outcome(current, EventStatus.SUCCEEDED, 200, null);

        assertThat(store.recordOutcomes(List.of(late, fresh))).containsExactly(false, true);

        assertThat(store.findEvent(ORG_A, "evt-1")).contains(fresh.event());
        assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(fresh.attempt());
        assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
    }

    @Test
    void staleAndCurrentHoldersWritingAtOnceNeitherDeadlockNorBothWin() throws Exception {
        int jobs = 100;
        for (int i = 0; i < jobs; i++) {
            appendWithJobs(ORG_A, "evt-" + i, at(i));
        }
        List<ClaimedJob> stale = store.claim(at(1_000), jobs, LEASE, "node-1");
        List<ClaimedJob> current = store.claim(at(1_000).plus(LEASE), jobs, LEASE, "node-2");
        assertThat(stale).hasSize(jobs);
        assertThat(current).hasSize(jobs);
        List<AttemptOutcome> staleOutcomes = new ArrayList<>();
        stale.forEach(claim -> staleOutcomes.add(outcome(claim, EventStatus.FAILED, 500, null)));
        Collections.reverse(staleOutcomes); // the other order from the current holder's
        List<AttemptOutcome> currentOutcomes = new ArrayList<>();
        current.forEach(claim -> currentOutcomes.add(outcome(claim, EventStatus.SUCCEEDED, 200, null)));

        List<List<Boolean>> written =
                runConcurrently(2, thread -> () -> store.recordOutcomes(thread == 0 ? staleOutcomes : currentOutcomes));

        assertThat(written.get(0)).as("stale").containsOnly(false);
        assertThat(written.get(1)).as("current").hasSize(jobs).containsOnly(true);
        for (int i = 0; i < jobs; i++) {
            assertThat(store.findEvent(ORG_A, "evt-" + i).map(WebhookEvent::status))
                    .contains(EventStatus.SUCCEEDED);
            assertThat(store.attemptsOf(ORG_A, "evt-" + i))
                    .extracting(DeliveryAttempt::statusCode)
                    .containsExactly(200);
        }
        assertThat(store.stats(at(1_000).plus(LEASE)).depth()).isZero();
    }
}
