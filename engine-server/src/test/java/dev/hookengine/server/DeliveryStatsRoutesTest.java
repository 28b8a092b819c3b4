package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.server.ApiServer.Response;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/webhooks/configs/{configId}/delivery-stats} over real HTTP: deliveries to a real
 * receiver on 127.0.0.1 at instants of the injected clock, counted back per hour; every answer
 * validated against {@code hookengine.openapi.json}.
 */
class DeliveryStatsRoutesTest {

    private final ApiServer api = new ApiServer();
    private final TestReceiver receiver;
    /** The hour the clock starts in: {@code ApiServer}'s clock stands at 10:00. */
    private final Instant hour = Instant.parse("2026-03-01T10:00:00Z");

    DeliveryStatsRoutesTest() throws Exception {
        receiver = TestReceiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        receiver.close();
    }

    private String config() {
        return api.createConfig("""
                {"name": "stats", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
    }

    /** Triggers {@code answers.length} events now, each answered as given, and delivers them. */
    private void deliver(String configId, Answer... answers) {
        receiver.answer(answers);
        for (int i = 0; i < answers.length; i++) {
            Response triggered = api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger", """
                    {"entity": {"_id": "cus_%d"}}""".formatted(i));
            assertThat(triggered.status()).isEqualTo(200);
        }
        assertThat(api.engine.deliverDue()).isEqualTo(answers.length);
    }

    private Response stats(String configId, String query) {
        return api.call("GET", "/v1/webhooks/configs/" + configId + "/delivery-stats" + query, null);
    }

    @Test
    void countsEachHourByStatusWithTheLatencyOfItsAttempts() {
        String configId = config();
        Answer ok = Answer.text(200, "ok");
        Answer refused = Answer.text(400, "no"); // a 4xx is final: failed at once
        api.clock.advance(Duration.ofMinutes(5));
        deliver(configId, ok, ok, ok, refused, ok, refused);
        api.clock.advance(Duration.ofHours(2));
        deliver(configId, ok);

        Response answer = stats(configId, "?from=2026-03-01T10:00:00Z&to=2026-03-01T13:00:00Z&interval=PT1H");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode stats = answer.json();
        assertThat(stats.get("config_id").asText()).isEqualTo(configId);
        assertThat(stats.get("from").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
        assertThat(stats.get("to").asText()).isEqualTo("2026-03-01T13:00:00.000Z");
        assertThat(stats.get("interval").asText()).isEqualTo("PT1H");
        JsonNode intervals = stats.get("intervals");
        assertThat(intervals).hasSize(3);
        assertThat(intervals.findValuesAsText("start"))
                .containsExactly("2026-03-01T10:00:00.000Z", "2026-03-01T11:00:00.000Z", "2026-03-01T12:00:00.000Z");
        assertCounts(intervals.get(0), 4, 2, 6);
        assertCounts(intervals.get(1), 0, 0, 0);
        assertCounts(intervals.get(2), 1, 0, 1);
        assertCounts(stats.get("total"), 5, 2, 7);
        assertThat(intervals.get(1).has("p50_ms")).as("no attempts, no latency").isFalse();
        for (JsonNode measured : List.of(intervals.get(0), intervals.get(2), stats.get("total"))) {
            long p50 = measured.get("p50_ms").asLong();
            long p95 = measured.get("p95_ms").asLong();
            long max = measured.get("max_ms").asLong();
            assertThat(p50).isBetween(0L, p95);
            assertThat(p95).isLessThanOrEqualTo(max);
        }
    }

    private static void assertCounts(JsonNode counts, long succeeded, long failed, long attempts) {
        assertThat(Map.of(
                        "succeeded", counts.get("succeeded").asLong(),
                        "failed", counts.get("failed").asLong(),
                        "skipped", counts.get("skipped").asLong(),
                        "in_progress", counts.get("in_progress").asLong(),
                        "attempts", counts.get("attempts").asLong()))
                .as("counts of %s", counts)
                .isEqualTo(Map.of(
                        "succeeded",
                        succeeded,
                        "failed",
                        failed,
                        "skipped",
                        0L,
                        "in_progress",
                        0L,
                        "attempts",
                        attempts));
    }

    @Test
    void withoutParametersItIsTheLast24HoursByTheHourOnTheEnginesClock() {
        String configId = config();
        api.clock.advance(Duration.ofMinutes(30).plusMillis(250).plusNanos(400));
        deliver(configId, Answer.text(200, "ok"));

        JsonNode stats = stats(configId, "").json();

        // `to` is exclusive: the millisecond after now, so that the event created now counts
        assertThat(stats.get("to").asText()).isEqualTo("2026-03-01T10:30:00.251Z");
        assertThat(stats.get("from").asText()).isEqualTo("2026-02-28T10:30:00.251Z");
        assertThat(stats.get("interval").asText()).isEqualTo("PT1H");
        assertThat(stats.get("intervals")).hasSize(24);
        assertThat(stats.get("intervals").get(23).get("succeeded").asLong()).isEqualTo(1);
        assertThat(stats.get("total").get("succeeded").asLong()).isEqualTo(1);
    }

    @Test
    void aBadRangeOrIntervalIs400NamingItAndChangesNothing() {
        String configId = config();
        String before = api.storeState();
        // "+" is written %2B: in a query string a bare "+" is a space
        List<Map.Entry<String, String>> named = List.of(
                Map.entry("?from=yesterday", "from"),
                Map.entry("?to=2026-03-01", "to"),
                Map.entry("?interval=1h", "interval"),
                Map.entry("?interval=PT30S", "interval"),
                Map.entry("?interval=PT90.5S", "interval"),
                Map.entry("?from=2026-03-01T10:00:00Z&to=2026-03-01T10:00:00Z", "from"),
                Map.entry("?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z&interval=PT1M", "interval"),
                Map.entry("?interval=PT-1H", "interval"),
                Map.entry("?interval=PT99999999999999999999H", "interval"),
                Map.entry("?interval=PT10000000000000000S", "interval"),
                Map.entry("?interval=P32D", "interval"),
                Map.entry("?to=%2B300000000-01-01T00:00:00Z", "to"),
                Map.entry("?from=-97995286-09-24T04:40:00Z&to=%2B200000000-01-01T00:00:00Z&interval=PT1M", "from"),
                Map.entry("?from=1970-01-01T00:00:00Z&interval=P30D", "from"));
        for (Map.Entry<String, String> bad : named) {
            Response answer = stats(configId, bad.getKey());
            assertThat(answer.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.message()).as(bad.getKey()).contains(bad.getValue() + ":");
        }
        assertThat(api.storeState()).isEqualTo(before);
    }

    @Test
    void unknownConfigsAndAnotherOrganizationsAre404() {
        String configId = config();

        assertThat(stats("no-such-config", "").status()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/webhooks/configs/" + configId + "/delivery-stats", ApiServer.TOKEN_B, null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aRangeOfADayByTheMinuteIsAllowedAndListsEveryMinute() {
        String configId = config();

        Response answer = stats(configId, "?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&interval=PT1M");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("intervals")).hasSize(1_440);
        assertThat(answer.json().get("total").get("attempts").asLong()).isZero();
    }
}
