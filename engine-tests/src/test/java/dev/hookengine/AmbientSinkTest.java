package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.EventSink;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebhookEngineBuilder#ambientSink}: the unkeyed publishes write to the sink it answers (the
 * caller's ambient transaction), and to the engine's store when it answers none. The "transaction" here
 * is a second in-memory store, so that where each job went can be counted.
 */
class AmbientSinkTest {

    private static final String ORG = "org-a";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final InMemoryWebhookStore transaction = new InMemoryWebhookStore();
    private final AtomicReference<EventSink> ambient = new AtomicReference<>();
    private final AtomicInteger asked = new AtomicInteger();
    private WebhookEngine engine;

    @BeforeEach
    void setUp() {
        engine = WebhookEngine.builder()
                .store(store)
                .clock(clock)
                .ambientSink(() -> {
                    asked.incrementAndGet();
                    return Optional.ofNullable(ambient.get());
                })
                .build();
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("orders")
                        .eventName("order_created")
                        .url("https://shop.example.com/hooks")
                        .build());
    }

    @Test
    void publishWritesToTheAmbientSinkWhenThereIsOne() {
        ambient.set(transaction);

        engine.publish(orderCreated("ord-1"));
        engine.publishAll(List.of(orderCreated("ord-2"), orderCreated("ord-3")));

        assertThat(transaction.stats(NOW).depth()).isEqualTo(3);
        assertThat(store.stats(NOW).depth()).isZero();
    }

    @Test
    void publishWritesToTheStoreWhenTheAmbientSinkAnswersNone() {
        engine.publish(orderCreated("ord-1"));
        engine.publishAll(List.of(orderCreated("ord-2")));

        assertThat(asked).hasValue(2);
        assertThat(store.stats(NOW).depth()).isEqualTo(2);
        assertThat(transaction.stats(NOW).depth()).isZero();
    }

    @Test
    void keyedPublishAndExplicitSinkNeverAskTheAmbientSink() {
        ambient.set(transaction);

        engine.publish(orderCreated("ord-1"), "key-1");
        engine.publish(orderCreated("ord-2"), (EventSink) store);

        assertThat(asked).hasValue(0);
        assertThat(store.stats(NOW).depth()).isEqualTo(2);
        assertThat(transaction.stats(NOW).depth()).isZero();
    }

    @Test
    void builderRefusesNoAmbientSink() {
        assertThatThrownBy(() -> WebhookEngine.builder().ambientSink(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("ambientSink");
    }

    private static DomainEvent orderCreated(String id) {
        return DomainEvent.builder(ORG, "order_created")
                .entity(JsonNodeFactory.instance.objectNode().put("_id", id))
                .build();
    }
}
