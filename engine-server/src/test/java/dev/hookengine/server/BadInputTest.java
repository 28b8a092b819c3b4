package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.server.ApiServer.Response;
import dev.hookengine.testing.TestReceiver;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input over real HTTP: each answer is the right 4xx with an {@code ErrorResp} message that says
 * what is wrong (validated against the spec), and afterwards the state is exactly what it was before.
 */
class BadInputTest {

    private final ApiServer api = new ApiServer();
    private final TestReceiver receiver;
    private String configId;
    private String eventId;
    private Snapshot before;

    /** Everything a bad request could have changed: the store's state, and what the receiver got. */
    private record Snapshot(String store, int received) {}

    BadInputTest() throws Exception {
        receiver = TestReceiver.start();
    }

    @BeforeEach
    void seed() {
        configId = api.createConfig("""
                {"name": "a", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        eventId = api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger?sync=true", """
                {"metadata": {"action": "seed"}}""")
                .json()
                .get("event_id")
                .asText();
        api.engine.putVariable(ApiServer.ORG_A, "KEPT", "value");
        before = snapshot();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        receiver.close();
    }

    private Snapshot snapshot() {
        return new Snapshot(api.storeState(), receiver.received().size());
    }

    private void assertRefused(Response response, int status, String... messageParts) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.message()).as("the ErrorResp message").isNotBlank();
        for (String part : messageParts) {
            assertThat(response.message()).contains(part);
        }
        api.engine.deliverDue();
        assertThat(snapshot()).as("state after a refused request").isEqualTo(before);
    }

    @Test
    void malformedJsonIs400() {
        assertRefused(api.call("POST", "/v1/webhooks/configs", "{\"name\": \"a\", "), 400, "Malformed JSON");
        assertRefused(api.call("PUT", "/v1/webhooks/configs/" + configId, "not json"), 400, "Malformed JSON");
        assertRefused(
                api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger", "{\"metadata\": {}} trailing"),
                400,
                "Malformed JSON");
        assertRefused(api.call("POST", "/v1/webhooks/configs", "{\"name\": \"a\", \"name\": \"b\"}"), 400);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"name\": 5, \"eventName\": \"customer_created\", \"url\": \"https://a.example.com\"}|name: must be a string",
                "{\"name\": \"a\", \"enabled\": \"yes\"}|enabled: must be a boolean",
                "{\"name\": \"a\", \"retryPolicy\": {\"maxAttempts\": \"3\"}}|retryPolicy.maxAttempts: must be an integer",
                "{\"name\": \"a\", \"auth\": \"BASIC\"}|auth: must be an object",
                "{\"name\": \"a\", \"eventName\": [\"x\"]}|eventName: must be a string",
                "[]|must be an object",
                "null|must be a JSON object",
                "{\"name\": \"a\", \"colour\": \"red\"}|colour: unknown property"
            })
    void wrongTypesAre400NamingTheField(String body, String message) {
        assertRefused(api.call("POST", "/v1/webhooks/configs", body), 400, message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"limit\": 2147483648}|limit: must be an integer from -2147483648 to 2147483647",
                "{\"limit\": -2147483649}|limit: must be an integer from -2147483648 to 2147483647",
                "{\"limit\": 99999999999999999999999}|limit: must be an integer from -2147483648 to 2147483647",
                "{\"limit\": 1e308}|limit: must be an integer",
                "{\"limit\": 1e400}|limit: must be an integer",
                "{\"limit\": 2.5}|limit: must be an integer",
                "{\"limit\": 5.0}|limit: must be an integer",
                "{\"limit\": 26}|limit: must be an integer from 1 to 25",
                "{\"limit\": 0}|limit: must be an integer from 1 to 25",
            })
    void aLimitOutOfRangeOrNotAnIntegerIs400NamingTheField(String body, String message) {
        assertRefused(api.call("POST", "/v2/webhooks/configs/" + configId + "/events", body), 400, message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"name\": \"a\", \"retryPolicy\": {\"maxAttempts\": 9223372036854775808}}|retryPolicy.maxAttempts: must be an integer from -2147483648 to 2147483647",
                "{\"name\": \"a\", \"retryPolicy\": {\"maxAttempts\": -3000000000}}|retryPolicy.maxAttempts: must be an integer from -2147483648",
                "{\"name\": \"a\", \"retryPolicy\": {\"maxAttempts\": 1e308}}|retryPolicy.maxAttempts: must be an integer",
                "{\"name\": \"a\", \"retryPolicy\": {\"maxAttempts\": 2.5}}|retryPolicy.maxAttempts: must be an integer",
                "{\"name\": \"a\", \"enabled\": 1e999}|enabled: must be a boolean",
                "{\"name\": 12345678901234567890123}|name: must be a string",
            })
    void numbersOutOfRangeOrOfTheWrongKindAre400NamingTheField(String body, String message) {
        assertRefused(api.call("POST", "/v1/webhooks/configs", body), 400, message);
    }

    @Test
    void valuesOverTheJsonReadersLimitsAre400NamingTheField() {
        assertRefused(
                api.call(
                        "POST",
                        "/v2/webhooks/configs/" + configId + "/events",
                        "{\"limit\": 1" + "0".repeat(2000) + "}"),
                400,
                "limit: exceeds a limit of the JSON reader");
        assertRefused(
                api.call(
                        "POST",
                        "/v1/webhooks/configs/" + configId + "/trigger",
                        "{\"metadata\": {}, \"entity\": {\"deep\": " + "[".repeat(2000) + "]".repeat(2000) + "}}"),
                400,
                "exceeds a limit of the JSON reader");
    }

    @Test
    void unknownEnumValuesAre400ListingTheAllowedOnes() {
        assertRefused(
                api.call("POST", "/v1/webhooks/configs", """
                {"name": "a", "eventName": "e", "url": "https://a.example.com", "httpMethod": "FETCH"}"""),
                400,
                "httpMethod: must be one of [GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD]");
        assertRefused(api.call("POST", "/v1/webhooks/configs", """
                {"name": "a", "eventName": "e", "url": "https://a.example.com", "auth": {"authType": "MAGIC"}}"""), 400, "auth.authType: must be one of");
        assertRefused(
                api.call("GET", "/v1/webhooks/configs/" + configId + "/events?status=bogus", null),
                400,
                "status: must be one of");
        assertRefused(
                api.call("POST", "/v2/webhooks/configs/" + configId + "/events", "{\"status\": \"bogus\"}"),
                400,
                "status: must be one of");
    }

    @Test
    void invalidValuesAre400NamingEveryField() {
        assertRefused(api.call("POST", "/v1/webhooks/configs", "{\"httpMethod\": \"POST\"}"), 400, "name", "eventName");
        assertRefused(
                api.call("POST", "/v2/webhooks/configs/" + configId + "/events", "{\"limit\": 26}"), 400, "limit");
        assertRefused(
                api.call("POST", "/v1/webhooks/configs/" + configId + "/events/replay-batch", "{\"eventIds\": []}"),
                400,
                "eventIds");
        assertRefused(
                api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger?sync=maybe", "{\"metadata\": {}}"),
                400,
                "sync");
        assertRefused(api.call("POST", "/v1/webhooks/configs", null), 400, "body is required");
        assertRefused(api.call("POST", "/v1/webhooks/events", "{\"entity\": {}}"), 400, "eventName");
        assertRefused(
                api.call("POST", "/v1/webhooks/events", "{\"eventName\": \"customer_created\", \"entity\": 3}"),
                400,
                "entity");
        assertRefused(api.call("PUT", "/v1/webhooks/variables/NEW", "{\"value\": 3}"), 400, "value");
    }

    @Test
    void anOversizedBodyIs413WhetherItsLengthIsDeclaredOrNot() {
        byte[] huge = ("{\"name\": \"" + "x".repeat(ApiServer.MAX_BODY_BYTES) + "\"}").getBytes();

        assertRefused(api.call("POST", "/v1/webhooks/configs", new String(huge)), 413, "larger than");
        // Chunked: no Content-Length, so the limit must hold while reading.
        HttpRequest.Builder chunked = api.request("POST", "/v1/webhooks/configs", null)
                .header("Authorization", "Bearer " + ApiServer.TOKEN_A)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)));
        assertRefused(api.send("POST", "/v1/webhooks/configs", chunked), 413, "larger than");
    }

    @Test
    void aBodyThatIsNotJsonByItsContentTypeIs415() {
        HttpRequest.Builder text = api.request("POST", "/v1/webhooks/configs", null)
                .header("Authorization", "Bearer " + ApiServer.TOKEN_A)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"a\"}"));
        assertRefused(api.send("POST", "/v1/webhooks/configs", text), 415, "application/json");
    }

    @Test
    void unknownIdsAre404() {
        assertRefused(api.call("GET", "/v1/webhooks/configs/nope", null), 404, "nope");
        assertRefused(api.call("PUT", "/v1/webhooks/configs/nope", """
                {"name": "a", "eventName": "e", "url": "https://a.example.com"}"""), 404);
        Response delete = api.call("DELETE", "/v1/webhooks/configs/nope", null);
        assertThat(delete.status()).isEqualTo(404);
        assertThat(delete.body())
                .as("the spec's deleteConfig 404 has no content")
                .isEmpty();
        assertRefused(api.call("POST", "/v1/webhooks/configs/nope/trigger", "{\"metadata\": {}}"), 404);
        assertRefused(api.call("GET", "/v1/webhooks/configs/" + configId + "/events/no-such-event", null), 404);
        assertRefused(api.call("POST", "/v1/webhooks/configs/" + configId + "/events/no-such-event/replay", null), 404);
        assertRefused(
                api.call(
                        "POST",
                        "/v1/webhooks/configs/nope/events/replay-batch",
                        "{\"eventIds\": [\"" + eventId + "\"]}"),
                404);
        assertRefused(api.call("POST", "/v1/webhooks/configs/nope/example", "{}"), 404);
        assertRefused(api.call("POST", "/v1/webhooks/configs/nope/signing-secret/rotate", null), 404);
        assertRefused(api.call("GET", "/v1/webhooks/no-such-route", null), 404, "No route");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "none|Missing Authorization header",
                "Bearer|must be 'Bearer <token>'",
                "Basic dXNlcjpwYXNz|must be 'Bearer <token>'",
                "Bearer wrong-token|Invalid API token"
            })
    void aMissingOrWrongTokenIs401(String authorization, String message) {
        for (String[] route : new String[][] {
            {"GET", "/v1/webhooks/configs"},
            {"POST", "/v1/webhooks/configs"},
            {"GET", "/v1/webhooks/configs/" + configId},
            {"DELETE", "/v1/webhooks/configs/" + configId},
            {"POST", "/v1/webhooks/configs/" + configId + "/trigger"},
            {"PUT", "/v1/webhooks/variables/KEPT"}
        }) {
            HttpRequest.Builder request = api.request(
                    route[0],
                    route[1],
                    route[0].equals("GET") || route[0].equals("DELETE")
                            ? null
                            : "{\"name\": \"x\", \"eventName\": \"e\", \"url\": \"https://x.example.com\", \"metadata\": {}, \"value\": \"v\"}"
                                    .getBytes());
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            assertRefused(api.send(route[0], route[1], request), 401, message);
        }
    }

    @Test
    void anotherOrganizationsIdsAre404AndItChangesNothing() {
        String b = ApiServer.TOKEN_B;
        String config = "/v1/webhooks/configs/" + configId;
        assertRefused(api.call("GET", config, b, null), 404);
        assertRefused(api.call("PUT", config, b, """
                {"name": "taken over", "eventName": "customer_created", "url": "https://evil.example.com"}"""), 404);
        assertThat(api.call("DELETE", config, b, null).status()).isEqualTo(404);
        assertRefused(api.call("POST", config + "/trigger?sync=true", b, "{\"metadata\": {}}"), 404);
        assertRefused(api.call("GET", config + "/events/" + eventId, b, null), 404);
        assertRefused(api.call("GET", config + "/events", b, null), 404);
        assertRefused(api.call("POST", "/v2/webhooks/configs/" + configId + "/events", b, null), 404);
        assertRefused(api.call("POST", config + "/events/" + eventId + "/replay", b, null), 404);
        assertRefused(
                api.call("POST", config + "/events/replay-batch", b, "{\"eventIds\": [\"" + eventId + "\"]}"), 404);
        assertRefused(api.call("POST", config + "/example", b, "{}"), 404);
        assertRefused(api.call("POST", config + "/test-oauth", b, null), 404);
        assertRefused(api.call("POST", config + "/signing-secret/rotate", b, null), 404);
        assertRefused(api.call("DELETE", "/v1/webhooks/variables/KEPT", b, null), 404);
        assertThat(api.call("GET", "/v1/webhooks/configs", b, null).json()).isEmpty();
    }
}
