package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server on its embedded H2 default survives a restart: configs and events are kept,
 * and an event waiting for a retry when the server stopped is delivered by the next one. Time is a
 * {@link MutableClock}: the retry comes due by moving the clock, never by waiting for it.
 */
class StandaloneRestartTest {

    private static final String TOKEN = "restart-token";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private TestReceiver receiver;
    private StandaloneServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private StandaloneServer start() throws Exception {
        ServerOptions options = ServerOptions.parse(
                new String[] {"--host", "127.0.0.1", "--port", "0", "--db", "h2:" + dataDir},
                Map.of("HOOKENGINE_API_TOKENS", TOKEN + "=org-a", "HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true"));
        // The workers' first round runs at start and the next a day later: this test makes every
        // later round itself, with deliverDue(), after moving the clock.
        UnaryOperator<WebhookEngineBuilder> tuning =
                builder -> builder.clock(clock).pollInterval(Duration.ofDays(1));
        return StandaloneServer.start(options, tuning, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void configsEventsAndAPendingRetrySurviveARestart() throws Exception {
        receiver = TestReceiver.start().answer(Answer.of(500));
        server = start();
        JsonNode created = call("POST", "/v1/webhooks/configs", """
                {"name": "survivor", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        String configId = created.get("id").asText();
        String eventId = call("POST", "/v1/webhooks/configs/" + configId + "/trigger", """
                {"metadata": {"action": "restart test"}}""")
                .get("event_id")
                .asText();
        deliverUntilReceived(1);
        JsonNode waiting = call("GET", "/v1/webhooks/configs/" + configId + "/events/" + eventId, null);
        assertThat(waiting.get("status").asText()).isEqualTo("in_progress");
        assertThat(waiting.get("http_response").get("status_code").asInt()).isEqualTo(500);

        server.close();
        server = start();

        assertThat(call("GET", "/v1/webhooks/configs/" + configId, null)
                        .get("name")
                        .asText())
                .isEqualTo("survivor");
        assertThat(call("GET", "/v1/webhooks/configs/" + configId + "/events/" + eventId, null)
                        .get("status")
                        .asText())
                .isEqualTo("in_progress");
        clock.advance(Duration.ofMinutes(1)); // past the first retry's 5 s (+20 % jitter at most)
        deliverUntilReceived(2);
        JsonNode delivered = call("GET", "/v1/webhooks/configs/" + configId + "/events/" + eventId, null);
        assertThat(delivered.get("status").asText()).isEqualTo("succeeded");
        assertThat(delivered.get("retry_attempt").asInt()).isEqualTo(1);
        assertThat(receiver.received())
                .extracting(request -> request.header("webhook-id"))
                .containsExactly(eventId, eventId);
    }

    @Test
    void theEmbeddedDefaultKeepsItsGeneratedKeyOwnerOnlyAndReusesIt() throws Exception {
        server = start();
        Path keyFile = dataDir.resolve(StandaloneServer.KEY_FILE);
        String key = Files.readString(keyFile);
        String signingSecretHolder =
                call("POST", "/v1/webhooks/configs", """
                {"name": "k", "eventName": "customer_created", "url": "https://a.example.com",
                 "auth": {"authType": "BASIC", "basicAuthConfig": {"username": "u", "password": "sealed"}}}""").get("id").asText();
        server.close();

        server = start();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(keyFile)).isEqualTo(key);
        // The sealed password is still readable with the same key: the config is still complete.
        assertThat(call("GET", "/v1/webhooks/configs/" + signingSecretHolder, null)
                        .get("status")
                        .asText())
                .isEqualTo("active");
    }

    private void deliverUntilReceived(int count) throws InterruptedException {
        InProcessServer.deliverUntilReceived(server, receiver, count);
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        return InProcessServer.call(server, TOKEN, method, path, body);
    }
}
