package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.PublishResult;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pinned event versions end to end (spec: {@code eventVersion}, {@code _event_version},
 * {@code _downgrades[].to}): the bodies a real receiver on 127.0.0.1 gets, compared whole, and the
 * config read back.
 */
class EventVersionsTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "event_order_created";

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder;
    }

    private WebhookConfig create(String version) {
        return engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("orders")
                        .eventName(EVENT)
                        .eventVersion(version)
                        .url(receiver.url("/hooks"))
                        .build());
    }

    /** An event stamped {@code version}, with a fixed correlation id so that its payload is known whole. */
    private static ObjectNode event(String version, String entityJson, String downgradesJson) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("""
                {"metadata": {"action": "created", "correlation_id": "corr-1"}, "entity": %s}""".formatted(entityJson));
        if (version != null) {
            body.put("_event_version", version);
        }
        if (downgradesJson != null) {
            body.set("_downgrades", JSON.readTree(downgradesJson));
        }
        return body;
    }

    private PublishResult publish(ObjectNode body) {
        return engine.publish(new DomainEvent(ORG, EVENT, body));
    }

    /** The body the receiver must get for {@code config}: the event's form with the engine's metadata. */
    private JsonNode expected(WebhookConfig config, String formJson) throws Exception {
        ObjectNode expected = (ObjectNode) JSON.readTree(formJson);
        ObjectNode metadata = expected.putObject("metadata");
        metadata.put("action", "created");
        metadata.put("correlation_id", "corr-1");
        metadata.put("webhook_id", config.id());
        metadata.put("webhook_name", config.name());
        metadata.put("organization_id", ORG);
        metadata.put("creation_timestamp", "2026-03-01T10:00:00.000Z");
        return expected;
    }

    private JsonNode deliverOne(int expectedCount) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (receiver.received().size() < expectedCount && System.nanoTime() < deadline) {
            engine.deliverDue();
        }
        assertThat(receiver.received()).hasSize(expectedCount);
        return JSON.readTree(receiver.received().get(expectedCount - 1).body());
    }

    @Test
    void aConfigWithoutAVersionIsPinnedAtTheVersionOfItsFirstEventAndKeepsIt() throws Exception {
        WebhookConfig config = create(null);
        assertThat(engine.getConfig(ORG, config.id()).eventVersion()).isNull();

        publish(event("2.0", "{\"_id\": \"o1\", \"total\": 5}", "[{\"to\": \"1.0\", \"entity\": {\"_id\": \"o1\"}}]"));

        assertThat(engine.getConfig(ORG, config.id()).eventVersion()).isEqualTo("2.0");
        assertThat(deliverOne(1))
                .as("delivered as it is, without the other versions' forms")
                .isEqualTo(
                        expected(config, "{\"entity\": {\"_id\": \"o1\", \"total\": 5}, \"_event_version\": \"2.0\"}"));

        // A newer event later: the pin stays 2.0, and the receiver gets the 2.0 form.
        publish(event("3.0", "{\"_id\": \"o2\", \"total\": {\"amount\": 7}}", """
                [{"to": "2.0", "entity": {"_id": "o2", "total": 7}}]"""));
        assertThat(engine.getConfig(ORG, config.id()).eventVersion()).isEqualTo("2.0");
        assertThat(deliverOne(2))
                .isEqualTo(
                        expected(config, "{\"entity\": {\"_id\": \"o2\", \"total\": 7}, \"_event_version\": \"2.0\"}"));
    }

    @Test
    void aNewerEventReachesAConfigPinnedAtAnOlderVersionAsItsDowngrade() throws Exception {
        WebhookConfig config = create("1.0");

        PublishResult result = publish(event("2.0", "{\"_id\": \"o1\", \"customer\": {\"name\": \"Ada\"}}", """
                [{"to": "1.5", "entity": {"_id": "o1", "customer_name": "Ada", "v": "1.5"}},
                 {"to": "1.0", "entity": {"_id": "o1", "customer_name": "Ada"}, "legacy": true}]"""));

        assertThat(result.dispatches()).singleElement().isInstanceOf(Dispatch.Deliver.class);
        JsonNode body = deliverOne(1);
        assertThat(body)
                .isEqualTo(expected(
                        config,
                        "{\"entity\": {\"_id\": \"o1\", \"customer_name\": \"Ada\"}, \"legacy\": true,"
                                + " \"_event_version\": \"1.0\"}"));
        WebhookEvent recorded =
                engine.getEventById(ORG, config.id(), result.eventIds().get(0));
        assertThat(recorded.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(receiver.received().get(0).body()).isEqualTo(recorded.payload());
        assertThat(engine.getConfig(ORG, config.id()).eventVersion()).isEqualTo("1.0");
    }

    @Test
    void versionsCompareAsNumbersNotText() throws Exception {
        WebhookConfig config = create("1.9");

        publish(event(
                "1.10", "{\"_id\": \"o1\", \"new\": true}", "[{\"to\": \"1.9\", \"entity\": {\"_id\": \"o1\"}}]"));

        assertThat(deliverOne(1))
                .as("1.10 is newer than 1.9: downgraded, not refused as older")
                .isEqualTo(expected(config, "{\"entity\": {\"_id\": \"o1\"}, \"_event_version\": \"1.9\"}"));
    }

    @Test
    void anEventWithoutADowngradeToThePinFailsWithItsCodeNamingBothVersions() throws Exception {
        WebhookConfig config = create("1.0");

        PublishResult result =
                publish(event("3.0", "{\"_id\": \"o1\"}", "[{\"to\": \"2.0\", \"entity\": {\"_id\": \"o1\"}}]"));

        assertThat(result.dispatches()).singleElement().isInstanceOfSatisfying(Dispatch.Fail.class, fail -> {
            assertThat(fail.code()).isEqualTo("EVENT_VERSION_UNAVAILABLE");
            assertThat(fail.message()).contains("3.0").contains("1.0");
        });
        WebhookEvent recorded =
                engine.getEventById(ORG, config.id(), result.eventIds().get(0));
        assertThat(recorded.status()).isEqualTo(EventStatus.FAILED);
        assertThat(recorded.httpResponse().code()).isEqualTo("EVENT_VERSION_UNAVAILABLE");
        assertThat(engine.deliverDue()).isZero();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void anEventOlderThanThePinIsNotUpgradedButFails() throws Exception {
        WebhookConfig config = create("2.0");

        PublishResult result = publish(event("1.0", "{\"_id\": \"o1\"}", null));

        assertThat(result.dispatches()).singleElement().isInstanceOfSatisfying(Dispatch.Fail.class, fail -> {
            assertThat(fail.code()).isEqualTo("EVENT_VERSION_UNAVAILABLE");
            assertThat(fail.message()).contains("1.0").contains("2.0");
        });
        assertThat(engine.getConfig(ORG, config.id()).eventVersion()).isEqualTo("2.0");
    }

    @Test
    void anEventWithoutAVersionIsDeliveredAsItIsAndPinsNothing() throws Exception {
        WebhookConfig config = create(null);

        publish(event(null, "{\"_id\": \"o1\"}", null));

        assertThat(deliverOne(1)).isEqualTo(expected(config, "{\"entity\": {\"_id\": \"o1\"}}"));
        assertThat(engine.getConfig(ORG, config.id()).eventVersion()).isNull();
    }

    @Test
    void anUpdateThatOmitsTheVersionKeepsThePin() throws Exception {
        WebhookConfig config = create(null);
        publish(event("2.0", "{\"_id\": \"o1\"}", null));

        WebhookConfig updated = engine.updateConfig(
                ORG,
                config.id(),
                WebhookConfig.builder()
                        .name("renamed")
                        .eventName(EVENT)
                        .url(receiver.url("/hooks"))
                        .build());

        assertThat(updated.eventVersion()).isEqualTo("2.0");
    }

    @Test
    void aPinTakenByAnotherNodeIsKeptNeverOverwritten() throws Exception {
        WebhookConfig config = create(null);
        // This engine's view of the configs is loaded, unpinned, and not refreshed for a day.
        try (WebhookEngine stale = configure(
                        WebhookEngine.builder().store(store).clock(clock).configRefreshInterval(Duration.ofDays(1)))
                .build()) {
            stale.publish(new DomainEvent(ORG, EVENT, event(null, "{\"_id\": \"o0\"}", null)));
            // Another node pins it at 1.0 meanwhile.
            engine.publish(new DomainEvent(ORG, EVENT, event("1.0", "{\"_id\": \"o1\"}", null)));
            assertThat(engine.getConfig(ORG, config.id()).eventVersion()).isEqualTo("1.0");

            PublishResult result = stale.publish(new DomainEvent(
                    ORG,
                    EVENT,
                    event("2.0", "{\"_id\": \"o2\", \"x\": 1}", "[{\"to\": \"1.0\", \"entity\": {\"_id\": \"o2\"}}]")));

            assertThat(engine.getConfig(ORG, config.id()).eventVersion())
                    .as("the stale node lost the compare-and-set, read the pin and kept it")
                    .isEqualTo("1.0");
            JsonNode downgraded = JSON.readTree("{\"_id\": \"o2\"}");
            assertThat(result.dispatches())
                    .singleElement()
                    .isInstanceOfSatisfying(
                            Dispatch.Deliver.class,
                            deliver -> assertThat(deliver.body().get("entity")).isEqualTo(downgraded));
        }
    }
}
