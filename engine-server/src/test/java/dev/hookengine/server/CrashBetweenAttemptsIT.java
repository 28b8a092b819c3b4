package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.server.ServerApi.Reply;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: a server on the embedded H2 default killed between two attempts of a delivery neither
 * loses the event nor forgets the failed attempt. The receiver answers the first request 503 and
 * every later one 200; once the 503 is on record (readable through the API), the server is killed
 * with {@code kill -9} at once and another started on the same directory. The retry must come on
 * schedule, from the new server: no earlier than 4 s after the first request (the first retry waits
 * 5 s ±20 %, so an earlier one means the failed attempt was lost and made again), no later than
 * {@link #RETRY_BOUND} (a job still leased by the dead process would wait out today's 90 s lease),
 * with the same {@code webhook-id}, and the event then ends {@code succeeded} after one retry.
 *
 * <p>{@value #REPETITIONS} repetitions, each about 5–7 s, sharing server lives: the server started
 * after one kill is the one the next repetition triggers on. On today's code (30a94a3) the first
 * already fails: the trigger was acknowledged a few hundred milliseconds before the kill, inside
 * H2's 500 ms write delay, so the event is gone.
 */
class CrashBetweenAttemptsIT {

    static final int REPETITIONS = 3;
    /**
     * Retry schedule 5 s −20 % = 4 s, less 50 ms for the engine's millisecond timestamps: a retry
     * earlier than this repeats an attempt whose failure was lost. Such a repeat comes as soon as
     * the new server polls, 1–3 s after the first attempt here, far from this bound.
     */
    static final Duration EARLIEST_RETRY = Duration.ofMillis(3_950);
    /**
     * 5 s +20 % for the schedule, plus a server start (1–3 s) and a poll: 20 s is generous for
     * that and far below today's 90 s lease.
     */
    static final Duration RETRY_BOUND = Duration.ofSeconds(20);

    private static final String TOKEN = "attempts-token";

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @TempDir
    Path dataDir;

    private final List<TestReceiver> receivers = new ArrayList<>();
    private ServerProcess server;
    private ServerApi api;
    private int lives;

    @AfterEach
    void closeReceivers() throws Exception {
        for (TestReceiver receiver : receivers) {
            receiver.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aKillBetweenTwoAttemptsKeepsTheEventAndTheScheduleOfItsRetry() throws Exception {
        startServer();
        for (int repetition = 1; repetition <= REPETITIONS; repetition++) {
            long began = System.nanoTime();
            TestReceiver receiver = TestReceiver.start().answer(Answer.of(503));
            receivers.add(receiver);
            String configId = api.acknowledged(
                            "POST", "/v1/webhooks/configs", """
                    {"name": "between attempts %d", "eventName": "customer_created", "url": "%s",
                     "retryPolicy": {"enabled": true, "maxAttempts": 3}}""".formatted(repetition, receiver.url("/hook")))
                    .json()
                    .get("id")
                    .asText();
            String eventId = api.acknowledged("POST", "/v1/webhooks/configs/" + configId + "/trigger", """
                    {"metadata": {"action": "repetition %d"}, "entity": {"_id": "cus_%d"}}""".formatted(
                                    repetition, repetition))
                    .json()
                    .get("event_id")
                    .asText();
            String event = "/v1/webhooks/configs/" + configId + "/events/" + eventId;
            Await.until(
                    "the 503 of the first attempt on record",
                    Duration.ofSeconds(15),
                    () -> api.call("GET", event, null),
                    reply -> reply.ok()
                            && reply.json()
                                            .path("http_response")
                                            .path("status_code")
                                            .asInt()
                                    == 503);

            server.kill();
            startServer();

            Reply kept = api.call("GET", event, null);
            assertThat(kept.status())
                    .as(
                            "repetition %d: the event, acknowledged and attempted once, after "
                                    + "a kill -9 and a restart: %s",
                            repetition, kept)
                    .isEqualTo(200);
            Received first = receiver.received().get(0);
            long waited = System.nanoTime() - first.arrivedNanos();
            List<Received> requests = receiver.awaitReceived(2, RETRY_BOUND.minusNanos(waited));
            assertThat(requests)
                    .as(
                            "repetition %d: a retry within %d s of the first attempt (received: %s)",
                            repetition, RETRY_BOUND.toSeconds(), requests)
                    .hasSizeGreaterThanOrEqualTo(2);
            Received retry = requests.get(1);
            Duration gap = Duration.ofNanos(retry.arrivedNanos() - first.arrivedNanos());
            assertThat(gap)
                    .as(
                            "repetition %d: the retry came %d ms after the first attempt, earlier than the "
                                    + "schedule's 5 s -20 %% allows: the failed attempt was lost and made again",
                            repetition, gap.toMillis())
                    .isGreaterThanOrEqualTo(EARLIEST_RETRY);
            assertThat(retry.header("webhook-id"))
                    .as("repetition %d: the retry is the same message", repetition)
                    .isEqualTo(first.header("webhook-id"))
                    .isEqualTo(eventId);
            JsonNode delivered = Await.until(
                            "repetition " + repetition + ": the event to succeed",
                            Duration.ofSeconds(10),
                            () -> api.call("GET", event, null),
                            reply -> reply.ok()
                                    && reply.json().path("status").asText().equals("succeeded"))
                    .json();
            assertThat(delivered.path("retry_attempt").asInt())
                    .as("repetition %d: succeeded after one retry: %s", repetition, delivered)
                    .isEqualTo(1);
            System.out.printf(
                    "CrashBetweenAttemptsIT: repetition %d, retry %d ms after the first attempt, %.1f s%n",
                    repetition, gap.toMillis(), (System.nanoTime() - began) / 1e9);
        }
        // Checked last, so that a late duplicate of an early repetition has had the later ones' time to show.
        for (int i = 0; i < receivers.size(); i++) {
            assertThat(receivers.get(i).received())
                    .as("repetition %d: the receiver got the attempt and its " + "retry, nothing more", i + 1)
                    .hasSize(2);
        }
    }

    private void startServer() {
        lives++;
        server = servers.start(
                "life " + lives,
                List.of("--db", "h2:" + dataDir),
                Map.of("HOOKENGINE_API_TOKENS", TOKEN + "=attempts-org", "HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true"));
        api = new ServerApi(server, TOKEN);
    }
}
