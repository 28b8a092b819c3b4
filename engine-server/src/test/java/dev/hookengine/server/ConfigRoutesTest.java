package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.server.ApiServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spec's config operations over real HTTP; every response validated against the spec. */
class ConfigRoutesTest {

    private final ApiServer api = new ApiServer();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createReturns201WithTheSigningSecretOnceAndReadsNeverShowSecrets() {
        Response created = api.call("POST", "/v1/webhooks/configs", """
                {"name": "CRM", "eventName": "customer_created", "url": "https://crm.example.com/hooks",
                 "auth": {"authType": "BASIC", "basicAuthConfig": {"username": "crm", "password": "s3cret"}}}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("signingSecret").asText()).startsWith("whsec_");
        assertThat(created.json().get("status").asText()).isEqualTo("active");
        String id = created.json().get("id").asText();

        Response read = api.call("GET", "/v1/webhooks/configs/" + id, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("name").asText()).isEqualTo("CRM");
        assertThat(read.body()).doesNotContain("s3cret").doesNotContain("whsec_");
    }

    @Test
    void listFiltersByEventName() {
        api.createConfig("""
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com"}""");
        api.createConfig("""
                {"name": "b", "eventName": "order_created", "url": "https://b.example.com"}""");

        Response all = api.call("GET", "/v1/webhooks/configs", null);
        Response orders = api.call("GET", "/v1/webhooks/configs?eventName=order_created", null);

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json()).hasSize(2);
        assertThat(orders.json()).hasSize(1);
        assertThat(orders.json().get(0).get("name").asText()).isEqualTo("b");
    }

    @Test
    void updateReplacesTheConfigAndKeepsAnOmittedSecret() {
        String id = api.createConfig("""
                {"name": "old", "eventName": "customer_created", "url": "https://a.example.com",
                 "auth": {"authType": "API_KEY", "apiKeyConfig": {"keyName": "X-Key", "keyValue": "k-123"}}}""");

        Response updated = api.call("PUT", "/v1/webhooks/configs/" + id, """
                {"name": "new", "eventName": "customer_created", "url": "https://b.example.com",
                 "auth": {"authType": "API_KEY", "apiKeyConfig": {"keyName": "X-Key"}}}""");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("new");
        assertThat(updated.json().get("status").asText()).isEqualTo("active");
        assertThat(updated.body()).doesNotContain("k-123");
    }

    @Test
    void deleteAnswers204AndTheConfigIsGone() {
        String id = api.createConfig("""
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com"}""");

        Response deleted = api.call("DELETE", "/v1/webhooks/configs/" + id, null);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(api.call("GET", "/v1/webhooks/configs/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void aProtectedConfigAnswers409UnlessTheCallerStatesIntent() {
        String id = api.createConfig("""
                {"name": "managed", "eventName": "customer_created", "url": "https://a.example.com", "protected": true}""");

        Response refused = api.call("PUT", "/v1/webhooks/configs/" + id, """
                {"name": "changed", "eventName": "customer_created", "url": "https://a.example.com"}""");
        Response refusedDelete = api.call("DELETE", "/v1/webhooks/configs/" + id, null);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).contains("protected");
        assertThat(refusedDelete.status()).isEqualTo(409);
        assertThat(api.call("GET", "/v1/webhooks/configs/" + id, null)
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("managed");

        Response deleted = api.send(
                "DELETE",
                "/v1/webhooks/configs/" + id,
                api.request("DELETE", "/v1/webhooks/configs/" + id, null)
                        .header("Authorization", "Bearer " + ApiServer.TOKEN_A)
                        .header("X-Hookengine-Modify-Protected", "true"));
        assertThat(deleted.status()).isEqualTo(204);
    }

    @Test
    void configuredEventsComeFromTheCatalog() {
        Response events = api.call("GET", "/v1/webhooks/configured-events", null);

        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().get(0).get("eventName").asText()).isEqualTo("customer_created");
        assertThat(events.json().get(0).get("eventLabel").asText()).isEqualTo("Customer created");
    }

    @Test
    void exampleShowsThePayloadTheReceiverWouldGet() {
        String id = api.createConfig("""
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com"}""");

        // automation_id lands beside metadata, where the spec's ExampleResponse allows it.
        Response example =
                api.call("POST", "/v1/webhooks/configs/" + id + "/example", "{\"automation_id\": \"automation_123\"}");

        assertThat(example.status()).isEqualTo(200);
        assertThat(example.json().get("automation_id").asText()).isEqualTo("automation_123");
        assertThat(example.json().get("metadata").has("automation_id")).isFalse();
        assertThat(example.json().get("entity").get("name").asText()).isEqualTo("Ada");
        assertThat(example.json().get("metadata").get("webhook_id").asText()).isEqualTo(id);
    }

    @Test
    void anHttpMethodOutsideTheSpecsEventEnumIsAcceptedOnConfigs() {
        Response created = api.call("POST", "/v1/webhooks/configs", """
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com", "httpMethod": "PATCH"}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("httpMethod").asText()).isEqualTo("PATCH");
    }
}
