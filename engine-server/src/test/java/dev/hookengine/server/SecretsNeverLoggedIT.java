package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.server.ServerApi.Reply;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: no secret value ever reaches a log line, an error body, a read response or a metric.
 *
 * <p>The packaged server runs as users run it, on its embedded H2 with a master key, with DEBUG
 * turned on for everything and for each logger its configuration quiets (Jetty, Javalin, HikariCP,
 * jOOQ): what an operator does to debug a delivery. Jetty's wire dumps stay off unless named on
 * purpose (the server's {@code simplelogger.properties}): at DEBUG they print every header, and
 * this test found the API token, Basic, API-key and OAuth credentials and custom header values in
 * them. A scenario then uses every kind of secret the server holds: the API
 * token, the master key, a Basic password (typed, and through an org variable), API key values,
 * an OAuth client secret and the access token its endpoint issues, variable values referenced from a
 * custom header, the configs' signing secrets and a rotated one; and fails every way it can: a 500,
 * a 401, a 429 with {@code Retry-After}, a 410 that disables its config, a refused connection, a
 * missing variable, an OAuth token endpoint answering 500 and another 401, {@code test-oauth} of
 * both, bad requests with secrets in their bodies. Everything the server printed, every answer but
 * the two that reveal a signing secret once by design, and a {@code /metrics} scrape are then
 * searched for every secret, in the forms it travels in ({@link SecretScan}).
 *
 * <p>The scan is shown to find what reaches the log: the organization's id, printed by the log
 * line of the 410, is looked for as if it were a secret and must be found there.
 */
class SecretsNeverLoggedIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ORG = "secrets-org-" + random();

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @TempDir
    Path dataDir;

    private final List<TestReceiver> receivers = new ArrayList<>();
    /** Every answer the scenario got, by request; the scan's "answers" channel. */
    private final Map<String, String> answers = new LinkedHashMap<>();

    private final SecretScan scan = new SecretScan();
    private ServerApi api;

    @AfterEach
    void stopReceivers() throws Exception {
        servers.closeAll();
        for (TestReceiver receiver : receivers) {
            receiver.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void noSecretInTheLogAtDebugInErrorBodiesReadResponsesOrMetrics() throws Exception {
        String apiToken = "token-" + random();
        byte[] masterKey = new byte[32];
        RANDOM.nextBytes(masterKey);
        String masterKeyText = Base64.getEncoder().encodeToString(masterKey);
        scan.secret("the API token", apiToken).secret("the master key", masterKeyText);

        ServerProcess server = servers.start(
                "secrets",
                everyLoggerAtDebug(),
                List.of("--db", "h2:" + dataDir),
                Map.of(
                        "HOOKENGINE_API_TOKENS",
                        apiToken + "=" + ORG,
                        "HOOKENGINE_MASTER_KEY",
                        masterKeyText,
                        "HOOKENGINE_ALLOW_PRIVATE_TARGETS",
                        "true"));
        api = new ServerApi(server, apiToken);

        TestReceiver hooks = receiver(Answer.of(200));
        TestReceiver failing = receiver(Answer.of(500));
        failing.answer(Answer.of(401), new Answer(429, Map.of("Retry-After", "120"), ""));
        TestReceiver gone = receiver(Answer.of(410));
        String accessToken = "access-" + random();
        scan.secret("the OAuth access token", accessToken);
        TestReceiver tokens = receiver(Answer.json(200, """
                {"access_token": "%s", "token_type": "Bearer", "expires_in": 3600}""".formatted(accessToken)));
        TestReceiver brokenTokens = receiver(Answer.text(500, "token service unavailable"));
        TestReceiver refusingTokens = receiver(
                Answer.json(401, "{\"error\": \"invalid_client\", \"error_description\": \"unknown client\"}"));
        String closed = "http://127.0.0.1:" + closedPort() + "/hook";

        // Variables: their values are secrets, their names are not.
        String variablePassword = variable("BASIC_PASSWORD", "a Basic password in a variable");
        String variableApiKey = variable("PARTNER_KEY", "an API key in a variable");
        String variableClientSecret = variable("CLIENT_SECRET", "a client secret in a variable");
        variable("HEADER_TOKEN", "a variable in a custom header");

        String basicPassword = "basic-" + random();
        scan.basicCredentials("a typed Basic password", "shop", basicPassword)
                .basicCredentials("a Basic password in a variable, as sent", "shop", variablePassword);
        String apiKey = "apikey-" + random();
        scan.secret("a typed API key", apiKey);
        String clientSecret = "client-" + random();
        scan.secret("a typed OAuth client secret", clientSecret);

        List<String> configs = new ArrayList<>();
        configs.add(config(
                "basic typed", hooks.url("/basic"), basic("\"" + basicPassword + "\", \"passwordIsEnvVar\": false")));
        configs.add(config(
                "basic variable",
                hooks.url("/basic-var"),
                basic("\"{{ env.BASIC_PASSWORD }}\", \"passwordIsEnvVar\": true")));
        configs.add(config("api key typed", failing.url("/key"), apiKeyAuth("\"" + apiKey + "\"")));
        configs.add(config(
                "api key variable",
                hooks.url("/key-var"),
                apiKeyAuth("\"{{ env.PARTNER_KEY }}\", \"keyValueIsEnvVar\": true")));
        configs.add(config("oauth", hooks.url("/oauth"), oauth(clientSecret, tokens.url("/token"))));
        configs.add(config(
                "oauth variable", hooks.url("/oauth-var"), oauth("{{ env.CLIENT_SECRET }}", tokens.url("/token"))));
        String brokenOAuth =
                config("oauth broken endpoint", hooks.url("/x"), oauth(clientSecret, brokenTokens.url("/token")));
        String refusedOAuth =
                config("oauth refused", hooks.url("/x"), oauth(clientSecret, refusingTokens.url("/token")));
        configs.add(brokenOAuth);
        configs.add(refusedOAuth);
        configs.add(config("custom header", hooks.url("/header"), null, """
                "payloadConfiguration": {"custom_headers": {"X-Partner-Token": "{{ env.HEADER_TOKEN }}"}}"""));
        configs.add(config("missing variable", hooks.url("/missing"), null, """
                "payloadConfiguration": {"custom_headers": {"X-Unset": "{{ env.NEVER_SET }}"}}"""));
        configs.add(config("refused connection", closed, basic("\"" + basicPassword + "\"")));
        String goneConfig = config("gone", gone.url("/gone"), apiKeyAuth("\"" + apiKey + "\""));
        configs.add(goneConfig);

        // Deliveries: a synchronous trigger of each, then publishes to all of them at once.
        for (String configId : configs) {
            call("POST", "/v1/webhooks/configs/" + configId + "/trigger?sync=true", """
                    {"metadata": {"action": "secrets scan"}, "entity": {"_id": "ent_1"}}""");
        }
        for (int i = 0; i < 3; i++) {
            call("POST", "/v1/webhooks/events", """
                    {"eventName": "secret_scan", "metadata": {"action": "publish %d"}, "entity": {"_id": "ent_%d"}}""".formatted(i, i));
        }
        call("POST", "/v1/webhooks/configs/" + brokenOAuth + "/test-oauth", null);
        call("POST", "/v1/webhooks/configs/" + refusedOAuth + "/test-oauth", null);
        call("POST", "/v1/webhooks/configs/" + configs.get(4) + "/test-oauth", null);

        // Rotation: the new secret is revealed once, by design, in the rotation's own answer.
        String rotated = api.acknowledged(
                        "POST", "/v1/webhooks/configs/" + configs.get(0) + "/signing-secret/rotate", null)
                .json()
                .get("signingSecret")
                .asText();
        scan.secret("a rotated signing secret", rotated);
        call("POST", "/v1/webhooks/signing-key/rotate", null);
        call(
                "POST",
                "/v1/webhooks/configs/" + configs.get(0) + "/trigger?sync=true",
                "{\"entity\": {\"_id\": \"after rotation\"}}");

        // Bad requests that carry secrets: the refusal must not quote them.
        call("POST", "/v1/webhooks/configs", """
                {"name": "bad url", "eventName": "secret_scan", "url": "not a url %s",
                 "auth": {"authType": "BASIC", "basicAuthConfig": {"username": "shop", "password": "%s"}}}""".formatted(basicPassword, basicPassword));
        call("POST", "/v1/webhooks/configs", """
                {"name": "cut off", "eventName": "secret_scan", "auth": {"authType": "API_KEY",
                 "apiKeyConfig": {"keyName": "X-Key", "keyValue": "%s\"""".formatted(apiKey));
        call("POST", "/v1/webhooks/configs", """
                {"name": "wrong type", "eventName": "secret_scan", "auth": {"authType": "OAUTH_CLIENT_CREDENTIALS",
                 "oauthConfig": {"clientId": "shop", "clientSecret": ["%s"], "endpoint": "%s"}}}""".formatted(clientSecret, tokens.url("/token")));
        call("PUT", "/v1/webhooks/variables/BAD%0AName", "{\"value\": \"" + variablePassword + "\"}");
        Reply wrongToken = new ServerApi(server, apiToken + "x").call("GET", "/v1/webhooks/configs", null);
        answers.put(wrongToken.request() + " with a wrong token -> " + wrongToken.status(), wrongToken.body());

        // Every delivery has happened before anything is read and scanned.
        // Six configs reach this receiver: a trigger each, three publishes each, one trigger after rotating.
        assertThat(hooks.awaitReceived(25, Duration.ofSeconds(60))).hasSize(25);
        Await.until(
                "the 410 to disable its config",
                Duration.ofSeconds(30),
                () -> api.call("GET", "/v1/webhooks/configs/" + goneConfig, null),
                reply -> reply.ok() && !reply.json().path("enabled").asBoolean(true));

        // Everything readable.
        call("GET", "/v1/webhooks/configs", null);
        call("GET", "/v1/webhooks/variables", null);
        call("GET", "/v1/webhooks/configured-events", null);
        call("GET", "/v1/webhooks/.well-known/public-key?orgId=" + ORG, null);
        for (String configId : configs) {
            call("GET", "/v1/webhooks/configs/" + configId, null);
            Reply events = call("GET", "/v1/webhooks/configs/" + configId + "/events", null);
            call("POST", "/v2/webhooks/configs/" + configId + "/events", "{}");
            for (JsonNode event : events.json().path("data")) {
                call(
                        "GET",
                        "/v1/webhooks/configs/" + configId + "/events/"
                                + event.path("event_id").asText(),
                        null);
            }
            call("POST", "/v1/webhooks/configs/" + configId + "/example", "{}");
        }
        answers.put("GET /metrics", api.call("GET", "/metrics", null).body());
        server.stop(); // and its last lines with it

        Map<String, String> captured = new LinkedHashMap<>(answers);
        captured.put("the server's output", server.output());
        assertThat(server.output())
                .as("the server logged at DEBUG, Jetty included: the scan reads a real debug log")
                .contains(" DEBUG QueuedThreadPool ");
        assertThat(scan.formCount()).isGreaterThanOrEqualTo(40);
        assertThat(scan.findIn(captured))
                .as(
                        "secret values in %d answers and %d lines of server output",
                        answers.size(), server.output().lines().count())
                .isEmpty();

        scan.secret("the organization (not a secret: logged by the 410's line)", ORG);
        assertThat(scan.findIn(Map.of("the server's output", server.output())))
                .as("the scan finds a value that reached the log")
                .singleElement()
                .satisfies(finding -> assertThat(finding.excerpt()).contains("410"));
    }

    /** Each logger the server's configuration quiets, and the default, at DEBUG. */
    private static List<String> everyLoggerAtDebug() {
        List<String> options = new ArrayList<>(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"));
        for (String logger : List.of(
                "org.eclipse.jetty",
                "io.javalin",
                "com.zaxxer.hikari",
                "org.jooq",
                "org.jooq.impl.DefaultExecuteContext.logVersionSupport")) {
            options.add("-Dorg.slf4j.simpleLogger.log." + logger + "=debug");
        }
        return options;
    }

    private String variable(String name, String what) {
        String value = name.toLowerCase() + "-" + random();
        scan.secret(what, value);
        api.acknowledged("PUT", "/v1/webhooks/variables/" + name, "{\"value\": \"" + value + "\"}");
        return value;
    }

    private String config(String name, String url, String auth) {
        return config(name, url, auth, null);
    }

    /** Creates a config of the scan's event; its signing secret, revealed in this one answer, joins the scan. */
    private String config(String name, String url, String auth, String extra) {
        String body =
                """
                {"name": "%s", "eventName": "secret_scan", "url": "%s", "retryPolicy": {"enabled": false}%s%s}""".formatted(name, url, auth == null ? "" : ", \"auth\": " + auth, extra == null ? "" : ", " + extra);
        JsonNode created =
                api.acknowledged("POST", "/v1/webhooks/configs", body).json();
        scan.secret(
                "the signing secret of '" + name + "'",
                created.get("signingSecret").asText());
        return created.get("id").asText();
    }

    private static String basic(String password) {
        return "{\"authType\": \"BASIC\", \"basicAuthConfig\": {\"username\": \"shop\", \"password\": " + password
                + "}}";
    }

    private static String apiKeyAuth(String value) {
        return "{\"authType\": \"API_KEY\", \"apiKeyConfig\": {\"keyName\": \"X-Api-Key\", \"keyValue\": " + value
                + "}}";
    }

    private static String oauth(String clientSecret, String endpoint) {
        return """
                {"authType": "OAUTH_CLIENT_CREDENTIALS", "oauthConfig": {"clientId": "shop", "clientSecret": "%s",
                 "endpoint": "%s", "httpMethod": "POST"}}""".formatted(clientSecret, endpoint);
    }

    private Reply call(String method, String path, String json) {
        Reply reply = api.call(method, path, json);
        answers.put(reply.request() + " -> " + reply.status(), reply.body());
        return reply;
    }

    private TestReceiver receiver(Answer otherwise) throws Exception {
        TestReceiver receiver = TestReceiver.start().otherwise(otherwise);
        receivers.add(receiver);
        return receiver;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
