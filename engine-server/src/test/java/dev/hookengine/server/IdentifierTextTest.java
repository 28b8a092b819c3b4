package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.server.ApiServer.Response;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rule for identifier text (README "Bad input"), over HTTP, on the memory store and on a real
 * PostgreSQL: a NUL, another control character, DEL or an unpaired surrogate in any id, name or cursor
 * is a 400 naming the parameter, the same on both stores, and changes nothing. Before the rule,
 * PostgreSQL answered these with a 500 and a stack trace in the log (it cannot keep a NUL in text),
 * while the memory store took them.
 */
class IdentifierTextTest {

    private static final String MASTER_KEY = AesGcmKeyCipher.generateBase64Key(new SecureRandom());
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    /** The stores each case runs on. */
    enum Store {
        MEMORY,
        POSTGRESQL
    }

    private WebhookStore store;
    private ApiServer api;
    private TestReceiver receiver;

    /** Everything a refused request could have changed. */
    private record Snapshot(String store, int received) {}

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (store instanceof JdbcWebhookStore jdbc) {
            jdbc.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static WebhookStore newStore(Store kind) throws Exception {
        if (kind == Store.MEMORY) {
            return new InMemoryWebhookStore();
        }
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().start();
        }
        return JdbcWebhookStore.builder(
                        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "postgres")
                .poolSize(2)
                .keyCipher(AesGcmKeyCipher.ofBase64(MASTER_KEY))
                .tablePrefix("text_" + PREFIXES.incrementAndGet() + "_")
                .build();
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void badCharactersInAnyIdNameOrCursorAre400NamingTheParameterAndChangeNothing(Store kind) throws Exception {
        store = newStore(kind);
        api = new ApiServer(store);
        receiver = TestReceiver.start();
        String configId = api.createConfig("""
                {"name": "a", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
        String eventId = api.call("POST", "/v1/webhooks/configs/" + configId + "/trigger?sync=true", """
                {"metadata": {"action": "seed"}}""")
                .json()
                .get("event_id")
                .asText();
        api.engine.putVariable(ApiServer.ORG_A, "KEPT", "value");
        Snapshot before = snapshot();
        String config = "/v1/webhooks/configs/" + configId;
        String validConfig = """
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com"}""";
        String legacyCursorWithNul = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"created_at\": \"2026-03-01T10:00:00Z\", \"event_id\": \"a\\u0000b\"}"
                        .getBytes(StandardCharsets.UTF_8));

        SoftAssertions softly = new SoftAssertions();
        // {method, path, body (null: none), token (null: none), what the message must name}
        String[][] cases = {
            // the public key needs no token: anyone could send these
            {"GET", "/v1/webhooks/.well-known/public-key?orgId=org%00a", null, null, "orgId: " + CONTROL},
            {"GET", "/v1/webhooks/.well-known/public-key?orgId=org%7Fa", null, null, "orgId: " + CONTROL},
            {
                "GET",
                "/v1/webhooks/configs?eventName=customer%00created",
                null,
                ApiServer.TOKEN_A,
                "eventName: " + CONTROL
            },
            {"GET", "/v1/webhooks/configs/ab%01c", null, ApiServer.TOKEN_A, "configId: " + CONTROL},
            {"GET", "/v1/webhooks/configs/ab%1Bc", null, ApiServer.TOKEN_A, "configId: " + CONTROL},
            {"PUT", "/v1/webhooks/configs/ab%01c", validConfig, ApiServer.TOKEN_A, "configId: " + CONTROL},
            {"DELETE", "/v1/webhooks/configs/ab%01c", null, ApiServer.TOKEN_A, "configId: " + CONTROL},
            {"POST", "/v1/webhooks/configs", """
                {"name": "a", "eventName": "customer\\u0000created", "url": "https://a.example.com"}""", ApiServer.TOKEN_A, "eventName: " + CONTROL},
            {"PUT", config, """
                {"name": "a", "eventName": "customer\\u0000created", "url": "https://a.example.com"}""", ApiServer.TOKEN_A, "eventName: " + CONTROL},
            {"POST", "/v1/webhooks/configs", """
                {"name": "a", "eventName": "customer\\ud800created", "url": "https://a.example.com"}""", ApiServer.TOKEN_A, "eventName: must not contain unpaired surrogates"},
            {
                "POST",
                "/v1/webhooks/configs/ab%01c/trigger",
                "{\"metadata\": {}}",
                ApiServer.TOKEN_A,
                "configId: " + CONTROL
            },
            {"POST", "/v1/webhooks/configs/ab%01c/example", "{}", ApiServer.TOKEN_A, "configId: " + CONTROL},
            {"POST", "/v1/webhooks/configs/ab%01c/test-oauth", null, ApiServer.TOKEN_A, "configId: " + CONTROL},
            {
                "POST",
                "/v1/webhooks/configs/ab%01c/signing-secret/rotate",
                null,
                ApiServer.TOKEN_A,
                "configId: " + CONTROL
            },
            {"GET", config + "/events/ev%1Ft", null, ApiServer.TOKEN_A, "eventId: " + CONTROL},
            {"POST", config + "/events/ev%1Ft/replay", null, ApiServer.TOKEN_A, "eventId: " + CONTROL},
            {"GET", config + "/events?cursor=ab%00c", null, ApiServer.TOKEN_A, "cursor: " + CONTROL},
            {"GET", config + "/events?cursor=" + legacyCursorWithNul, null, ApiServer.TOKEN_A, "cursor: is not a cursor"
            },
            {
                "POST",
                "/v2" + config.substring(3) + "/events",
                "{\"event_id\": \"ev\\u0000t\"}",
                ApiServer.TOKEN_A,
                "event_id: " + CONTROL
            },
            {"POST", "/v2" + config.substring(3) + "/events", """
                {"cursor": {"created_at": "2026-03-01T10:00:00Z", "event_id": "ev\\u0000t"}}""", ApiServer.TOKEN_A, "cursor.event_id: " + CONTROL},
            {
                "POST",
                config + "/events/replay-batch",
                "{\"eventIds\": [\"" + eventId + "\", \"ev\\u0000t\"]}",
                ApiServer.TOKEN_A,
                "eventIds[1]: " + CONTROL
            },
            {
                "POST",
                "/v1/webhooks/events",
                "{\"eventName\": \"customer\\u0000created\"}",
                ApiServer.TOKEN_A,
                "eventName: " + CONTROL
            },
            {"PUT", "/v1/webhooks/variables/KE%7FPT", "{\"value\": \"v\"}", ApiServer.TOKEN_A, "name: " + CONTROL},
            {"DELETE", "/v1/webhooks/variables/KE%7FPT", null, ApiServer.TOKEN_A, "name: " + CONTROL},
        };
        for (String[] c : cases) {
            Response response;
            try {
                response = api.call(c[0], c[1], c[3], c[2]);
            } catch (AssertionError notValid) {
                softly.fail("%s %s %s on %s: %s", c[0], c[1], c[2], kind, notValid.getMessage());
                continue;
            }
            softly.assertThat(response.status())
                    .as("%s %s %s on %s: %s", c[0], c[1], c[2], kind, response.body())
                    .isEqualTo(400);
            softly.assertThat(response.message())
                    .as("%s %s %s on %s", c[0], c[1], c[2], kind)
                    .contains(c[4]);
        }
        softly.assertAll();
        api.engine.deliverDue();
        assertThat(snapshot()).as("state after the refused requests").isEqualTo(before);
    }

    private static final String CONTROL = "must not contain control characters";

    private Snapshot snapshot() {
        return new Snapshot(api.storeState(), receiver.received().size());
    }
}
