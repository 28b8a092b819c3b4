package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract of FIFO lanes in the queue ({@link DeliveryJob#orderingKey()}): a lane's jobs are
 * handed out one at a time, in the order they were queued, by {@code claim} and {@code claimJob}
 * alike, and whatever holds the first (a lease, live or expired, or a wait for its retry) holds the
 * rest; a retried job takes its lane's later jobs with it to its retry time; lanes of other keys,
 * configs and organizations, and jobs without a lane, are not held; the key round-trips; and
 * concurrent claimers never hold two jobs of one lane at once.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class OrderingContract extends StoreContractSupport {

    private static final Instant RETRY_AT = at(3_600_000);

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    OrderingContract() {}

    @Test
    void aLanesJobsAreClaimedOneAtATimeInQueueOrderBesideOtherLanesAndUnorderedJobs() {
        queue(ORG_A, "e1", "cfg-1", "order-1");
        queue(ORG_A, "e2", "cfg-1", "order-1");
        queue(ORG_A, "e3", "cfg-1", "order-2");
        queue(ORG_A, "e4", "cfg-1", "order-1");
        queue(ORG_A, "e5", "cfg-1", null);

        List<ClaimedJob> first = store.claim(at(10), 10, LEASE, "node-1");
        assertThat(jobIds(first))
                .as("each lane's first, and the job without a lane")
                .containsExactly("job-e1", "job-e3", "job-e5");
        assertThat(store.claim(at(10), 10, LEASE, "node-2"))
                .as("the lane waits while its first is leased")
                .isEmpty();

        assertThat(store.complete(first.get(0))).isTrue();
        List<ClaimedJob> second = store.claim(at(20), 10, LEASE, "node-2");
        assertThat(jobIds(second)).containsExactly("job-e2");
        assertThat(store.complete(second.get(0))).isTrue();
        assertThat(jobIds(store.claim(at(30), 10, LEASE, "node-2"))).containsExactly("job-e4");
        assertThat(store.stats(at(30)).due()).isZero();
    }

    @Test
    void theKeyComesBackWithTheJobFromClaimAndFromJobsOfEvent() {
        queue(ORG_A, "e1", "cfg-1", "customer/7 \u00e9");
        queue(ORG_A, "e2", "cfg-1", "");

        assertThat(store.jobsOfEvent(ORG_A, "e1"))
                .extracting(DeliveryJob::orderingKey)
                .containsExactly("customer/7 \u00e9");
        assertThat(store.claim(at(10), 10, LEASE, "node-1"))
                .extracting(claim -> claim.job().orderingKey())
                .containsExactly("customer/7 \u00e9", "");
    }

    @Test
    void aRetriedFirstHoldsItsLaneUntilItsRetryAndTakesTheLaterJobsToItsRetryTime() {
        queue(ORG_A, "e1", "cfg-1", "order-1");
        queue(ORG_A, "e2", "cfg-1", "order-1");
        queue(ORG_A, "e3", "cfg-1", "order-1");
        queue(ORG_A, "e4", "cfg-1", "order-2");
        ClaimedJob head = store.claim(at(10), 1, LEASE, "node-1").get(0);
        assertThat(head.job().jobId()).isEqualTo("job-e1");

        assertThat(store.recordOutcomes(List.of(retry(head, RETRY_AT)))).containsExactly(true);

        assertThat(store.jobsOfEvent(ORG_A, "e2"))
                .extracting(DeliveryJob::dueAt)
                .as("held to the retry time")
                .containsExactly(RETRY_AT);
        assertThat(store.jobsOfEvent(ORG_A, "e3"))
                .extracting(DeliveryJob::dueAt)
                .containsExactly(RETRY_AT);
        assertThat(store.jobsOfEvent(ORG_A, "e4"))
                .extracting(DeliveryJob::dueAt)
                .as("another lane is not held")
                .containsExactly(at(0));
        List<ClaimedJob> otherLane = store.claim(at(60_000), 10, LEASE, "node-1");
        assertThat(jobIds(otherLane))
                .as("before the retry: only the other lane")
                .containsExactly("job-e4");
        assertThat(store.complete(otherLane.get(0))).isTrue();

        List<ClaimedJob> retried = store.claim(RETRY_AT, 10, LEASE, "node-2");
        assertThat(jobIds(retried)).as("the retry before its lane's later jobs").containsExactly("job-e1");
        assertThat(store.recordOutcomes(List.of(done(retried.get(0))))).containsExactly(true);
        List<ClaimedJob> next = store.claim(RETRY_AT, 10, LEASE, "node-2");
        assertThat(jobIds(next)).containsExactly("job-e2");
        assertThat(store.recordOutcomes(List.of(done(next.get(0))))).containsExactly(true);
        assertThat(jobIds(store.claim(RETRY_AT, 10, LEASE, "node-2"))).containsExactly("job-e3");
    }

    @Test
    void aJobQueuedBehindAWaitingRetryWaitsForIt() {
        queue(ORG_A, "e1", "cfg-1", "order-1");
        ClaimedJob head = store.claim(at(10), 1, LEASE, "node-1").get(0);
        assertThat(store.recordOutcomes(List.of(retry(head, RETRY_AT)))).containsExactly(true);

        queue(ORG_A, "e2", "cfg-1", "order-1");

        assertThat(store.claim(at(60_000), 10, LEASE, "node-1")).isEmpty();
        assertThat(store.claimJob(ORG_A, "job-e2", at(60_000), LEASE, "node-1"))
                .as("claimJob keeps the lane's order too")
                .isEmpty();
        assertThat(jobIds(store.claim(RETRY_AT, 10, LEASE, "node-1"))).containsExactly("job-e1");
    }

    @Test
    void anExpiredLeaseOfTheFirstIsClaimedAgainBeforeTheLaterJobs() {
        queue(ORG_A, "e1", "cfg-1", "order-1");
        queue(ORG_A, "e2", "cfg-1", "order-1");
        assertThat(jobIds(store.claim(at(10), 1, LEASE, "node-1"))).containsExactly("job-e1");

        Instant afterExpiry = at(10).plus(LEASE).plusSeconds(1);

        assertThat(jobIds(store.claim(afterExpiry, 10, LEASE, "node-2"))).containsExactly("job-e1");
    }

    @Test
    void lanesAreSeparatePerConfigAndPerOrganization() {
        queue(ORG_A, "e1", "cfg-1", "order-1");
        queue(ORG_A, "e2", "cfg-1", "order-1");
        queue(ORG_A, "e3", "cfg-2", "order-1");
        queue(ORG_B, "e4", "cfg-1", "order-1");

        assertThat(store.claim(at(10), 10, LEASE, "node-1"))
                .extracting(claim -> claim.job().orgId() + "/" + claim.job().jobId())
                .containsExactly(ORG_A + "/job-e1", ORG_A + "/job-e3", ORG_B + "/" + ORG_B + "-job-e4");
    }

    @Test
    void concurrentClaimersNeverHoldTwoJobsOfOneLaneAndEachLaneGoesOutInOrder() throws Exception {
        int lanes = 4;
        int perLane = 15;
        for (int n = 0; n < perLane; n++) {
            for (int lane = 0; lane < lanes; lane++) {
                queue(ORG_A, "e" + lane + "-" + n, "cfg-1", "lane-" + lane);
            }
        }
        Set<String> held = new HashSet<>();
        Map<String, List<String>> order = new LinkedHashMap<>();
        List<String> overlaps = new ArrayList<>();

        List<Integer> done = runConcurrently(4, thread -> () -> {
            int completed = 0;
            for (int round = 0; round < 10 * lanes * perLane && countAll(held, order) < lanes * perLane; round++) {
                for (ClaimedJob claim : store.claim(at(10), 2, LEASE, "node-" + thread)) {
                    String lane = claim.job().orderingKey();
                    synchronized (held) {
                        if (!held.add(lane)) {
                            overlaps.add(lane + " held twice, at " + claim.job().jobId());
                        }
                        order.computeIfAbsent(lane, l -> new ArrayList<>())
                                .add(claim.job().eventId());
                        // out of the set before the job leaves the queue: only then may the next be claimed
                        held.remove(lane);
                    }
                    assertThat(store.complete(claim)).isTrue();
                    completed++;
                }
            }
            return completed;
        });

        assertThat(overlaps).isEmpty();
        assertThat(done.stream().mapToInt(Integer::intValue).sum()).isEqualTo(lanes * perLane);
        for (int lane = 0; lane < lanes; lane++) {
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < perLane; n++) {
                expected.add("e" + lane + "-" + n);
            }
            assertThat(order.get("lane-" + lane)).as("lane %d", lane).containsExactlyElementsOf(expected);
        }
    }

    /** The jobs claimed so far, under {@code lock}, which guards {@code order} as the claimers write it. */
    private static int countAll(Object lock, Map<String, List<String>> order) {
        synchronized (lock) {
            return order.values().stream().mapToInt(List::size).sum();
        }
    }

    /** Queues one event of {@code configId} with one job due at 0, in lane {@code key} ({@code null}: none). */
    private void queue(String orgId, String eventId, String configId, String key) {
        WebhookEvent event = event(orgId, eventId, configId, at(0), EventStatus.IN_PROGRESS);
        String jobId = orgId.equals(ORG_A) ? "job-" + eventId : orgId + "-job-" + eventId;
        append(event, new DeliveryJob(jobId, orgId, eventId, configId, 0, at(0), at(0), key));
    }

    private AttemptOutcome retry(ClaimedJob claim, Instant retryAt) {
        return outcome(claim, EventStatus.IN_PROGRESS, 503, retryAt);
    }

    private AttemptOutcome done(ClaimedJob claim) {
        return outcome(claim, EventStatus.SUCCEEDED, 200, null);
    }

    private AttemptOutcome outcome(ClaimedJob claim, EventStatus status, int statusCode, Instant retryAt) {
        DeliveryJob job = claim.job();
        WebhookEvent after = store.findEvent(job.orgId(), job.eventId()).orElseThrow().toBuilder()
                .status(status)
                .build();
        return new AttemptOutcome(
                claim, attempt(job.orgId(), job.eventId(), job.attempt() + 1, at(20), statusCode), after, retryAt);
    }
}
