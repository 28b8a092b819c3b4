package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.NotFoundException;
import dev.hookengine.ValidationException;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pausing a config holds its deliveries without losing any: events published while it is paused are
 * recorded and queued, nothing reaches the receiver, and the resume sends each once, oldest first.
 * One delivery thread, so that the receiver sees the claim order (publish order).
 */
class PauseTest extends EndToEndTest {

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(3)).deliveryThreads(1);
    }

    @Test
    void aThousandEventsPublishedWhilePausedArriveAfterTheResumeEachOnceInPublishOrder() {
        WebhookConfig config = engine.createConfig(ORG, ordersConfig().build());
        ConfigControls paused = engine.pauseConfig(ORG, config.id());
        assertThat(paused.paused()).isTrue();
        assertThat(paused.pausedAt()).isEqualTo(clock.instant());

        List<String> published = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            published.add(publish(i));
        }
        clock.advance(Duration.ofHours(1));
        assertThat(engine.deliverDue()).as("nothing is claimed while paused").isZero();
        assertThat(receiver.received()).isEmpty();
        assertThat(store.jobsOfEvent(ORG, published.get(0)).get(0).dueAt()).isEqualTo(DeliveryQueue.PARKED);
        assertThat(store.findEvent(ORG, published.get(999)).orElseThrow().status())
                .isEqualTo(EventStatus.IN_PROGRESS);

        assertThat(engine.resumeConfig(ORG, config.id()).paused()).isFalse();
        int delivered = 0;
        for (int round = 0; round < 1_000 && delivered < 1_000; round++) {
            delivered += engine.deliverDue();
        }

        assertThat(receiver.received())
                .extracting(received -> received.header("webhook-id"))
                .as("each once, in publish order")
                .containsExactlyElementsOf(published);
        assertThat(published)
                .allSatisfy(
                        id -> assertThat(store.findEvent(ORG, id).orElseThrow().status())
                                .isEqualTo(EventStatus.SUCCEEDED));
    }

    @Test
    void aRetryWaitingWhenTheConfigIsPausedWaitsForTheResume() {
        receiver.answer(Answer.of(503));
        WebhookConfig config = engine.createConfig(
                ORG, ordersConfig().retryPolicy(new RetryPolicy(true, 3)).build());
        String eventId = publish(0);
        engine.deliverDue();
        assertThat(receiver.received()).hasSize(1);

        engine.pauseConfig(ORG, config.id());
        clock.advance(Duration.ofHours(2)); // its retry is long due
        assertThat(engine.deliverDue()).isZero();
        assertThat(receiver.received()).hasSize(1);

        engine.resumeConfig(ORG, config.id());
        engine.deliverDue();
        assertThat(receiver.received()).hasSize(2);
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
    }

    @Test
    void aSynchronousTriggerOfAPausedConfigIsQueuedNotSent() {
        WebhookConfig config = engine.createConfig(ORG, ordersConfig().build());
        engine.pauseConfig(ORG, config.id());

        var answer = engine.triggerWebhook(
                ORG,
                config.id(),
                new ExecutionPayload(null, Map.of("a", JsonNodeFactory.instance.numberNode(1))),
                true);

        assertThat(receiver.received()).isEmpty();
        assertThat(store.findEvent(ORG, answer.eventId()).orElseThrow().status())
                .isEqualTo(EventStatus.IN_PROGRESS);
        engine.resumeConfig(ORG, config.id());
        engine.deliverDue();
        assertThat(receiver.received()).extracting(Received::body).hasSize(1);
    }

    @Test
    void pauseAndResumeAreIdempotentAndKeepTheSettings() {
        WebhookConfig config = engine.createConfig(ORG, ordersConfig().build());
        ConfigControls first = engine.pauseConfig(ORG, config.id());
        clock.advance(Duration.ofMinutes(1));

        assertThat(engine.pauseConfig(ORG, config.id()))
                .as("paused since the first pause")
                .isEqualTo(first);
        assertThat(engine.resumeConfig(ORG, config.id())).isEqualTo(ConfigControls.NONE);
        assertThat(engine.resumeConfig(ORG, config.id())).isEqualTo(ConfigControls.NONE);
        assertThat(engine.getControls(ORG, config.id())).isEqualTo(ConfigControls.NONE);
    }

    @Test
    void badSettingsNameTheFieldAndChangeNothing() {
        WebhookConfig config = engine.createConfig(ORG, ordersConfig().build());

        assertThatThrownBy(() -> engine.updateControls(ORG, config.id(), new ConfigControls.Settings(0, null)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxDeliveriesPerSecond");
        assertThatThrownBy(() -> engine.updateControls(
                        ORG,
                        config.id(),
                        new ConfigControls.Settings(ConfigControls.MAX_DELIVERIES_PER_SECOND + 1, null)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxDeliveriesPerSecond");
        assertThatThrownBy(() -> engine.updateControls(
                        ORG, config.id(), new ConfigControls.Settings(null, new ConfigControls.Ordering("entity.("))))
                .as("an ordering key that does not compile")
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("ordering.key");
        assertThatThrownBy(() -> engine.updateControls(
                        ORG, config.id(), new ConfigControls.Settings(null, new ConfigControls.Ordering(" "))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("ordering.key");
        assertThatThrownBy(() -> engine.updateControls(
                        ORG,
                        config.id(),
                        new ConfigControls.Settings(
                                null,
                                new ConfigControls.Ordering("a".repeat(ConfigControls.MAX_ORDERING_KEY_SOURCE + 1)))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("ordering.key");
        assertThatThrownBy(() -> engine.pauseConfig(ORG, "nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.pauseConfig("other-org", config.id())).isInstanceOf(NotFoundException.class);
        assertThat(engine.getControls(ORG, config.id())).isEqualTo(ConfigControls.NONE);
    }

    private String publish(int n) {
        return engine.publish(DomainEvent.builder(ORG, "order_paid")
                        .entity(JsonNodeFactory.instance.objectNode().put("_id", "ord-" + n))
                        .build())
                .eventIds()
                .get(0);
    }
}
