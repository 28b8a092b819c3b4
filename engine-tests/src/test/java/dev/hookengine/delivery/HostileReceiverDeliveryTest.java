package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.testing.HostileReceiver;
import dev.hookengine.testing.HostileReceiver.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hostile receivers through the whole engine: what the event records. The transport's own bounds
 * (threads, bytes, connections, under 50 at once) are {@code HostileReceiverTest}'s in engine-http;
 * here, that each behaviour ends as the code the package documentation of {@code dev.hookengine.http}
 * promises, and whether it is retried.
 */
class HostileReceiverDeliveryTest extends EndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(DEADLINE);
    }

    /** Delivers one event to {@code receiver} and returns it as recorded after the first attempt. */
    private WebhookEvent deliverOnceTo(HostileReceiver receiver) {
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("hostile")
                        .eventName("order_paid")
                        .url(receiver.url("/hook"))
                        .build());
        String eventId = engine.publish(DomainEvent.builder(ORG, "order_paid")
                        .entity(JsonNodeFactory.instance.objectNode().put("n", 1))
                        .build())
                .eventIds()
                .get(0);

        long started = System.nanoTime();
        assertThat(engine.deliverDue()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("the attempt ends by its deadline, with room for a busy machine")
                .isLessThan(DEADLINE.plusSeconds(2));
        return store.findEvent(ORG, eventId).orElseThrow();
    }

    @Test
    void aNeverEndingBodySucceedsWithItsStatusAndIsRecordedAsTooLarge() throws Exception {
        try (HostileReceiver endless = HostileReceiver.start(Mode.ENDLESS_BODY)) {
            WebhookEvent event = deliverOnceTo(endless);

            assertThat(event.status()).isEqualTo(EventStatus.SUCCEEDED);
            assertThat(event.httpResponse().statusCode()).isEqualTo(200);
            assertThat(event.httpResponse().code()).isEqualTo(OutcomeCode.INTERNAL_RESPONSE_TOO_LARGE.code());
            assertThat(event.httpResponse().body()).isNull();
        }
    }

    @Test
    void aSlowDripBodyIsATimeoutAndIsRetried() throws Exception {
        try (HostileReceiver drip = HostileReceiver.start(Mode.SLOW_DRIP)) {
            WebhookEvent event = deliverOnceTo(drip);

            assertThat(event.status()).as("retried").isEqualTo(EventStatus.IN_PROGRESS);
            assertThat(event.httpResponse().code()).isEqualTo(OutcomeCode.TIMEOUT.code());
            assertThat(event.httpResponse().statusCode()).isNull();
            assertThat(store.jobsOfEvent(ORG, event.eventId())).hasSize(1);
        }
    }

    @Test
    void aResetAfterTheHeadersIsAConnectionErrorAndIsRetried() throws Exception {
        try (HostileReceiver reset = HostileReceiver.start(Mode.RESET_AFTER_HEADERS)) {
            WebhookEvent event = deliverOnceTo(reset);

            assertThat(event.status()).as("retried").isEqualTo(EventStatus.IN_PROGRESS);
            assertThat(event.httpResponse().code()).isEqualTo(OutcomeCode.CONNECTION_ERROR.code());
            assertThat(event.httpResponse().statusCode())
                    .as("the 200 whose body never came is no answer")
                    .isNull();
            assertThat(store.jobsOfEvent(ORG, event.eventId())).hasSize(1);
        }
    }
}
