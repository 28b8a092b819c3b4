package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.OutcomeCode;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.FailingConfig;
import dev.hookengine.spi.StoredConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a config's delivery health: what {@code DeliveryQueue.recordOutcomes} keeps of
 * each outcome ({@code AttemptOutcome.health()}) and {@code ConfigStore.failingConfigs} finds. A
 * streak begins at its first failed attempt's end and counts every failed attempt, retried or final;
 * a success ends it; outcomes of one call count in list order, per config; an outcome that sent
 * nothing, or of a stale claim, counts for nothing; a config is found only when both thresholds hold,
 * only while it is enabled, and not once deleted; enabling a disabled config starts its health over;
 * organizations are separate.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class ConfigHealthContract extends StoreContractSupport {

    /** Far enough ahead that every streak of these tests began before it. */
    private static final Instant ANY_TIME = at(100 * 86_400_000L);

    private int events;

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    ConfigHealthContract() {}

    private void configs(String orgId, String... ids) {
        for (String id : ids) {
            assertThat(store.insertConfig(orgId, config(id, "order.created", T0)))
                    .isTrue();
        }
    }

    /** A new event of the config, its job claimed: what an outcome is recorded for. */
    private ClaimedJob claimed(String orgId, String configId) {
        String eventId = "evt-" + (++events);
        WebhookEvent event = event(orgId, eventId, configId, T0, EventStatus.IN_PROGRESS);
        append(event, job(orgId + "-" + eventId + "-job", event, 0, T0));
        return store.claimJob(orgId, orgId + "-" + eventId + "-job", T0, LEASE, "node-1")
                .orElseThrow();
    }

    private AttemptOutcome failed(ClaimedJob claim, Instant endedAt) {
        // a retried attempt: its event stays in progress and its job is rescheduled
        return outcome(claim, EventStatus.IN_PROGRESS, 503, null, endedAt, endedAt.plusSeconds(3_600));
    }

    private AttemptOutcome failedForGood(ClaimedJob claim, Instant endedAt) {
        return outcome(claim, EventStatus.FAILED, null, OutcomeCode.CONNECTION_ERROR, endedAt, null);
    }

    private AttemptOutcome succeeded(ClaimedJob claim, Instant endedAt) {
        return outcome(claim, EventStatus.SUCCEEDED, 200, null, endedAt, null);
    }

    private AttemptOutcome outcome(
            ClaimedJob claim,
            EventStatus status,
            Integer statusCode,
            OutcomeCode code,
            Instant endedAt,
            Instant retryAt) {
        WebhookEvent stored =
                store.findEvent(claim.job().orgId(), claim.job().eventId()).orElseThrow();
        String codeText = code == null ? null : code.code();
        WebhookEvent after = stored.toBuilder()
                .status(status)
                .httpResponse(new EventHttpResponse(statusCode, "answer", null, codeText))
                .build();
        DeliveryAttempt attempt = new DeliveryAttempt(
                claim.job().orgId(),
                claim.job().eventId(),
                1,
                endedAt.minusMillis(100),
                endedAt,
                statusCode,
                codeText,
                statusCode == null ? "failed" : null);
        return new AttemptOutcome(claim, attempt, after, retryAt);
    }

    private void record(AttemptOutcome... outcomes) {
        assertThat(store.recordOutcomes(List.of(outcomes)))
                .as("every outcome written")
                .allMatch(Boolean::booleanValue);
    }

    private List<FailingConfig> failing() {
        return store.failingConfigs(ANY_TIME, 1, 100);
    }

    @Test
    void aStreakBeginsAtItsFirstFailureAndCountsEveryFailedAttempt() {
        configs(ORG_A, "cfg-1");
        assertThat(failing()).as("a new config is healthy").isEmpty();

        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)));
        record(failedForGood(claimed(ORG_A, "cfg-1"), at(2_000)));
        record(failed(claimed(ORG_A, "cfg-1"), at(3_000)), failed(claimed(ORG_A, "cfg-1"), at(4_000)));

        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-1", at(1_000), 4));
    }

    @Test
    void aSuccessEndsTheStreakAndTheNextFailureBeginsANewOne() {
        configs(ORG_A, "cfg-1");
        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)));
        record(failed(claimed(ORG_A, "cfg-1"), at(2_000)));

        record(succeeded(claimed(ORG_A, "cfg-1"), at(3_000)));
        assertThat(failing()).isEmpty();
        record(succeeded(claimed(ORG_A, "cfg-1"), at(3_500)));
        assertThat(failing()).as("a success on a healthy config").isEmpty();

        record(failed(claimed(ORG_A, "cfg-1"), at(4_000)));
        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-1", at(4_000), 1));
    }

    @Test
    void outcomesOfOneCallCountInListOrderPerConfig() {
        configs(ORG_A, "cfg-1", "cfg-2", "cfg-3", "cfg-4");
        record(failed(claimed(ORG_A, "cfg-1"), at(500)));
        record(failed(claimed(ORG_A, "cfg-4"), at(600)));
        ClaimedJob[] claims = new ClaimedJob[8];
        String[] configOf = {"cfg-1", "cfg-2", "cfg-1", "cfg-2", "cfg-2", "cfg-3", "cfg-4", "cfg-4"};
        for (int i = 0; i < claims.length; i++) {
            claims[i] = claimed(ORG_A, configOf[i]);
        }

        record(
                failed(claims[0], at(1_000)), // cfg-1: its streak goes on
                failed(claims[1], at(1_100)), // cfg-2: begins a streak...
                failed(claims[2], at(1_200)),
                succeeded(claims[3], at(1_300)), // ...which this ends
                failed(claims[4], at(1_400)), // and this begins anew
                succeeded(claims[5], at(1_500)), // cfg-3: stays healthy
                failed(claims[6], at(1_600)), // cfg-4: its streak ends in this call
                succeeded(claims[7], at(1_700)));

        assertThat(failing())
                .containsExactly(
                        new FailingConfig(ORG_A, "cfg-1", at(500), 3), new FailingConfig(ORG_A, "cfg-2", at(1_400), 1));
    }

    @Test
    void aConfigIsFoundOnlyWhenItsStreakIsOldEnoughAndLongEnough() {
        configs(ORG_A, "cfg-1");
        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)));
        record(failed(claimed(ORG_A, "cfg-1"), at(2_000)), failed(claimed(ORG_A, "cfg-1"), at(3_000)));
        FailingConfig found = new FailingConfig(ORG_A, "cfg-1", at(1_000), 3);

        assertThat(store.failingConfigs(at(999), 1, 10))
                .as("the streak began after")
                .isEmpty();
        assertThat(store.failingConfigs(at(1_000), 3, 10))
                .as("both hold, exactly")
                .containsExactly(found);
        assertThat(store.failingConfigs(at(1_000), 4, 10))
                .as("too few attempts")
                .isEmpty();
        assertThat(store.failingConfigs(at(5_000), 3, 10)).containsExactly(found);
    }

    @Test
    void longestFailingComeFirstUpToTheLimit() {
        configs(ORG_A, "cfg-1", "cfg-2", "cfg-3");
        configs(ORG_B, "cfg-0");
        record(failed(claimed(ORG_A, "cfg-2"), at(1_000)));
        record(failed(claimed(ORG_A, "cfg-3"), at(2_000)));
        record(failed(claimed(ORG_A, "cfg-1"), at(2_000)));
        record(failed(claimed(ORG_B, "cfg-0"), at(2_000)));

        assertThat(failing())
                .containsExactly(
                        new FailingConfig(ORG_A, "cfg-2", at(1_000), 1),
                        new FailingConfig(ORG_A, "cfg-1", at(2_000), 1),
                        new FailingConfig(ORG_A, "cfg-3", at(2_000), 1),
                        new FailingConfig(ORG_B, "cfg-0", at(2_000), 1));
        assertThat(store.failingConfigs(ANY_TIME, 1, 2))
                .containsExactly(
                        new FailingConfig(ORG_A, "cfg-2", at(1_000), 1),
                        new FailingConfig(ORG_A, "cfg-1", at(2_000), 1));
    }

    @Test
    void anOutcomeThatSentNothingOrOfAStaleClaimCountsForNothing() {
        configs(ORG_A, "cfg-1");
        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)));

        record(outcome(
                claimed(ORG_A, "cfg-1"), EventStatus.FAILED, null, OutcomeCode.CONFIG_DISABLED, at(2_000), null));
        ClaimedJob stale = claimed(ORG_A, "cfg-1");
        ClaimedJob current = store.claimJob(ORG_A, stale.job().jobId(), T0.plus(LEASE), LEASE, "node-2")
                .orElseThrow();
        assertThat(store.recordOutcomes(List.of(succeeded(stale, at(3_000))))).containsExactly(false);

        assertThat(failing())
                .as("neither the refusal nor the stale success")
                .containsExactly(new FailingConfig(ORG_A, "cfg-1", at(1_000), 1));
        record(failed(current, at(4_000)));
        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-1", at(1_000), 2));
    }

    @Test
    void aDisabledConfigIsNotFoundAndEnablingItStartsItsHealthOver() {
        configs(ORG_A, "cfg-1");
        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)));
        WebhookConfig enabled = store.findConfig(ORG_A, "cfg-1").orElseThrow().config();

        StoredConfig disabled = store.replaceConfig(
                        ORG_A, enabled.toBuilder().enabled(false).build(), 1L)
                .orElseThrow();
        assertThat(failing()).as("disabled").isEmpty();
        record(failed(claimed(ORG_A, "cfg-1"), at(2_000)));
        assertThat(failing()).as("disabled, failing still").isEmpty();

        store.replaceConfig(ORG_A, enabled, disabled.revision()).orElseThrow();
        assertThat(failing()).as("enabled again: healthy").isEmpty();
        record(failed(claimed(ORG_A, "cfg-1"), at(3_000)));
        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-1", at(3_000), 1));
    }

    @Test
    void replacingAnEnabledConfigKeepsItsHealth() {
        configs(ORG_A, "cfg-1");
        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)));
        WebhookConfig config = store.findConfig(ORG_A, "cfg-1").orElseThrow().config();

        store.replaceConfig(ORG_A, config.toBuilder().name("renamed").build(), 1L)
                .orElseThrow();

        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-1", at(1_000), 1));
    }

    @Test
    void aDeletedConfigLeavesNothing() {
        configs(ORG_A, "cfg-1", "cfg-2");
        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)), failed(claimed(ORG_A, "cfg-2"), at(1_000)));

        assertThat(store.deleteConfig(ORG_A, "cfg-1")).isTrue();

        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-2", at(1_000), 1));
    }

    @Test
    void organizationsKeepTheirOwnHealth() {
        configs(ORG_A, "cfg-1");
        configs(ORG_B, "cfg-1");
        record(failed(claimed(ORG_A, "cfg-1"), at(1_000)), failed(claimed(ORG_B, "cfg-1"), at(2_000)));

        record(succeeded(claimed(ORG_B, "cfg-1"), at(3_000)));
        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-1", at(1_000), 1));
        WebhookConfig other = store.findConfig(ORG_B, "cfg-1").orElseThrow().config();
        store.replaceConfig(ORG_B, other.toBuilder().enabled(false).build(), 1L).orElseThrow();
        store.replaceConfig(ORG_B, other, 2L).orElseThrow();
        assertThat(store.deleteConfig(ORG_B, "cfg-1")).isTrue();

        assertThat(failing()).containsExactly(new FailingConfig(ORG_A, "cfg-1", at(1_000), 1));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> store.failingConfigs(T0, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.failingConfigs(T0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.failingConfigs(null, 1, 10)).isInstanceOf(NullPointerException.class);
    }
}
