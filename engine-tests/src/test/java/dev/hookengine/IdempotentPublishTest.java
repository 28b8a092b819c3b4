package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing with an idempotency key ({@link WebhookEngine#publish(DomainEvent, String)}) over the
 * real in-memory store: one set of events per key within the window, the first result again, a
 * different event under the key refused, the key free after the window, bad keys refused.
 */
class IdempotentPublishTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "org-a";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private WebhookEngine engine;
    private WebhookConfig delivering;
    private WebhookConfig transforming;
    private WebhookConfig filtering;

    @BeforeEach
    void setUp() {
        engine = WebhookEngine.builder().store(store).clock(clock).build();
        delivering = engine.createConfig(ORG, config("all").build());
        clock.advance(Duration.ofSeconds(1)); // so that creation order is unambiguous
        transforming = engine.createConfig(
                ORG,
                config("mapped").jsonataExpression("{ 'order': entity._id }").build());
        clock.advance(Duration.ofSeconds(1));
        filtering = engine.createConfig(
                ORG,
                config("big orders")
                        .filterConditions(new WebhookConditionGroup(
                                List.of(new WebhookCondition(
                                        "entity.total",
                                        ConditionOperation.GREATER_THAN,
                                        List.of("100"),
                                        FieldType.NUMBER,
                                        null,
                                        null,
                                        null)),
                                null))
                        .build());
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static WebhookConfig.Builder config(String name) {
        return WebhookConfig.builder().name(name).eventName("order_paid").url("https://shop.example.com/hooks");
    }

    private static DomainEvent orderPaid(String orgId, String entity) {
        try {
            return DomainEvent.builder(orgId, "order_paid")
                    .entity((ObjectNode) JSON.readTree(entity))
                    .build();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static DomainEvent orderPaid(String entity) {
        return orderPaid(ORG, entity);
    }

    private List<WebhookEvent> eventsOf(String orgId) {
        return store.searchEvents(orgId, new EventQuery(null, null, null, null, null, null, 100))
                .events();
    }

    @Test
    void theSameKeyTwiceRecordsOneSetOfEventsAndAnswersTheFirstResultAgain() {
        PublishResult first = engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42}"), "order-1-paid");
        clock.advance(Duration.ofMinutes(5));

        PublishResult second = engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42}"), "order-1-paid");

        assertThat(second).isEqualTo(first);
        assertThat(first.dispatches())
                .extracting(Dispatch::configId)
                .containsExactly(delivering.id(), transforming.id(), filtering.id());
        assertThat(first.dispatches())
                .hasExactlyElementsOfTypes(Dispatch.Deliver.class, Dispatch.Deliver.class, Dispatch.Skip.class);
        assertThat(((Dispatch.Deliver) first.dispatches().get(1)).body())
                .isEqualTo(JSON.createObjectNode().put("order", "ord-1"));
        assertThat(eventsOf(ORG))
                .extracting(WebhookEvent::eventId)
                .containsExactlyInAnyOrderElementsOf(first.eventIds());
        assertThat(store.stats(clock.instant()).depth())
                .as("one job per delivering config")
                .isEqualTo(2);
    }

    @Test
    void theFirstResultIsAnsweredWithItsOwnPayloadsNotARebuiltOne() {
        PublishResult first = engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42}"), "key-1");

        PublishResult second = engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42}"), "key-1");

        // Each publish draws a new correlation id: the second answer carries the first one's.
        String correlation = first.dispatches()
                .get(0)
                .payload()
                .at("/metadata/correlation_id")
                .asText();
        assertThat(correlation).isNotBlank();
        assertThat(second.dispatches()
                        .get(0)
                        .payload()
                        .at("/metadata/correlation_id")
                        .asText())
                .isEqualTo(correlation);
    }

    @Test
    void theSameEventWithItsPropertiesInAnotherOrderIsTheSameEvent() {
        PublishResult first =
                engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42,\"x\":{\"a\":1,\"b\":2}}"), "k");

        PublishResult second =
                engine.publish(orderPaid("{\"x\":{\"b\":2,\"a\":1},\"total\":42,\"_id\":\"ord-1\"}"), "k");

        assertThat(second).isEqualTo(first);
        assertThat(eventsOf(ORG)).hasSize(3);
    }

    @Test
    void aDifferentEventUnderAUsedKeyIsRefusedAndCreatesNothing() {
        engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42}"), "order-1-paid");

        assertThatThrownBy(() -> engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":43}"), "order-1-paid"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("Idempotency key already used for a different event")
                .hasMessageNotContaining("order-1-paid");
        DomainEvent otherName = DomainEvent.builder(ORG, "order_refunded")
                .entity(JSON.createObjectNode().put("_id", "ord-1").put("total", 42))
                .build();
        assertThatThrownBy(() -> engine.publish(otherName, "order-1-paid")).isInstanceOf(ConflictException.class);

        assertThat(eventsOf(ORG)).as("only the first publish's events").hasSize(3);
        assertThat(store.stats(clock.instant()).depth()).isEqualTo(2);
    }

    @Test
    void aKeyIsFreeAgainOnceTheWindowHasPassed() {
        PublishResult first = engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42}"), "key-1");
        clock.advance(WebhookEngineBuilder.DEFAULT_IDEMPOTENCY_WINDOW.minusMillis(1));
        assertThat(engine.publish(orderPaid("{\"_id\":\"ord-1\",\"total\":42}"), "key-1"))
                .isEqualTo(first);

        clock.advance(Duration.ofMillis(1));
        PublishResult afterTheWindow = engine.publish(orderPaid("{\"_id\":\"ord-2\",\"total\":7}"), "key-1");

        assertThat(afterTheWindow.eventIds()).hasSize(3).doesNotContainAnyElementsOf(first.eventIds());
        assertThat(eventsOf(ORG)).hasSize(6);
        assertThat(engine.publish(orderPaid("{\"_id\":\"ord-2\",\"total\":7}"), "key-1"))
                .as("the key now answers with the new publish")
                .isEqualTo(afterTheWindow);
    }

    @Test
    void theWindowIsASettingOfTheEngineAndMustBePositive() {
        WebhookEngine shortWindow = WebhookEngine.builder()
                .store(store)
                .clock(clock)
                .idempotencyWindow(Duration.ofMinutes(10))
                .build();
        PublishResult first = shortWindow.publish(orderPaid("{\"_id\":\"ord-1\"}"), "key-1");
        clock.advance(Duration.ofMinutes(10));

        assertThat(shortWindow
                        .publish(orderPaid("{\"_id\":\"ord-1\"}"), "key-1")
                        .eventIds())
                .doesNotContainAnyElementsOf(first.eventIds());
        assertThat(shortWindow.config().idempotencyWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(engine.config().idempotencyWindow()).isEqualTo(Duration.ofHours(24));
        for (Duration wrong : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThatThrownBy(() -> WebhookEngine.builder()
                            .store(store)
                            .idempotencyWindow(wrong)
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("idempotencyWindow must be positive");
        }
    }

    @Test
    void keysArePerOrganization() {
        WebhookConfig ofB = engine.createConfig("org-b", config("b").build());
        PublishResult inA = engine.publish(orderPaid("{\"_id\":\"ord-1\"}"), "shared");

        PublishResult inB = engine.publish(orderPaid("org-b", "{\"_id\":\"ord-1\"}"), "shared");

        assertThat(inB.dispatches()).extracting(Dispatch::configId).containsExactly(ofB.id());
        assertThat(inB.eventIds()).doesNotContainAnyElementsOf(inA.eventIds());
        assertThat(eventsOf("org-b")).hasSize(1);
    }

    @Test
    void aPublishThatNoConfigWantsTakesItsKeyToo() {
        DomainEvent nobodysEvent = orderPaid("org-c", "{\"_id\":\"ord-1\"}");
        PublishResult first = engine.publish(nobodysEvent, "key-1");
        engine.createConfig("org-c", config("late").build());

        assertThat(engine.publish(nobodysEvent, "key-1")).isEqualTo(first);
        assertThat(first.eventIds()).isEmpty();
        assertThat(eventsOf("org-c")).isEmpty();
    }

    @Test
    void badKeysAreRefusedByNameAndChangeNothing() {
        String longest = "k".repeat(255);
        List<String> wrong = List.of("", "   ", "k".repeat(256), "line\nbreak", "nul\u0000", "half \uD83D pair");
        for (String key : wrong) {
            assertThatThrownBy(() -> engine.publish(orderPaid("{\"_id\":\"ord-1\"}"), key))
                    .as("key %s", key.length() > 20 ? key.length() + " characters" : key)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("Invalid request: idempotencyKey: ");
        }
        assertThatThrownBy(() -> engine.publish(orderPaid("{\"_id\":\"ord-1\"}"), (String) null))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid request: idempotencyKey: is required");
        assertThat(eventsOf(ORG)).isEmpty();

        assertThat(engine.publish(orderPaid("{\"_id\":\"ord-1\"}"), longest).eventIds())
                .hasSize(3);
        assertThat(engine.publish(orderPaid("{\"_id\":\"ord-1\"}"), "ünï 😀 / key")
                        .eventIds())
                .hasSize(3);
    }

    @Test
    void concurrentPublishesWithOneKeyRecordOneSetOfEventsAndAllGetItsResult() throws Exception {
        for (int round = 0; round < 20; round++) {
            String key = "key-" + round;
            DomainEvent event = orderPaid("{\"_id\":\"ord-" + round + "\",\"total\":42}");
            CountDownLatch start = new CountDownLatch(1);
            List<Future<PublishResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return engine.publish(event, key);
                }));
            }
            start.countDown();
            PublishResult first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<PublishResult> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(first);
            }
        }
        assertThat(eventsOf(ORG)).as("three events per key").hasSize(20 * 3);
    }

    @Test
    void thePurgeDeletesExpiredKeys() {
        engine.publish(orderPaid("{\"_id\":\"ord-1\"}"), "key-1");
        engine.publish(orderPaid("{\"_id\":\"ord-2\"}"), "key-2");
        clock.advance(Duration.ofHours(25));

        engine.purgeExpiredEvents();

        assertThat(store.purgeIdempotencyRecords(clock.instant(), 10))
                .as("expired keys the engine's purge left")
                .isZero();
    }

    @Test
    void anUnkeyedPublishIsNotTouchedByKeys() {
        engine.publish(orderPaid("{\"_id\":\"ord-1\"}"), "key-1");

        engine.publish(orderPaid("{\"_id\":\"ord-1\"}"));

        assertThat(eventsOf(ORG)).hasSize(6);
    }
}
