package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.ExampleRequest;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.LogicalOperator;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.PayloadConfiguration;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.transform.ExpressionLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishing and example payloads through the engine, over the real in-memory store. */
class WebhookEnginePublishTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "org-a";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");

    private final MutableClock clock = new MutableClock(NOW);
    private InMemoryWebhookStore store;
    private WebhookEngine engine;

    @BeforeEach
    void setUp() {
        store = new InMemoryWebhookStore();
        engine = engineWith(EntityHydrator.PASS_THROUGH);
    }

    private WebhookEngine engineWith(EntityHydrator hydrator) {
        return WebhookEngine.builder()
                .store(store)
                .clock(clock)
                .entityHydrator(hydrator)
                .expressionLimits(new ExpressionLimits(Duration.ofMillis(300), 200, 100_000))
                .eventCatalog(List.of(new CatalogEvent(
                        "order_paid",
                        "Order paid",
                        json("{\"_id\":\"ord-example\",\"total\":99.5,\"status\":\"paid\"}"))))
                .build();
    }

    /** Creates a config one second after the previous one, so that creation order is unambiguous. */
    private WebhookConfig create(WebhookConfig.Builder config) {
        WebhookConfig created = engine.createConfig(ORG, config.build());
        clock.advance(Duration.ofSeconds(1));
        return created;
    }

    private static WebhookConfig.Builder config(String name) {
        return WebhookConfig.builder().name(name).eventName("order_paid").url("https://shop.example.com/hooks");
    }

    private static DomainEvent orderPaid(String status, double total) {
        return DomainEvent.builder(ORG, "order_paid")
                .metadata(Metadata.builder().action("paid").userId("u-1").build())
                .entity(json("{\"_id\":\"ord-1\",\"status\":\"" + status + "\",\"total\":" + total
                        + ",\"items\":[{\"sku\":\"A\",\"qty\":1},{\"sku\":\"B\",\"qty\":3}]}"))
                .relations(List.of(json("{\"_id\":\"cust-1\",\"type\":\"customer\"}")))
                .activity(json("{\"type\":\"OrderPaid\"}"))
                .changedAttributes(JSON.createArrayNode().add("status"))
                .changesets(json("{\"status\":\"refund_requested\"}"))
                .property("source", JSON.getNodeFactory().textNode("checkout"))
                .build();
    }

    @Test
    void eachSubscribedActiveConfigDeliversSkipsOrFailsWithItsReason() {
        WebhookConfig all = create(config("all"));
        WebhookConfig big = create(config("big orders")
                .filterConditions(new WebhookConditionGroup(
                        List.of(new WebhookCondition(
                                "entity.total",
                                ConditionOperation.GREATER_THAN,
                                List.of("100"),
                                FieldType.NUMBER,
                                null,
                                null,
                                null)),
                        null)));
        WebhookConfig mapped = create(config("mapped")
                .jsonataExpression(
                        "{ 'order': entity._id, 'skus': entity.items.sku, 'units': $sum(entity.items.qty) }"));
        create(config("disabled").enabled(false));
        create(config("incomplete").url(null));
        create(config("other event").eventName("order_refunded"));
        engine.createConfig("org-b", config("other org").build());

        List<Dispatch> dispatches = engine.publish(orderPaid("paid", 42.0)).dispatches();

        assertThat(dispatches).extracting(Dispatch::configId).containsExactly(all.id(), big.id(), mapped.id());
        Dispatch.Deliver delivered = (Dispatch.Deliver) dispatches.get(0);
        assertThat(delivered.body()).isSameAs(delivered.payload());
        assertThat(delivered.body().get("entity").get("_id").asText()).isEqualTo("ord-1");
        assertThat(delivered.body().get("source").asText()).isEqualTo("checkout");
        assertThat(delivered.body().has("changesets"))
                .as("changesets are never sent")
                .isFalse();
        assertThat(delivered.body().has("relations"))
                .as("relations only when asked for")
                .isFalse();

        Dispatch.Skip skipped = (Dispatch.Skip) dispatches.get(1);
        assertThat(skipped.reason())
                .isEqualTo("filterConditions.conditions[0] did not hold: entity.total greater_than [100]");

        Dispatch.Deliver transformed = (Dispatch.Deliver) dispatches.get(2);
        assertThat(transformed.body()).isEqualTo(json("{\"order\":\"ord-1\",\"skus\":[\"A\",\"B\"],\"units\":4}"));
        assertThat(transformed.payload().get("entity").get("total").asDouble()).isEqualTo(42.0);
    }

    @Test
    void metadataIsFilledPerConfigAndCorrelatedPerEvent() {
        WebhookConfig first = create(config("first"));
        WebhookConfig second = create(config("second"));

        List<Dispatch> dispatches = engine.publish(orderPaid("paid", 1)).dispatches();

        JsonNode one = dispatches.get(0).payload().get("metadata");
        JsonNode two = dispatches.get(1).payload().get("metadata");
        assertThat(one.get("webhook_id").asText()).isEqualTo(first.id());
        assertThat(one.get("webhook_name").asText()).isEqualTo("first");
        assertThat(two.get("webhook_id").asText()).isEqualTo(second.id());
        assertThat(one.get("organization_id").asText()).isEqualTo(ORG);
        assertThat(one.get("creation_timestamp").asText()).isEqualTo("2026-03-01T10:00:02.123Z");
        assertThat(one.get("action").asText()).isEqualTo("paid");
        assertThat(one.get("user_id").asText()).isEqualTo("u-1");
        assertThat(one.get("correlation_id").asText())
                .isNotBlank()
                .isEqualTo(two.get("correlation_id").asText());

        String nextCorrelation = engine.publish(orderPaid("paid", 1))
                .dispatches()
                .get(0)
                .payload()
                .get("metadata")
                .get("correlation_id")
                .asText();
        assertThat(nextCorrelation).isNotEqualTo(one.get("correlation_id").asText());
    }

    @Test
    void eventProvidedCorrelationAndCreationTimeAreKept() {
        create(config("first"));
        DomainEvent event = DomainEvent.builder(ORG, "order_paid")
                .metadata(Metadata.builder()
                        .correlationId("corr-7")
                        .creationTimestamp("2026-01-01T00:00:00Z")
                        .build())
                .build();

        JsonNode metadata = engine.publish(event).dispatches().get(0).payload().get("metadata");

        assertThat(metadata.get("correlation_id").asText()).isEqualTo("corr-7");
        assertThat(metadata.get("creation_timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(engine.publish(event).dispatches().get(0).payload().has("entity"))
                .as("no entity in the event, none in the payload")
                .isFalse();
    }

    @Test
    void payloadConfigurationShapesThePayloadAndHydratesOncePerEvent() {
        AtomicInteger entityCalls = new AtomicInteger();
        AtomicInteger relationCalls = new AtomicInteger();
        EntityHydrator hydrator = new EntityHydrator() {
            @Override
            public ObjectNode hydrateEntity(DomainEvent event) {
                entityCalls.incrementAndGet();
                return json("{\"_id\":\"ord-1\",\"status\":\"paid\",\"total\":42,\"customer\":\"Ada\"}");
            }

            @Override
            public ArrayNode relations(DomainEvent event, ObjectNode entity) {
                relationCalls.incrementAndGet();
                return JSON.createArrayNode()
                        .add(json("{\"_id\":\"cust-1\",\"name\":\""
                                + entity.get("customer").asText() + "\"}"));
            }
        };
        engine = engineWith(hydrator);
        PayloadConfiguration everything = new PayloadConfiguration(true, true, true, true, true, null);
        create(config("everything 1").payloadConfiguration(everything));
        create(config("everything 2").payloadConfiguration(everything));
        create(config("plain"));

        List<Dispatch> dispatches = engine.publish(orderPaid("paid", 42)).dispatches();

        assertThat(entityCalls).hasValue(1);
        assertThat(relationCalls).hasValue(1);
        ObjectNode full = dispatches.get(0).payload();
        assertThat(full.get("entity"))
                .isEqualTo(
                        json("{\"_id\":\"ord-1\",\"status\":\"refund_requested\",\"total\":42,\"customer\":\"Ada\"}"));
        assertThat(full.get("relations"))
                .isEqualTo(JSON.createArrayNode().add(json("{\"_id\":\"cust-1\",\"name\":\"Ada\"}")));
        assertThat(full.get("activity")).isEqualTo(json("{\"type\":\"OrderPaid\"}"));
        assertThat(full.get("changed_attributes"))
                .isEqualTo(JSON.createArrayNode().add("status"));
        assertThat(fieldNames(full))
                .containsExactly("metadata", "entity", "relations", "activity", "changed_attributes", "source");
        JsonNode secondWithoutMetadata = dispatches.get(1).payload().deepCopy().without("metadata");
        JsonNode firstWithoutMetadata = full.deepCopy().without("metadata");
        assertThat(secondWithoutMetadata).isEqualTo(firstWithoutMetadata);

        ObjectNode plain = dispatches.get(2).payload();
        assertThat(plain.get("entity").get("status").asText())
                .as("no changesets unless asked for")
                .isEqualTo("paid");
        assertThat(fieldNames(plain)).containsExactly("metadata", "entity", "source");
    }

    @Test
    void aFailingHydratorFailsOnlyTheConfigsThatNeedIt() {
        engine = engineWith(new EntityHydrator() {
            @Override
            public ObjectNode hydrateEntity(DomainEvent event) {
                throw new IllegalStateException("entity service down");
            }
        });
        WebhookConfig hydrating = create(
                config("hydrating").payloadConfiguration(new PayloadConfiguration(true, null, null, null, null, null)));
        create(config("plain"));

        List<Dispatch> dispatches = engine.publish(orderPaid("paid", 1)).dispatches();

        assertThat(dispatches.get(0)).isInstanceOfSatisfying(Dispatch.Fail.class, fail -> {
            assertThat(fail.configId()).isEqualTo(hydrating.id());
            assertThat(fail.code()).isEqualTo(OutcomeCode.HYDRATION_ERROR.code());
            assertThat(fail.message()).contains("entity service down");
        });
        assertThat(dispatches.get(1)).isInstanceOf(Dispatch.Deliver.class);
    }

    @Test
    void aRunawayTransformFailsItsConfigAndTheEngineGoesOn() {
        WebhookConfig runaway =
                create(config("runaway").jsonataExpression("($f := function($x){ $f($x + 1) }; $f(1))"));
        WebhookConfig pad = create(config("pad").jsonataExpression("$pad('x', 500000000)"));
        create(config("fine").jsonataExpression("{ 'id': entity._id }"));
        create(config("undefined").jsonataExpression("entity.nothing"));

        long started = System.nanoTime();
        List<Dispatch> dispatches = engine.publish(orderPaid("paid", 1)).dispatches();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(dispatches.get(0)).isInstanceOfSatisfying(Dispatch.Fail.class, fail -> {
            assertThat(fail.configId()).isEqualTo(runaway.id());
            assertThat(fail.code()).isIn(OutcomeCode.JSONATA_TIMEOUT.code(), OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
        });
        assertThat(dispatches.get(1)).isInstanceOfSatisfying(Dispatch.Fail.class, fail -> {
            assertThat(fail.configId()).isEqualTo(pad.id());
            assertThat(fail.code()).isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
        });
        assertThat(dispatches.get(2))
                .isInstanceOfSatisfying(
                        Dispatch.Deliver.class,
                        deliver -> assertThat(deliver.body()).isEqualTo(json("{\"id\":\"ord-1\"}")));
        assertThat(dispatches.get(3))
                .isInstanceOfSatisfying(
                        Dispatch.Skip.class, skip -> assertThat(skip.reason()).contains("produced no output"));

        assertThat(engine.publish(orderPaid("paid", 2)).dispatches().get(2)).isInstanceOf(Dispatch.Deliver.class);
    }

    @Test
    void configChangesAreSeenByTheNextPublish() {
        WebhookConfig config = create(config("c"));
        assertThat(engine.publish(orderPaid("paid", 1)).dispatches()).hasSize(1);

        engine.updateConfig(ORG, config.id(), config("c").enabled(false).build());
        assertThat(engine.publish(orderPaid("paid", 1)).dispatches()).isEmpty();

        engine.updateConfig(
                ORG,
                config.id(),
                config("c")
                        .enabled(true)
                        .filterConditions(new WebhookConditionGroup(
                                List.of(
                                        WebhookCondition.of("entity.status", ConditionOperation.EQUALS, "open"),
                                        WebhookCondition.jsonata("entity.total > 10")),
                                LogicalOperator.OR))
                        .build());
        assertThat(engine.publish(orderPaid("paid", 11)).dispatches().get(0)).isInstanceOf(Dispatch.Deliver.class);
        assertThat(engine.publish(orderPaid("paid", 9)).dispatches().get(0))
                .isInstanceOfSatisfying(
                        Dispatch.Skip.class,
                        skip -> assertThat(skip.reason()).isEqualTo("none of the 2 filterConditions (OR) held"));

        engine.deleteConfig(ORG, config.id());
        assertThat(engine.publish(orderPaid("paid", 11)).dispatches()).isEmpty();
    }

    @Test
    void changesMadeByAnotherNodeAreSeenAfterTheRefreshInterval() {
        WebhookEngine otherNode = WebhookEngine.builder().store(store).build();
        WebhookEngine alwaysFresh = WebhookEngine.builder()
                .store(store)
                .configRefreshInterval(Duration.ZERO)
                .build();
        assertThat(engine.publish(orderPaid("paid", 1)).dispatches()).isEmpty();
        assertThat(alwaysFresh.publish(orderPaid("paid", 1)).dispatches()).isEmpty();

        otherNode.createConfig(ORG, config("made elsewhere").build());

        assertThat(engine.publish(orderPaid("paid", 1)).dispatches())
                .as("within the 5 s refresh interval the index may be stale")
                .isEmpty();
        assertThat(alwaysFresh.publish(orderPaid("paid", 1)).dispatches()).hasSize(1);

        clock.advance(WebhookEngineBuilder.DEFAULT_CONFIG_REFRESH_INTERVAL);
        assertThat(engine.publish(orderPaid("paid", 1)).dispatches())
                .as("the interval is measured by the engine's clock; the read that finds it due reloads")
                .hasSize(1);
    }

    @Test
    void exampleComesFromTheCatalogThroughTheConfigsTransform() {
        WebhookConfig plain = create(config("plain"));
        WebhookConfig mapped =
                create(config("mapped").jsonataExpression("{ 'order': entity._id, 'by': automation_id }"));
        WebhookConfig unknownEvent = create(config("unknown").eventName("not_in_catalog"));

        JsonNode example = engine.getWebhookExample(ORG, plain.id(), new ExampleRequest(null));
        assertThat(example.get("entity"))
                .isEqualTo(json("{\"_id\":\"ord-example\",\"total\":99.5,\"status\":\"paid\"}"));
        assertThat(example.get("metadata").get("webhook_id").asText()).isEqualTo(plain.id());
        assertThat(example.get("metadata").get("organization_id").asText()).isEqualTo(ORG);
        assertThat(example.has("automation_id")).as("none asked for").isFalse();

        assertThat(engine.getWebhookExample(ORG, mapped.id(), new ExampleRequest("auto-9")))
                .isEqualTo(json("{\"order\":\"ord-example\",\"by\":\"auto-9\"}"));
        assertThat(engine.getWebhookExample(ORG, unknownEvent.id(), null).get("entity"))
                .isEqualTo(json("{}"));
        assertThatThrownBy(() -> engine.getWebhookExample("org-b", plain.id(), null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void anExampleTheTransformFailsOnIsAValidationError() {
        WebhookConfig broken = create(config("broken").jsonataExpression("$number(entity.status)"));

        assertThatThrownBy(() -> engine.getWebhookExample(ORG, broken.id(), null))
                .isInstanceOfSatisfying(
                        ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::path).containsExactly("jsonataExpression"));
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void publishAllRecordsEveryEventsDispatchesInOneGoAndAnswersPerEventInOrder() {
        WebhookConfig paidOnly = create(config("paid only")
                .filterConditions(new WebhookConditionGroup(
                        List.of(new WebhookCondition(
                                "entity.status", ConditionOperation.EQUALS, List.of("paid"), null, null, null, null)),
                        LogicalOperator.AND)));
        WebhookConfig everything = create(config("everything"));
        DomainEvent paid = orderPaid("paid", 10);
        DomainEvent pending = orderPaid("pending", 20);
        DomainEvent otherName = DomainEvent.builder(ORG, "order_shipped").build();

        List<PublishResult> results = engine.publishAll(List.of(paid, pending, otherName));

        assertThat(results).hasSize(3);
        assertThat(results.get(0).dispatches())
                .extracting(Dispatch::configId)
                .containsExactly(paidOnly.id(), everything.id());
        assertThat(results.get(0).dispatches()).allMatch(dispatch -> dispatch instanceof Dispatch.Deliver);
        assertThat(results.get(1).dispatches().get(0)).isInstanceOf(Dispatch.Skip.class);
        assertThat(results.get(1).dispatches().get(1)).isInstanceOf(Dispatch.Deliver.class);
        assertThat(results.get(2).dispatches()).as("no config subscribes to it").isEmpty();
        assertThat(results.get(0).eventIds())
                .hasSize(2)
                .doesNotContainAnyElementsOf(results.get(1).eventIds());
        for (PublishResult result : results) {
            for (int i = 0; i < result.eventIds().size(); i++) {
                String configId = result.dispatches().get(i).configId();
                assertThat(store.findEvent(ORG, result.eventIds().get(i)))
                        .as("each event recorded under the config of its dispatch")
                        .hasValueSatisfying(
                                event -> assertThat(event.webhookConfigId()).isEqualTo(configId));
            }
        }
        assertThat(store.stats(NOW.plusSeconds(10)).depth())
                .as("three deliveries queued")
                .isEqualTo(3);
    }
}
