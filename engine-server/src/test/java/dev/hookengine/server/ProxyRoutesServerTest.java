package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.testing.TestProxy;
import dev.hookengine.testing.TestReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone server takes its proxy routes from {@code HOOKENGINE_SECURE_PROXIES} and
 * {@code HOOKENGINE_STATIC_IP_PROXY}: a {@code secureProxy} config delivers through its proxy (a real
 * forward proxy on 127.0.0.1), and a config asking for a route the server was not given is a 400
 * naming the field.
 */
class ProxyRoutesServerTest {

    private static final String TOKEN = "proxy-token";
    private static final String INTEGRATION = "123E4567-E89B-12D3-A456-426614174000"; // any case
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private TestReceiver receiver;
    private TestProxy secureProxy;
    private TestProxy staticProxy;
    private StandaloneServer server;

    @AfterEach
    void stop() {
        for (AutoCloseable resource : new AutoCloseable[] {server, receiver, secureProxy, staticProxy}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void secureProxyAndStaticIpConfigsDeliverThroughTheProxiesTheEnvironmentNames() throws Exception {
        receiver = TestReceiver.start();
        secureProxy = TestProxy.start();
        staticProxy = TestProxy.start();
        server = start(Map.of(
                "HOOKENGINE_SECURE_PROXIES",
                "11111111-2222-3333-4444-555555555555/other=127.0.0.1:9, " + INTEGRATION + "/erp-sync="
                        + secureProxy.address(),
                "HOOKENGINE_STATIC_IP_PROXY",
                staticProxy.address()));

        HttpResponse<String> secure =
                call("POST", "/v1/webhooks/configs", """
                {"name": "erp", "eventName": "customer_created", "url": "%s",
                 "secureProxy": {"integration_id": "%s", "use_case_slug": "erp-sync"}}""".formatted(receiver.url("/secure"), INTEGRATION.toLowerCase()));
        HttpResponse<String> staticIp = call("POST", "/v1/webhooks/configs", """
                {"name": "static", "eventName": "customer_created", "url": "%s", "enableStaticIP": true}""".formatted(receiver.url("/static")));
        assertThat(secure.statusCode()).as(secure.body()).isEqualTo(201);
        assertThat(staticIp.statusCode()).as(staticIp.body()).isEqualTo(201);

        for (HttpResponse<String> created : List.of(secure, staticIp)) {
            String id = MAPPER.readTree(created.body()).get("id").asText();
            JsonNode triggered = MAPPER.readTree(call("POST", "/v1/webhooks/configs/" + id + "/trigger?sync=true", """
                            {"metadata": {"action": "proxy test"}, "entity": {"_id": "cus_1"}}""")
                    .body());
            JsonNode event = MAPPER.readTree(call(
                            "GET",
                            "/v1/webhooks/configs/" + id + "/events/"
                                    + triggered.get("event_id").asText(),
                            null)
                    .body());
            assertThat(event.get("status").asText()).as(event.toString()).isEqualTo("succeeded");
        }

        assertThat(secureProxy.seen()).containsExactly(new TestProxy.Seen("POST", receiver.url("/secure")));
        assertThat(staticProxy.seen()).containsExactly(new TestProxy.Seen("POST", receiver.url("/static")));
        assertThat(receiver.received()).extracting(r -> r.path()).containsExactly("/secure", "/static");
    }

    @Test
    void aConfigAskingForARouteTheServerWasNotGivenIsA400NamingTheField() throws Exception {
        receiver = TestReceiver.start();
        server = start(Map.of("HOOKENGINE_SECURE_PROXIES", INTEGRATION + "/erp-sync=127.0.0.1:9"));

        HttpResponse<String> unknownUseCase =
                call("POST", "/v1/webhooks/configs", """
                {"name": "erp", "eventName": "customer_created", "url": "%s",
                 "secureProxy": {"integration_id": "%s", "use_case_slug": "billing"}}""".formatted(receiver.url("/hook"), INTEGRATION));
        HttpResponse<String> noStaticIp = call("POST", "/v1/webhooks/configs", """
                {"name": "static", "eventName": "customer_created", "url": "%s", "enableStaticIP": true}""".formatted(receiver.url("/hook")));

        assertThat(unknownUseCase.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(unknownUseCase.body()).get("message").asText())
                .contains("secureProxy: no secure proxy route is configured");
        assertThat(noStaticIp.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(noStaticIp.body()).get("message").asText())
                .contains("enableStaticIP: this engine has no static IP egress proxy");
        assertThat(MAPPER.readTree(call("GET", "/v1/webhooks/configs", null).body())
                        .toString())
                .doesNotContain("\"name\":\"erp\"")
                .doesNotContain("\"name\":\"static\"");
    }

    private StandaloneServer start(Map<String, String> proxyEnv) throws Exception {
        Map<String, String> env = new HashMap<>(proxyEnv);
        env.put("HOOKENGINE_API_TOKENS", TOKEN + "=org-a");
        env.put("HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true");
        ServerOptions options =
                ServerOptions.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--db", "memory"}, env);
        return StandaloneServer.start(
                options,
                builder -> builder.pollInterval(Duration.ofDays(1)),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(20));
        request = body == null
                ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
