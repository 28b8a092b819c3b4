package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone server with an entity service given by {@code HOOKENGINE_HYDRATION_*}: the service
 * and the webhook receiver are real receivers on 127.0.0.1; the event goes in through the REST API.
 * Time is a {@link MutableClock}: a retry comes due by moving the clock.
 */
class HydrationServerTest {

    private static final String TOKEN = "hydration-token";
    private static final String SERVICE_AUTH = "Bearer entity-secret-9f8e";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ENTITY = "{\"_id\": \"cus_1\", \"_schema\": \"contact\", \"name\": \"Ada\"}";
    private static final String RELATIONS = "[{\"_id\": \"ord_1\"}]";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private TestReceiver receiver;
    private TestReceiver entities;
    private StandaloneServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (entities != null) {
            entities.close();
        }
    }

    private StandaloneServer start() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOOKENGINE_API_TOKENS", TOKEN + "=org-a");
        env.put("HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true");
        env.put("HOOKENGINE_HYDRATION_ENTITY_URL", entities.url("/e/{orgId}/{schema}/{entityId}"));
        env.put("HOOKENGINE_HYDRATION_RELATIONS_URL", entities.url("/e/{orgId}/{schema}/{entityId}/relations"));
        env.put("HOOKENGINE_HYDRATION_AUTH_HEADER", "Authorization: " + SERVICE_AUTH);
        ServerOptions options =
                ServerOptions.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--db", "memory"}, env);
        assertThat(options.toString()).doesNotContain("entity-secret");
        UnaryOperator<WebhookEngineBuilder> tuning =
                builder -> builder.clock(clock).pollInterval(Duration.ofDays(1));
        return StandaloneServer.start(options, tuning, new PrintStream(new ByteArrayOutputStream()));
    }

    private String createConfig() throws Exception {
        return call("POST", "/v1/webhooks/configs", """
                {"name": "crm", "eventName": "contact_updated", "url": "%s",
                 "payloadConfiguration": {"hydrate_entity": true, "include_relations": true}}""".formatted(receiver.url("/hook")))
                .get("id")
                .asText();
    }

    private JsonNode publish() throws Exception {
        return call("POST", "/v1/webhooks/events", """
                {"eventName": "contact_updated", "metadata": {"action": "updated"},
                 "entity": {"_id": "cus_1", "_schema": "contact"}}""");
    }

    @Test
    void theEnvironmentsEntityServiceHydratesThePayload() throws Exception {
        receiver = TestReceiver.start();
        entities = TestReceiver.start().answer(Answer.json(200, ENTITY), Answer.json(200, RELATIONS));
        server = start();
        createConfig();

        publish();
        deliverUntilReceived(1);

        JsonNode body = MAPPER.readTree(receiver.received().get(0).body());
        assertThat(body.get("entity")).isEqualTo(MAPPER.readTree(ENTITY));
        assertThat(body.get("relations")).isEqualTo(MAPPER.readTree(RELATIONS));
        assertThat(entities.received())
                .extracting(Received::path)
                .containsExactly("/e/org-a/contact/cus_1", "/e/org-a/contact/cus_1/relations");
        assertThat(entities.received())
                .allSatisfy(
                        request -> assertThat(request.header("Authorization")).isEqualTo(SERVICE_AUTH));
    }

    @Test
    void anEntityServiceThatIsDownIsAskedAgainAndTheEventDeliveredOnceItAnswers() throws Exception {
        receiver = TestReceiver.start();
        entities = TestReceiver.start()
                .answer(Answer.json(503, "{}"), Answer.json(200, ENTITY), Answer.json(200, RELATIONS));
        server = start();
        String configId = createConfig();

        String waiting = publish().get("event_ids").get(0).asText();

        JsonNode event = call("GET", "/v1/webhooks/configs/" + configId + "/events/" + waiting, null);
        assertThat(event.get("status").asText()).isEqualTo("in_progress");
        assertThat(event.get("http_response").get("code").asText()).isEqualTo("HYDRATION_UNAVAILABLE");
        assertThat(event.toString()).doesNotContain("entity-secret");
        clock.advance(Duration.ofMinutes(1));
        deliverUntilReceived(1);

        JsonNode body = MAPPER.readTree(receiver.received().get(0).body());
        assertThat(body.get("entity")).isEqualTo(MAPPER.readTree(ENTITY));
        assertThat(body.get("relations")).isEqualTo(MAPPER.readTree(RELATIONS));
        JsonNode superseded = call("GET", "/v1/webhooks/configs/" + configId + "/events/" + waiting, null);
        assertThat(superseded.get("status").asText()).isEqualTo("skipped");
        assertThat(superseded.get("http_response").get("code").asText()).isEqualTo("REDISPATCHED");
    }

    @Test
    void aBadHydrationSettingStopsTheStartNamingTheVariable() {
        Map<String, String> env = Map.of(
                "HOOKENGINE_HYDRATION_ENTITY_URL", "https://entities.internal/{orgId}",
                "HOOKENGINE_HYDRATION_AUTH_HEADER", "no-colon-secret-value");
        assertThatThrownBy(() -> ServerOptions.parse(new String[0], env))
                .isInstanceOf(ServerOptions.UsageException.class)
                .hasMessageContaining("HOOKENGINE_HYDRATION_AUTH_HEADER")
                .hasMessageNotContaining("no-colon-secret-value");
    }

    private void deliverUntilReceived(int count) throws InterruptedException {
        InProcessServer.deliverUntilReceived(server, receiver, count);
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        return InProcessServer.call(server, TOKEN, method, path, body);
    }
}
