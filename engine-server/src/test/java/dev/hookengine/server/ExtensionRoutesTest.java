package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.server.ApiServer.Response;
import dev.hookengine.testing.TestReceiver;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's extensions and its unauthenticated routes over real HTTP; responses validated against
 * {@code hookengine.openapi.json}, the public key against the spec.
 */
class ExtensionRoutesTest {

    private final ApiServer api = new ApiServer();
    private final TestReceiver receiver;

    ExtensionRoutesTest() throws Exception {
        receiver = TestReceiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        receiver.close();
    }

    @Test
    void publishFansAnEventOutToTheSubscribedConfigsAndAnswers202WithTheirEvents() {
        String subscribed = api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        api.createConfig("""
                {"name": "other", "eventName": "order_created", "url": "%s"}""".formatted(receiver.url("/other")));

        Response published = api.call("POST", "/v1/webhooks/events", """
                {"eventName": "customer_created", "metadata": {"action": "signup"}, "entity": {"_id": "cus_9", "name": "Grace"}}""");

        assertThat(published.status()).isEqualTo(202);
        assertThat(published.json().get("event_ids")).hasSize(1);
        JsonNode event = published.json().get("events").get(0);
        assertThat(event.get("webhook_config_id").asText()).isEqualTo(subscribed);
        api.engine.deliverDue();
        assertThat(receiver.received())
                .singleElement()
                .satisfies(request -> assertThat(request.body())
                        .contains("\"name\":\"Grace\"")
                        .contains("\"action\":\"signup\""));
        Response read = api.call(
                "GET",
                "/v1/webhooks/configs/" + subscribed + "/events/"
                        + event.get("event_id").asText(),
                null);
        assertThat(read.json().get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void publishReadsABodyOfManyReadsWholeWhetherItsLengthIsDeclaredOrNot() {
        api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        // Near the test server's 16 KiB limit: longer than one read, so both ways of reading need several.
        String note = "n".repeat(12_000);
        byte[] declared = """
                {"eventName": "customer_created", "entity": {"_id": "cus_1", "note": "%s"}}""".formatted(note).getBytes(StandardCharsets.UTF_8);
        byte[] chunked = """
                {"eventName": "customer_created", "entity": {"_id": "cus_2", "note": "%s"}}""".formatted(note).getBytes(StandardCharsets.UTF_8);

        Response withLength = api.send(
                "POST",
                "/v1/webhooks/events",
                api.request("POST", "/v1/webhooks/events", declared)
                        .header("Authorization", "Bearer " + ApiServer.TOKEN_A));
        // No Content-Length: the body comes chunked.
        Response withoutLength = api.send(
                "POST",
                "/v1/webhooks/events",
                api.request("POST", "/v1/webhooks/events", null)
                        .header("Authorization", "Bearer " + ApiServer.TOKEN_A)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))));

