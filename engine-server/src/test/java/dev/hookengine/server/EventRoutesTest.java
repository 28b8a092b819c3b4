package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.server.ApiServer.Response;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Triggering, the event log, replays and the OAuth test over real HTTP, delivering to a real
 * receiver on 127.0.0.1; every response validated against the spec.
 */
class EventRoutesTest {

    private final ApiServer api = new ApiServer();
    private final TestReceiver receiver;

    EventRoutesTest() throws Exception {
        receiver = TestReceiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        receiver.close();
    }

    private String config(String extra) {
        return api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "%s"%s}""".formatted(receiver.url("/hook"), extra));
    }

    private String trigger(String configId, boolean sync) {
        Response triggered =
                api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger" + (sync ? "?sync=true" : ""), """
                {"metadata": {"action": "test", "origin": "tests"}, "entity": {"_id": "cus_1"}}""");
        assertThat(triggered.status()).isEqualTo(200);
        return triggered.json().get("event_id").asText();
    }

    @Test
    void anAsyncTriggerIsDeliveredAndItsEventReadBack() {
        String configId = config("");

        String eventId = trigger(configId, false);
        assertThat(api.engine.deliverDue()).isEqualTo(1);

        Response event = api.call("GET", "/v1/webhooks/configs/" + configId + "/events/" + eventId, null);
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.json().get("status").asText()).isEqualTo("succeeded");
        assertThat(event.json().get("http_response").get("status_code").asInt()).isEqualTo(200);
        assertThat(receiver.received())
                .singleElement()
                .satisfies(request -> assertThat(request.header("webhook-id")).isEqualTo(eventId));
    }

    @Test
    void aSyncTriggerAnswersWithTheReceiversStatus() {
        receiver.answer(Answer.json(201, "{\"ok\": true}"));
        String configId = config("");

        Response triggered = api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger?sync=true", """
                {"metadata": {"action": "test"}}""");

        assertThat(triggered.status()).isEqualTo(200);
        assertThat(triggered.json().get("status_code").asText()).isEqualTo("201");
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void theV2ListPagesWithAKeysetCursorAndFiltersByStatus() {
        String configId = config("");
        String first = trigger(configId, true);
        api.clock.advance(Duration.ofSeconds(1));
        String second = trigger(configId, true);

        Response page1 = api.call("POST", "/v2/webhooks/configs/" + configId + "/events", """
                {"limit": 1}""");
        assertThat(page1.status()).isEqualTo(200);
        assertThat(page1.json().get("data").get(0).get("event_id").asText()).isEqualTo(second);
        assertThat(page1.json().get("has_more").asBoolean()).isTrue();

        Response page2 = api.call(
                "POST",
                "/v2/webhooks/configs/" + configId + "/events",
                "{\"limit\": 1, \"cursor\": " + page1.json().get("next_cursor") + "}");
        assertThat(page2.json().get("data").get(0).get("event_id").asText()).isEqualTo(first);
        assertThat(page2.json().get("next_cursor").isNull()).isTrue();

        Response noBody = api.call("POST", "/v2/webhooks/configs/" + configId + "/events", null);
        assertThat(noBody.json().get("data")).hasSize(2);
        Response failed = api.call("POST", "/v2/webhooks/configs/" + configId + "/events", """
                {"status": "failed"}""");
        assertThat(failed.json().get("data")).isEmpty();
    }

    @Test
    void theDeprecatedV1ListFiltersByStatusAndPagesWithItsCursor() {
        String configId = config("");
        String eventId = trigger(configId, true);

        Response all = api.call("GET", "/v1/webhooks/configs/" + configId + "/events", null);
        Response succeeded = api.call("GET", "/v1/webhooks/configs/" + configId + "/events?status=succeeded", null);
        Response failed = api.call("GET", "/v1/webhooks/configs/" + configId + "/events?status=failed", null);

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("data").get(0).get("event_id").asText()).isEqualTo(eventId);
        assertThat(all.json().has("cursor")).isFalse();
        assertThat(succeeded.json().get("data")).hasSize(1);
        assertThat(failed.json().get("data")).isEmpty();
    }

    @Test
    void replayAnswers204AndRecordsANewEvent() {
        String configId = config("");
        String eventId = trigger(configId, true);

        Response replayed =
                api.call("POST", "/v1/webhooks/configs/" + configId + "/events/" + eventId + "/replay", null);
        Response reapplied =
                api.call("POST", "/v1/webhooks/configs/" + configId + "/events/" + eventId + "/replay", """
                {"reapply_transform": true}""");

        assertThat(replayed.status()).isEqualTo(204);
        assertThat(reapplied.status()).isEqualTo(204);
        api.engine.deliverDue();
        assertThat(api.call("POST", "/v2/webhooks/configs/" + configId + "/events", null)
                        .json()
                        .get("data"))
                .hasSize(3);
        assertThat(receiver.received()).hasSize(3);
    }

    @Test
    void batchReplayAnswers202WithTheIdsReplayed() {
        String configId = config("");
        String first = trigger(configId, true);
        String second = trigger(configId, true);

        Response batch = api.call(
                "POST",
                "/v1/webhooks/configs/" + configId + "/events/replay-batch",
                "{\"eventIds\": [\"" + first + "\", \"" + second + "\"]}");

        assertThat(batch.status()).isEqualTo(202);
        assertThat(batch.json().get("replayed_event_ids"))
                .extracting(JsonNode::asText)
                .containsExactly(first, second);
    }

    @Test
    void batchReplayReplaysTheEventsThatExistAndListsOnlyThose() {
        String configId = config("");
        String otherConfigId = config("");
        String first = trigger(configId, true);
        String second = trigger(configId, true);
        String ofTheOtherConfig = trigger(otherConfigId, true);

        Response batch = api.call(
                "POST",
                "/v1/webhooks/configs/" + configId + "/events/replay-batch",
                "{\"eventIds\": [\"" + first + "\", \"no-such-event\", \"" + ofTheOtherConfig + "\", \"" + second
                        + "\", \"" + first + "\"]}");

        assertThat(batch.status()).as(batch.body()).isEqualTo(202);
        assertThat(batch.json().get("replayed_event_ids"))
                .as("the events of this config, each once, in the request's order")
                .extracting(JsonNode::asText)
                .containsExactly(first, second);
        api.engine.deliverDue();
        assertThat(receiver.received()).as("three triggers and two replays").hasSize(5);
    }

    @Test
    void batchReplayOfOnlyUnknownEventsReplaysNothingAndSaysSo() {
        String configId = config("");
        trigger(configId, true);

        Response batch = api.call(
                "POST", "/v1/webhooks/configs/" + configId + "/events/replay-batch", "{\"eventIds\": [\"nope\"]}");

        assertThat(batch.status()).as(batch.body()).isEqualTo(202);
        assertThat(batch.json().get("replayed_event_ids")).isEmpty();
        api.engine.deliverDue();
        assertThat(receiver.received()).hasSize(1);
        assertThat(api.call(
                                "POST",
                                "/v1/webhooks/configs/no-such-config/events/replay-batch",
                                "{\"eventIds\": [\"nope\"]}")
                        .status())
                .as("an unknown config stays a 404")
                .isEqualTo(404);
    }

    @Test
    void anEventOfAConfigWithAMethodOutsideTheSpecsEventEnumLeavesHttpMethodOut() {
        String configId = config(", \"httpMethod\": \"PATCH\"");
        String eventId = trigger(configId, true);

        Response event = api.call("GET", "/v1/webhooks/configs/" + configId + "/events/" + eventId, null);

        assertThat(receiver.received())
                .singleElement()
                .satisfies(request -> assertThat(request.method()).isEqualTo("PATCH"));
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.json().has("http_method")).isFalse();
        Response list = api.call("POST", "/v2/webhooks/configs/" + configId + "/events", null);
        assertThat(list.json().get("data").get(0).has("http_method")).isFalse();
    }

    @Test
    void testOAuthRunsTheTokenExchangeAlone() {
        receiver.answer(
                Answer.json(200, "{\"access_token\": \"tok-123\", \"token_type\": \"Bearer\", \"expires_in\": 3600}"));
        String configId = config(oauth());

        Response tested = api.call("POST", "/v1/webhooks/configs/" + configId + "/test-oauth", null);

        assertThat(tested.status()).isEqualTo(200);
        assertThat(tested.json().get("success").asBoolean()).isTrue();
        assertThat(tested.json().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(tested.body()).doesNotContain("tok-123");
        assertThat(receiver.received())
                .singleElement()
                .satisfies(request -> assertThat(request.path()).isEqualTo("/oauth/token"));
    }

    @Test
    void aFailedTokenExchangeIsTheSpecs500WithAMessage() {
        receiver.answer(Answer.json(401, "{\"error\": \"invalid_client\"}"));
        String configId = config(oauth());

        Response tested = api.call("POST", "/v1/webhooks/configs/" + configId + "/test-oauth", null);

        assertThat(tested.status()).isEqualTo(500);
        assertThat(tested.message()).startsWith("OAuth token exchange failed");
    }

    @Test
    void testOAuthOnAConfigWithoutOAuthIs400() {
        String configId = config("");

        Response tested = api.call("POST", "/v1/webhooks/configs/" + configId + "/test-oauth", null);

        assertThat(tested.status()).isEqualTo(400);
        assertThat(tested.message()).contains("auth.authType");
    }

    private String oauth() {
        return """
                , "auth": {"authType": "OAUTH_CLIENT_CREDENTIALS", "oauthConfig": {"clientId": "client-1",
                  "clientSecret": "cs-1", "endpoint": "%s", "httpMethod": "POST"}}""".formatted(receiver.url("/oauth/token"));
    }
}
