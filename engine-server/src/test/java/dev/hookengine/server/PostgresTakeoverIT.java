package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: on PostgreSQL, a node killed in the middle of an attempt loses its job to another node
 * within the documented bound. Node A claims the event's job and sends it to a receiver that holds
 * the request (never answers); node B starts on the same database; A is killed with {@code kill -9}.
 * The time from the kill until the receiver gets the same {@code webhook-id} again, from B, is the
 * takeover time, printed on one line so that it can be quoted.
 *
 * <p>The bound it is held to: a claim holds its job for {@code 2 × (attemptDeadline + 2 s)}, renewed
 * only when a second exchange of the same attempt needs it, so a dead node's jobs are taken over
 * within {@code 2 × (attemptDeadline + 2 s) + pollInterval} = 2 × 17 s + 0.2 s =
 * {@link #DOCUMENTED_TAKEOVER 34.2 s} with the engine's defaults (the README states it), plus
 * {@link #MARGIN 10 s} for what the formula leaves out: SIGKILL and process exit, B's claim query and
 * its connection to the receiver, and two busy cores scheduling three JVMs and PostgreSQL. Before
 * issue 19 a claim leased a job for {@code 4 × attemptDeadline + 30 s} = 90 s, the takeover took
 * 89 s, and this test failed. It watches for the takeover for
 * {@link #WATCH 120 s}, past today's lease, so that a failure says how long it did take.
 */
class PostgresTakeoverIT {

    static final Duration DOCUMENTED_TAKEOVER = Duration.ofMillis(2 * (15_000 + 2_000) + 200);
    static final Duration MARGIN = Duration.ofSeconds(10);
    static final Duration BOUND = DOCUMENTED_TAKEOVER.plus(MARGIN);
    static final Duration WATCH = Duration.ofSeconds(120);
    private static final String TOKEN = "takeover-token";

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    private EmbeddedPostgres postgres;
    private TestReceiver receiver;

    @AfterEach
    void stopEverything() throws Exception {
        servers.closeAll(); // before the database they use
        if (receiver != null) {
            receiver.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aNodeKilledInTheMiddleOfAnAttemptLosesItsJobToAnotherWithinTheDocumentedBound() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Map<String, String> environment = Map.of(
                "HOOKENGINE_API_TOKENS", TOKEN + "=takeover-org",
                "HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true",
                "HOOKENGINE_MASTER_KEY", AesGcmKeyCipher.generateBase64Key(new SecureRandom()),
                "HOOKENGINE_DB_USER", "postgres",
                "HOOKENGINE_DB_PASSWORD", "postgres");
        List<String> database = List.of("--db", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        receiver = TestReceiver.start().answer(Answer.hold()); // then 200 to every later request

        ServerProcess nodeA = servers.start("node A", database, environment);
        ServerApi viaA = new ServerApi(nodeA, TOKEN);
        String configId = viaA.acknowledged("POST", "/v1/webhooks/configs", """
                {"name": "takeover", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")))
                .json()
                .get("id")
                .asText();
        String eventId = viaA.acknowledged("POST", "/v1/webhooks/configs/" + configId + "/trigger", """
                {"metadata": {"action": "takeover"}, "entity": {"_id": "cus_1"}}""")
                .json()
                .get("event_id")
                .asText();
        List<Received> held = receiver.awaitReceived(1, Duration.ofSeconds(20));
        assertThat(held).as("node A's attempt, held by the receiver").hasSize(1);
        assertThat(held.get(0).header("webhook-id"))
                .as("the held request is the event's")
                .isEqualTo(eventId);

        ServerProcess nodeB = servers.start("node B", database, environment);
        long killedAt = System.nanoTime();
        nodeA.kill();

        List<Received> requests = receiver.awaitReceived(2, WATCH);
        assertThat(requests)
                .as(
                        "node B takes over the job of node A, killed in the middle of its attempt, "
                                + "within %d s at all",
                        WATCH.toSeconds())
                .hasSizeGreaterThanOrEqualTo(2);
        Duration takeover = Duration.ofNanos(requests.get(1).arrivedNanos() - killedAt);
        System.out.printf(
                "PostgresTakeoverIT: node B took over node A's job %.1f s after kill -9 of node A "
                        + "(bound %.1f s: documented %.1f s + margin %d s)%n",
                takeover.toMillis() / 1e3,
                BOUND.toMillis() / 1e3,
                DOCUMENTED_TAKEOVER.toMillis() / 1e3,
                MARGIN.toSeconds());
        assertThat(requests.get(1).header("webhook-id"))
                .as("node B resends the same message")
                .isEqualTo(eventId);
        assertThat(takeover)
                .as(
                        "time from the kill of node A to node B's request: %.1f s, over the bound of %.1f s",
                        takeover.toMillis() / 1e3, BOUND.toMillis() / 1e3)
                .isLessThanOrEqualTo(BOUND);

        ServerApi viaB = new ServerApi(nodeB, TOKEN);
        Await.until(
                "the event to succeed, read through node B",
                Duration.ofSeconds(15),
                () -> viaB.call("GET", "/v1/webhooks/configs/" + configId + "/events/" + eventId, null),
                reply -> reply.ok() && reply.json().path("status").asText().equals("succeeded"));
    }
}
