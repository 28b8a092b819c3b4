package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.StoredConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@code ConfigStore.replaceControls} and of what a pause does to the queue: controls
 * round-trip and survive the config's other writes; the revision compare-and-set; a pause parks the
 * config's queued jobs and keeps all of them, those appended later included, from {@code claim} and
 * {@code claimJob}; a leased job stays with its holder; a resume makes the parked jobs due in the
 * order they were queued; deleting a paused config frees its jobs; organizations are separate.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class ConfigControlsContract extends StoreContractSupport {

    private static final ConfigControls LIMITED =
            ConfigControls.NONE.withSettings(50, new ConfigControls.Ordering("entity._id"));
    private static final Instant LATER = at(3_600_000);

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    ConfigControlsContract() {}

    @Test
    void controlsStartEmptyAndComeBackAsReplacedAtTheNextRevision() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().controls()).isEqualTo(ConfigControls.NONE);

        ConfigControls controls = LIMITED.withDisabled("its receiver answered 410 Gone", at(7));
        StoredConfig replaced =
                store.replaceControls(ORG_A, "cfg-1", controls, 1L, at(10)).orElseThrow();

        assertThat(replaced.controls()).isEqualTo(controls);
        assertThat(replaced.revision()).isEqualTo(2L);
        assertThat(replaced.config()).isEqualTo(config("cfg-1", "order.created", at(0)));
        assertThat(store.findConfig(ORG_A, "cfg-1")).contains(replaced);
        assertThat(store.listConfigs(ORG_A, null)).containsExactly(replaced);
    }

    @Test
    void replacingTheConfigOrRotatingItsSecretKeepsItsControls() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        store.replaceControls(ORG_A, "cfg-1", LIMITED, 1L, at(10)).orElseThrow();

        StoredConfig renamed = store.replaceConfig(
                        ORG_A,
                        config("cfg-1", "order.created", at(0)).toBuilder()
                                .name("renamed")
                                .build(),
                        2L)
                .orElseThrow();
        assertThat(renamed.controls()).isEqualTo(LIMITED);
        StoredConfig rotated = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_other"), at(100), at(20))
                .orElseThrow();
        assertThat(rotated.controls()).isEqualTo(LIMITED);
        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().controls()).isEqualTo(LIMITED);
    }

    @Test
    void aStaleRevisionOrAnUnknownConfigChangesNothing() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        store.replaceControls(ORG_A, "cfg-1", LIMITED, 1L, at(10)).orElseThrow();

        assertThat(store.replaceControls(ORG_A, "cfg-1", ConfigControls.NONE.withPause(at(20)), 1L, at(20)))
                .isEmpty();
        assertThat(store.replaceControls(ORG_A, "nope", LIMITED, 1L, at(20))).isEmpty();
        assertThat(store.replaceControls(ORG_B, "cfg-1", LIMITED, 2L, at(20))).isEmpty();
        StoredConfig stored = store.findConfig(ORG_A, "cfg-1").orElseThrow();
        assertThat(stored.controls()).isEqualTo(LIMITED);
        assertThat(stored.revision()).isEqualTo(2L);
    }

    @Test
    void ofConcurrentReplacesOfOneRevisionExactlyOneWins() throws Exception {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));

        List<Boolean> won = runConcurrently(
                8,
                i -> () -> store.replaceControls(
                                ORG_A, "cfg-1", ConfigControls.NONE.withSettings(i + 1, null), 1L, at(10))
                        .isPresent());

        assertThat(won).containsOnlyOnce(true);
        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().revision()).isEqualTo(2L);
    }

    @Test
    void aPausedConfigsJobsAreParkedAndNeverClaimedWhileOthersAre() {
        pausable("cfg-1", "cfg-2");
        queue(ORG_A, "e1", "cfg-1", at(0));
        queue(ORG_A, "e2", "cfg-2", at(0));
        queue(ORG_A, "e3", "cfg-1", at(5));

        pause(ORG_A, "cfg-1", at(10));

        assertThat(store.jobsOfEvent(ORG_A, "e1"))
                .extracting(DeliveryJob::dueAt)
                .containsExactly(DeliveryQueue.PARKED);
        assertThat(jobIds(store.claim(LATER, 10, LEASE, "node-1")))
                .as("only the other config's job")
                .containsExactly("job-e2");
        assertThat(store.claimJob(ORG_A, "job-e1", LATER, LEASE, "node-1")).isEmpty();
        assertThat(store.stats(LATER).due()).isZero();
        assertThat(store.stats(LATER).depth()).isEqualTo(3);
    }

    @Test
    void jobsQueuedWhilePausedWaitAndTheResumeMakesEveryOneDueInQueueOrder() {
        pausable("cfg-1");
        queue(ORG_A, "e1", "cfg-1", at(0));
        pause(ORG_A, "cfg-1", at(10));
        // appended by a node that had not seen the pause (due at once), and by one that had (parked)
        queue(ORG_A, "e2", "cfg-1", at(20));
        queue(ORG_A, "e3", "cfg-1", DeliveryQueue.PARKED);
        queue(ORG_A, "e4", "cfg-1", at(30));

        assertThat(store.claim(LATER, 10, LEASE, "node-1")).isEmpty();
        assertThat(store.claimJob(ORG_A, "job-e2", LATER, LEASE, "node-1")).isEmpty();

        resume(ORG_A, "cfg-1", at(1_000));

        assertThat(jobIds(store.claim(at(1_000), 10, LEASE, "node-1")))
                .as("parked or due, in the order queued")
                .containsExactly("job-e1", "job-e2", "job-e3", "job-e4");
    }

    @Test
    void aJobLeasedWhenTheConfigIsPausedStaysWithItsHolderAndItsRetryWaitsForTheResume() {
        pausable("cfg-1");
        queue(ORG_A, "e1", "cfg-1", at(0));
        ClaimedJob held = store.claim(at(0), 1, LEASE, "node-1").get(0);

        pause(ORG_A, "cfg-1", at(10));

        assertThat(store.renewLease(held, at(20), LEASE)).isPresent();
        assertThat(store.reschedule(held, 1, at(30))).isTrue();
        assertThat(store.claim(LATER, 10, LEASE, "node-2"))
                .as("its retry is due, but paused")
                .isEmpty();
        resume(ORG_A, "cfg-1", at(100));
        assertThat(jobIds(store.claim(LATER, 10, LEASE, "node-2"))).containsExactly("job-e1");
    }

    @Test
    void deletingAPausedConfigFreesItsJobsForTheWorkersToEnd() {
        pausable("cfg-1");
        queue(ORG_A, "e1", "cfg-1", at(0));
        pause(ORG_A, "cfg-1", at(10));

        assertThat(store.deleteConfig(ORG_A, "cfg-1")).isTrue();

        assertThat(jobIds(store.claim(at(20), 10, LEASE, "node-1"))).containsExactly("job-e1");
    }

    @Test
    void pausingOneOrganizationsConfigLeavesTheSameIdOfAnotherAlone() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        store.insertConfig(ORG_B, config("cfg-1", "order.created", at(0)));
        queue(ORG_A, "e1", "cfg-1", at(0));
        queue(ORG_B, "e1", "cfg-1", at(0));

        pause(ORG_A, "cfg-1", at(10));

        assertThat(store.claim(LATER, 10, LEASE, "node-1"))
                .extracting(claim -> claim.job().orgId())
                .containsExactly(ORG_B);
        assertThat(store.findConfig(ORG_B, "cfg-1").orElseThrow().controls().paused())
                .isFalse();
    }

    private void pausable(String... configIds) {
        for (String id : configIds) {
            store.insertConfig(ORG_A, config(id, "order.created", at(0)));
        }
    }

    private void queue(String orgId, String eventId, String configId, Instant dueAt) {
        WebhookEvent event = event(orgId, eventId, configId, at(0), EventStatus.IN_PROGRESS);
        append(event, job(orgId.equals(ORG_A) ? "job-" + eventId : orgId + "-job-" + eventId, event, 0, dueAt));
    }

    private void pause(String orgId, String configId, Instant now) {
        StoredConfig current = store.findConfig(orgId, configId).orElseThrow();
        Optional<StoredConfig> paused =
                store.replaceControls(orgId, configId, current.controls().withPause(now), current.revision(), now);
        assertThat(paused).as("pause %s/%s", orgId, configId).isPresent();
        assertThat(paused.get().controls().paused()).isTrue();
    }

    private void resume(String orgId, String configId, Instant now) {
        StoredConfig current = store.findConfig(orgId, configId).orElseThrow();
        assertThat(store.replaceControls(orgId, configId, current.controls().withPause(null), current.revision(), now))
                .as("resume %s/%s", orgId, configId)
                .isPresent();
    }
}
