package dev.hookengine.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.OutcomeCode;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How an outcome counts toward its config's failure streak (auto-disable): only an attempt that
 * reached, or tried to reach, the receiver and did not succeed is a failure; an outcome whose cause
 * is elsewhere (the config, a file server, an entity service, the event's shape) counts for nothing.
 */
class AttemptOutcomeHealthTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @ParameterizedTest
    @EnumSource(
            value = OutcomeCode.class,
            names = {
                "CONFIG_NOT_FOUND",
                "CONFIG_INCOMPLETE",
                "CONFIG_DISABLED",
                "SKIPPED",
                "ATTACHMENT_UNAVAILABLE",
                "ATTACHMENT_TOO_LARGE",
                "TOO_MANY_ATTACHMENTS",
                "EVENT_VERSION_UNAVAILABLE",
                "JSONATA_EVALUATION_ERROR",
                "JSONATA_TIMEOUT",
                "JSONATA_LIMIT_EXCEEDED",
                "HYDRATION_UNAVAILABLE",
                "HYDRATION_ERROR",
                "REDISPATCHED"
            })
    void anOutcomeThatNeverCalledTheReceiverCountsForNothing(OutcomeCode code) {
        assertThat(outcome(EventStatus.FAILED, code).health()).isEqualTo(AttemptOutcome.Health.NONE);
    }

    @ParameterizedTest
    @EnumSource(
            value = OutcomeCode.class,
            names = {"TIMEOUT", "CONNECTION_ERROR", "TLS_ERROR", "INTERNAL_RESPONSE_TOO_LARGE"})
    void aReceiverThatCouldNotBeReachedOrAnsweredIsAFailure(OutcomeCode code) {
        assertThat(outcome(EventStatus.IN_PROGRESS, code).health()).isEqualTo(AttemptOutcome.Health.FAILED);
    }

    @Test
    void aDeliveredEventIsASuccess() {
        assertThat(outcome(EventStatus.SUCCEEDED, null).health()).isEqualTo(AttemptOutcome.Health.SUCCEEDED);
    }

    private static AttemptOutcome outcome(EventStatus status, OutcomeCode code) {
        DeliveryJob job = new DeliveryJob("job-1", "org-1", "evt-1", "cfg-1", 0, AT, AT);
        WebhookEvent event = WebhookEvent.builder()
                .eventId("evt-1")
                .orgId("org-1")
                .webhookConfigId("cfg-1")
                .createdAt(AT)
                .status(status)
                .retryAttempt(0)
                .build();
        DeliveryAttempt attempt = new DeliveryAttempt(
                "org-1",
                "evt-1",
                1,
                AT,
                AT.plus(Duration.ofMillis(5)),
                null,
                code == null ? null : code.code(),
                "x",
                null);
        return new AttemptOutcome(
                new ClaimedJob(job, "node-1", AT.plusSeconds(60), 1L),
                attempt,
                event,
                status == EventStatus.IN_PROGRESS ? AT.plusSeconds(5) : null);
    }
}