        assertThat(withLength.status()).isEqualTo(202);
        assertThat(withoutLength.status()).isEqualTo(202);
        api.engine.deliverDue();
        assertThat(receiver.received())
                .extracting(request -> readTree(request.body()).get("entity"))
                .extracting(entity ->
                        entity.get("_id").asText() + ":" + entity.get("note").asText())
                .containsExactlyInAnyOrder("cus_1:" + note, "cus_2:" + note);
    }

    @Test
    void publishWithNoSubscriberRecordsNothing() {
        Response published = api.call("POST", "/v1/webhooks/events", """
                {"eventName": "nobody_listens"}""");

        assertThat(published.status()).isEqualTo(202);
        assertThat(published.json().get("event_ids")).isEmpty();
    }

    @Test
    void variablesAreSetListedByNameAndDeletedButNeverReadBack() {
        Response put = api.call("PUT", "/v1/webhooks/variables/CRM_KEY", """
                {"value": "very-secret-value"}""");
        Response names = api.call("GET", "/v1/webhooks/variables", null);

        assertThat(put.status()).isEqualTo(204);
        assertThat(names.status()).isEqualTo(200);
        assertThat(names.json().get("names")).extracting(JsonNode::asText).containsExactly("CRM_KEY");
        assertThat(names.body()).doesNotContain("very-secret-value");
        assertThat(api.call("GET", "/v1/webhooks/variables", ApiServer.TOKEN_B, null)
                        .json()
                        .get("names"))
                .isEmpty();

        Response deleted = api.call("DELETE", "/v1/webhooks/variables/CRM_KEY", null);
        Response again = api.call("DELETE", "/v1/webhooks/variables/CRM_KEY", null);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(api.engine.variableNames(ApiServer.ORG_A)).isEmpty();
    }

    @Test
    void aPausedConfigQueuesWhatIsPublishedAndTheResumeSendsIt() {
        String id = api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        Response initial = api.call("GET", "/v1/webhooks/configs/" + id + "/controls", null);
        assertThat(initial.status()).isEqualTo(200);
        assertThat(initial.json().get("paused").asBoolean()).isFalse();
        assertThat(initial.json().get("maxDeliveriesPerSecond").isNull()).isTrue();

        Response paused = api.call("POST", "/v1/webhooks/configs/" + id + "/pause", null);
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("paused").asBoolean()).isTrue();
        assertThat(paused.json().get("pausedAt").asText()).isNotBlank();
        assertThat(api.call("POST", "/v1/webhooks/events", """
                        {"eventName": "customer_created", "entity": {"_id": "cus_9"}}""").status()).isEqualTo(202);
        api.engine.deliverDue();
        assertThat(receiver.received()).isEmpty();

        Response resumed = api.call("POST", "/v1/webhooks/configs/" + id + "/resume", null);
        assertThat(resumed.json().get("paused").asBoolean()).isFalse();
        api.engine.deliverDue();
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void controlSettingsAreValidatedNamingTheFieldAndStateIsNotSettable() {
        String id = api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "https://a.example.com"}""");
        String path = "/v1/webhooks/configs/" + id + "/controls";

        Response set = api.call("PUT", path, """
                {"maxDeliveriesPerSecond": 50}""");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("maxDeliveriesPerSecond").asInt()).isEqualTo(50);

        Response zero = api.call("PUT", path, """
                {"maxDeliveriesPerSecond": 0}""");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.message()).contains("maxDeliveriesPerSecond");
        Response ordering = api.call("PUT", path, """
                {"ordering": {"key": "entity.("}}""");
        assertThat(ordering.status()).isEqualTo(400);
        assertThat(ordering.message()).contains("ordering.key");
        Response state = api.call("PUT", path, """
                {"paused": true}""");
        assertThat(state.status()).isEqualTo(400);
        assertThat(state.message()).contains("paused");
        assertThat(api.call("GET", path, null)
                        .json()
                        .get("maxDeliveriesPerSecond")
                        .asInt())
                .as("unchanged by the refused requests")
                .isEqualTo(50);
        assertThat(api.call("POST", "/v1/webhooks/configs/nope/pause", null).status())
                .isEqualTo(404);

        Response ordered = api.call("PUT", path, """
                {"maxDeliveriesPerSecond": 50, "ordering": {"key": "entity._id"}}""");
        assertThat(ordered.status()).isEqualTo(200);
        assertThat(ordered.json().at("/ordering/key").asText()).isEqualTo("entity._id");
        assertThat(api.call("GET", path, null).json().at("/ordering/key").asText())
                .isEqualTo("entity._id");
    }

    @Test
    void anInvalidVariableNameIs400AndSetsNothing() {
        Response put = api.call("PUT", "/v1/webhooks/variables/1-bad", """
                {"value": "v"}""");

        assertThat(put.status()).isEqualTo(400);
        assertThat(put.message()).contains("name");
        assertThat(api.engine.variableNames(ApiServer.ORG_A)).isEmpty();
    }

    @Test
    void rotatingTheSigningSecretShowsTheNewOneOnce() {
        String created = api.call("POST", "/v1/webhooks/configs", """
                {"name": "r", "eventName": "customer_created", "url": "https://a.example.com"}""").body();
        String id = readTree(created).get("id").asText();
        String original = readTree(created).get("signingSecret").asText();

        Response rotated = api.call("POST", "/v1/webhooks/configs/" + id + "/signing-secret/rotate", null);

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("signingSecret").asText())
                .startsWith("whsec_")
                .isNotEqualTo(original);
        assertThat(api.call("GET", "/v1/webhooks/configs/" + id, null).body()).doesNotContain("whsec_");
    }

    @Test
    void thePublicKeyNeedsNoTokenAndRotatingItChangesIt() {
        api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "https://a.example.com"}""");

        Response key = api.call("GET", "/v1/webhooks/.well-known/public-key?orgId=" + ApiServer.ORG_A, null, null);
        Response rotated = api.call("POST", "/v1/webhooks/signing-key/rotate", null);
        Response after = api.call("GET", "/v1/webhooks/.well-known/public-key?orgId=" + ApiServer.ORG_A, null, null);

        assertThat(key.status()).isEqualTo(200);
        assertThat(key.json().get("algorithm").asText()).isEqualTo("ed25519");
        assertThat(key.json().get("public_key").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(after.json().get("public_key").asText())
                .isEqualTo(rotated.json().get("public_key").asText())
                .isNotEqualTo(key.json().get("public_key").asText());
    }

    @Test
    void thePublicKeyOfAnUnknownOrganizationIs404AndWithoutOrgId400() {
        Response unknown = api.call("GET", "/v1/webhooks/.well-known/public-key?orgId=nobody", null, null);
        Response missing = api.call("GET", "/v1/webhooks/.well-known/public-key", null, null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).contains("orgId");
    }

    @Test
    void healthMetricsAndTheDocumentNeedNoToken() throws Exception {
        api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        api.call("POST", "/v1/webhooks/events", """
                {"eventName": "customer_created"}""");

        Response health = api.call("GET", "/health", null, null);
        Response metrics = api.call("GET", "/metrics", null, null);
        Response document = api.call("GET", "/openapi.json", null, null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("hookengine_events_total{outcome=\"queued\"} 1.0")
                .doesNotContain(ApiServer.ORG_A);
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.json().get("paths").has("/v1/webhooks/events")).isTrue();
    }

    /** Our document is the spec with additions: every path and component of the spec, unchanged. */
    @Test
    void theExtensionsDocumentIncludesTheSpecUnchanged() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode spec = mapper.readTree(Files.readString(OpenApiValidation.specPath()));
        JsonNode ours = mapper.readTree(new String(WebhookServer.openApiDocument(), StandardCharsets.UTF_8));

        spec.get("paths")
                .fieldNames()
                .forEachRemaining(path -> assertThat(ours.get("paths").get(path))
                        .as(path)
                        .isEqualTo(spec.get("paths").get(path)));
        spec.get("components")
                .get("schemas")
                .fieldNames()
                .forEachRemaining(schema -> assertThat(
                                ours.get("components").get("schemas").get(schema))
                        .as(schema)
                        .isEqualTo(spec.get("components").get("schemas").get(schema)));
        assertThat(ours.get("components").get("securitySchemes"))
                .isEqualTo(spec.get("components").get("securitySchemes"));
        assertThat(ours.get("security")).isEqualTo(spec.get("security"));
    }

    private static JsonNode readTree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
