package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.server.ApiServer.Response;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/webhooks/configs/{configId}/events/{eventId}/attempts} over real HTTP: an event
 * delivered to a real receiver on 127.0.0.1 after two failures, its attempts read back page by page;
 * every answer validated against {@code hookengine.openapi.json}.
 */
class AttemptRoutesTest {

    private static final String FIRST = "first failure: upstream down";
    private static final String SECOND = "{\"error\": \"still down\"}";
    private static final String THIRD = "ok, thanks";

    private final ApiServer api = new ApiServer();
    private final TestReceiver receiver;

    AttemptRoutesTest() throws Exception {
        receiver = TestReceiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        receiver.close();
    }

    private String config() {
        return api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
    }

    /** An event answered 500, 500, then 200; the retries made due by the clock (past their jitter). */
    private String deliveredOnTheThirdAttempt(String configId) {
        receiver.answer(Answer.text(500, FIRST), Answer.json(500, SECOND), Answer.text(200, THIRD));
        Response triggered = api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger", """
                {"entity": {"_id": "cus_1"}}""");
        assertThat(triggered.status()).isEqualTo(200);
        assertThat(api.engine.deliverDue()).isEqualTo(1);
        api.clock.advance(Duration.ofSeconds(7));
        assertThat(api.engine.deliverDue()).isEqualTo(1);
        api.clock.advance(Duration.ofMinutes(7));
        assertThat(api.engine.deliverDue()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(3);
        return triggered.json().get("event_id").asText();
    }

    private Response attempts(String configId, String eventId, String query) {
        return api.call("GET", "/v1/webhooks/configs/" + configId + "/events/" + eventId + "/attempts" + query, null);
    }

    @Test
    void threeAttemptsComeBackOldestFirstWithWhatTheReceiverAnswered() {
        String configId = config();
        String eventId = deliveredOnTheThirdAttempt(configId);

        Response page = attempts(configId, eventId, "");

        assertThat(page.status()).isEqualTo(200);
        JsonNode data = page.json().get("data");
        assertThat(data).hasSize(3);
        List<Instant> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode attempt = data.get(i);
            assertThat(attempt.get("attempt").asInt()).isEqualTo(i + 1);
            assertThat(attempt.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(attempt.has("code"))
                    .as("an answered attempt has no outcome code")
                    .isFalse();
            assertThat(attempt.has("error")).isFalse();
            starts.add(Instant.parse(attempt.get("started_at").asText()));
        }
        assertThat(data.findValuesAsText("status_code")).containsExactly("500", "500", "200");
        assertThat(data.findValuesAsText("response_excerpt")).containsExactly(FIRST, SECOND, THIRD);
        assertThat(starts).isSorted().doesNotHaveDuplicates();
        assertThat(page.json().get("has_more").asBoolean()).isFalse();
        assertThat(page.json().get("next_cursor").isNull()).isTrue();
    }

    @Test
    void aLimitOfTwoAndTheCursorGiveTheThird() {
        String configId = config();
        String eventId = deliveredOnTheThirdAttempt(configId);

        Response first = attempts(configId, eventId, "?limit=2");
        String cursor = first.json().get("next_cursor").asText();
        Response second =
                attempts(configId, eventId, "?limit=2&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));

        assertThat(first.json().get("data").findValuesAsText("attempt")).containsExactly("1", "2");
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("data").findValuesAsText("attempt")).containsExactly("3");
        assertThat(second.json().get("data").findValuesAsText("response_excerpt"))
                .containsExactly(THIRD);
        assertThat(second.json().get("has_more").asBoolean()).isFalse();
        assertThat(second.json().get("next_cursor").isNull()).isTrue();
    }

    @Test
    void unknownEventsAnotherConfigsAndAnotherOrganizationsAre404() {
        String configId = config();
        String otherConfig = config();
        String eventId = deliveredOnTheThirdAttempt(configId);

        assertThat(attempts(configId, "no-such-event", "").status()).isEqualTo(404);
        assertThat(attempts(otherConfig, eventId, "").status()).isEqualTo(404);
        assertThat(api.call(
                                "GET",
                                "/v1/webhooks/configs/" + configId + "/events/" + eventId + "/attempts",
                                ApiServer.TOKEN_B,
                                null)
                        .status())
                .isEqualTo(404);
        Response unknown = attempts("no-such-config", eventId, "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).contains("not found");
    }

    @Test
    void aBadLimitOrCursorIs400NamingIt() {
        String configId = config();
        String eventId = deliveredOnTheThirdAttempt(configId);
        String before = api.storeState();

        for (String limit : List.of("0", "101", "-3", "2.5", "two", "%EF%BC%93", "+2", "99999999999")) {
            Response refused = attempts(configId, eventId, "?limit=" + limit);
            assertThat(refused.status()).as(limit).isEqualTo(400);
            assertThat(refused.message()).as(limit).contains("limit");
        }
        for (String cursor : List.of("", "nope", "%00", "YWZ0ZXI6MA")) {
            Response refused = attempts(configId, eventId, "?cursor=" + cursor);
            assertThat(refused.status()).as(cursor).isEqualTo(400);
            assertThat(refused.message()).as(cursor).contains("cursor");
        }
        assertThat(api.storeState()).isEqualTo(before);
    }

    @Test
    void withoutATokenItIs401() {
        String configId = config();

        Response refused = api.call("GET", "/v1/webhooks/configs/" + configId + "/events/any/attempts", null, null);

        assertThat(refused.status()).isEqualTo(401);
    }
}
