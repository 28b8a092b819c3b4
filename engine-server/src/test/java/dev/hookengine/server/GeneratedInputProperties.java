package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.server.GeneratedRequests.Operation;
import dev.hookengine.server.GeneratedRequests.Request;
import dev.hookengine.server.RawHttp.Reply;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.testing.TestReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Issue 18: generated input against every route of the running server. For each operation of the
 * server's OpenAPI document a property sends requests (as many as the subclass's
 * {@code @PropertyDefaults} say) generated from the
 * operation's schemas and broken ({@link GeneratedRequests}) and holds the server to three rules:
 * never a 5xx (but the spec's own 500 for a failed OAuth test); every 4xx an {@code ErrorResp},
 * JSON with a message; and a 4xx changes nothing in the store (its configs, secrets, variables,
 * events and queue, read through the SPI before and after).
 *
 * <p>jqwik makes an instance per property, so each operation gets a server of its own on a store
 * of the subclass's making, seeded with two organizations' configs, an event and a variable.
 */
abstract class GeneratedInputProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TestReceiver receiver;
    private final ApiServer api;
    private final RawHttp http;
    private final GeneratedRequests requests;
    private final Map<String, Operation> operations;

    GeneratedInputProperties() {
        try {
            receiver = TestReceiver.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a receiver", e);
        }
        api = new ApiServer(newStore());
        String configId = api.createConfig("""
                {"name": "seed", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger", "{\"entity\": {\"_id\": \"cus_1\"}}");
        String eventId = api.call("GET", "/v1/webhooks/configs/" + configId + "/events", null)
                .json()
                .path("data")
                .path(0)
                .path("event_id")
                .asText();
        api.call("PUT", "/v1/webhooks/variables/SEED", "{\"value\": \"seed value\"}");
        api.call(
                "POST",
                "/v1/webhooks/configs",
                ApiServer.TOKEN_B,
                "{\"name\": \"other org\", \"eventName\": \"customer_created\", \"url\": \"%s\"}"
                        .formatted(receiver.url("/b")));
        // Reading the public key makes the organizations' keys, so that later reads change nothing.
        api.call("GET", "/v1/webhooks/.well-known/public-key?orgId=" + ApiServer.ORG_A, null);
        api.call("GET", "/v1/webhooks/.well-known/public-key?orgId=" + ApiServer.ORG_B, null);
        http = new RawHttp(api.server.port());
        JsonNode document;
        try {
            document = MAPPER.readTree(WebhookServer.openApiDocument());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requests = new GeneratedRequests(
                document,
                Map.of(
                        "configId",
                        configId,
                        "eventId",
                        eventId,
                        "orgId",
                        ApiServer.ORG_A,
                        "name",
                        "SEED",
                        "eventName",
                        "customer_created",
                        "url",
                        receiver.url("/generated")),
                ApiServer.TOKEN_A);
        operations = requests.operations().stream()
                .collect(
                        Collectors.toMap(Operation::toString, operation -> operation, (a, b) -> a, LinkedHashMap::new));
    }

    /** The store under test, new for each property. */
    abstract WebhookStore newStore();

    @AfterProperty
    void stop() throws Exception {
        http.close();
        api.close();
        receiver.close();
    }

    @Example
    void everyOperationOfTheDocumentHasAProperty() {
        Set<String> covered = new TreeSet<>();
        for (var method : GeneratedInputProperties.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Property.class)) {
                covered.add(method.getName());
            }
        }
        Set<String> expected = new TreeSet<>();
        JsonNode document;
        try {
            document = MAPPER.readTree(WebhookServer.openApiDocument());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        document.path("paths")
                .forEach(path -> path.forEach(operation -> {
                    if (operation.has("operationId")) {
                        expected.add(operation.get("operationId").asText());
                    }
                }));
        assertThat(covered).isEqualTo(expected);
    }

    @Property
    void getPublicKey(@ForAll long seed) {
        check("GET /v1/webhooks/.well-known/public-key", seed);
    }

    @Property
    void getConfiguredEvents(@ForAll long seed) {
        check("GET /v1/webhooks/configured-events", seed);
    }

    @Property
    void getConfigs(@ForAll long seed) {
        check("GET /v1/webhooks/configs", seed);
    }

    @Property
    void createConfig(@ForAll long seed) {
        check("POST /v1/webhooks/configs", seed);
    }

    @Property
    void getConfig(@ForAll long seed) {
        check("GET /v1/webhooks/configs/{configId}", seed);
    }

    @Property
    void updateConfig(@ForAll long seed) {
        check("PUT /v1/webhooks/configs/{configId}", seed);
    }

    @Property
    void deleteConfig(@ForAll long seed) {
        check("DELETE /v1/webhooks/configs/{configId}", seed);
    }

    @Property
    void testOAuth(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/test-oauth", seed);
    }

    @Property
    void triggerWebhook(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/trigger", seed);
    }

    @Property
    void getWehookEvents(@ForAll long seed) {
        check("GET /v1/webhooks/configs/{configId}/events", seed);
    }

    @Property
    void batchReplayEvents(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/events/replay-batch", seed);
    }

    @Property
    void getEventAttempts(@ForAll long seed) {
        check("GET /v1/webhooks/configs/{configId}/events/{eventId}/attempts", seed);
    }

    @Property
    void getDeliveryStats(@ForAll long seed) {
        check("GET /v1/webhooks/configs/{configId}/delivery-stats", seed);
    }

    @Property
    void getEventById(@ForAll long seed) {
        check("GET /v1/webhooks/configs/{configId}/events/{eventId}", seed);
    }

    @Property
    void replayEvent(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/events/{eventId}/replay", seed);
    }

    @Property
    void getWebhookExample(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/example", seed);
    }

    @Property
    void getWebhookEventsV2(@ForAll long seed) {
        check("POST /v2/webhooks/configs/{configId}/events", seed);
    }

    @Property
    void publishEvent(@ForAll long seed) {
        check("POST /v1/webhooks/events", seed);
    }

    @Property
    void listVariables(@ForAll long seed) {
        check("GET /v1/webhooks/variables", seed);
    }

    @Property
    void putVariable(@ForAll long seed) {
        check("PUT /v1/webhooks/variables/{name}", seed);
    }

    @Property
    void deleteVariable(@ForAll long seed) {
        check("DELETE /v1/webhooks/variables/{name}", seed);
    }

    @Property
    void getConfigControls(@ForAll long seed) {
        check("GET /v1/webhooks/configs/{configId}/controls", seed);
    }

    @Property
    void updateConfigControls(@ForAll long seed) {
        check("PUT /v1/webhooks/configs/{configId}/controls", seed);
    }

    @Property
    void pauseConfig(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/pause", seed);
    }

    @Property
    void resumeConfig(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/resume", seed);
    }

    @Property
    void rotateSigningSecret(@ForAll long seed) {
        check("POST /v1/webhooks/configs/{configId}/signing-secret/rotate", seed);
    }

    @Property
    void rotateSigningKey(@ForAll long seed) {
        check("POST /v1/webhooks/signing-key/rotate", seed);
    }

    @Property
    void health(@ForAll long seed) {
        check("GET /health", seed);
    }

    @Property
    void metrics(@ForAll long seed) {
        check("GET /metrics", seed);
    }

    @Property
    void openApiDocument(@ForAll long seed) {
        check("GET /openapi.json", seed);
    }

    private void check(String operationKey, long seed) {
        Operation operation = operations.get(operationKey);
        assertThat(operation).as("operation %s in the document", operationKey).isNotNull();
        Request request = requests.request(operation, seed);
        String before = api.storeState();
        Reply reply;
        try {
            reply = http.exchange(request.method(), request.target(), request.headers(), request.body());
        } catch (IOException e) {
            throw new AssertionError("no answer to " + request, e);
        }
        String answer = request + "\n  -> " + reply.status() + " " + reply.header("content-type") + " "
                + abbreviate(reply.text());
        boolean oauthTestFailed = operationKey.endsWith("/test-oauth")
                && reply.status() == 500
                && reply.text().contains("OAuth token exchange failed");
        assertThat(reply.status() < 500 || oauthTestFailed)
                .as("no 5xx: %s", answer)
                .isTrue();
        if (reply.status() < 400) {
            cleanUp(operationKey, reply);
            return;
        }
        boolean bodiless = request.method().equals("HEAD")
                || (operationKey.startsWith("DELETE /v1/webhooks/configs/") && reply.status() == 404);
        if (!bodiless) {
            assertThat(reply.header("content-type"))
                    .as("an ErrorResp is JSON: %s", answer)
                    .startsWith("application/json");
            JsonNode error;
            try {
                error = MAPPER.readTree(reply.body());
            } catch (IOException e) {
                throw new AssertionError("an ErrorResp that is not JSON: " + answer, e);
            }
            assertThat(error.path("message").isTextual()
                            && !error.path("message").asText().isBlank())
                    .as("an ErrorResp with a message: %s", answer)
                    .isTrue();
        }
        assertThat(api.storeState())
                .as("a %d changes nothing: %s", reply.status(), answer)
                .isEqualTo(before);
    }

    /** What a successful request made that would grow the store from try to try. */
    private void cleanUp(String operationKey, Reply reply) {
        if (operationKey.equals("POST /v1/webhooks/configs") && reply.status() == 201) {
            try {
                String id = MAPPER.readTree(reply.body()).path("id").asText();
                api.store.deleteConfig(ApiServer.ORG_A, id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
