package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.server.RawHttp.Reply;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, found by the fault runs: while the database is out of reach, the server answers 503 with
 * {@code Retry-After} and an {@code ErrorResp}, not a 500: the request may succeed when repeated.
 * A real PostgreSQL is stopped under a running server.
 */
class StoreOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedPostgres postgres;
    private ApiServer api;
    private RawHttp http;

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        if (api != null) {
            api.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aDatabaseOutOfReachIsA503WithRetryAfterOnEveryKindOfRoute() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        JdbcWebhookStore store = JdbcWebhookStore.builder(
                        postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")
                .keyCipher(AesGcmKeyCipher.of(new byte[32]))
                .connectionTimeout(Duration.ofSeconds(1))
                .poolSize(2)
                .build();
        api = new ApiServer(store);
        String configId = api.createConfig("""
                {"name": "outage", "eventName": "customer_created", "url": "http://127.0.0.1:9/hook"}""");
        http = new RawHttp(api.server.port());

        postgres.close();
        postgres = null;

        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Authorization", "Bearer " + ApiServer.TOKEN_A),
                Map.entry("Content-Type", "application/json"));
        for (String[] request : List.of(
                new String[] {"POST", "/v1/webhooks/events", "{\"eventName\": \"customer_created\", \"entity\": {}}"},
                new String[] {"GET", "/v1/webhooks/configs", null},
                new String[] {"GET", "/v1/webhooks/configs/" + configId, null},
                new String[] {"PUT", "/v1/webhooks/variables/KEY", "{\"value\": \"v\"}"})) {
            Reply reply = http.exchange(
                    request[0],
                    request[1],
                    headers,
                    request[2] == null ? null : request[2].getBytes(StandardCharsets.UTF_8));
            String described = request[0] + " " + request[1] + " -> " + reply.status() + " " + reply.text();
            assertThat(reply.status()).as(described).isEqualTo(503);
            assertThat(reply.header("Retry-After")).as(described).isEqualTo("5");
            assertThat(reply.header("Content-Type")).as(described).startsWith("application/json");
            assertThat(JSON.readTree(reply.body()).path("message").asText())
                    .as(described)
                    .isEqualTo("The database is unavailable; try again shortly");
        }
    }
}
