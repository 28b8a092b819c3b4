package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * What the console's browser tests stand on: a started server on the system clock (the console counts
 * "the last 24 h" by the browser's clock) with a real receiver on 127.0.0.1, seeded through the API
 * before any browser opens, and the headless Chromium that drives the console.
 *
 * <p>The seed: config "seeded", {@value #DELIVERED} deliveries of which the receiver answered the first
 * {@value #FAILED} with 400 (failed at once, no retry), and one more whose payload and response are
 * hostile HTML.
 */
final class ConsoleFixture implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String TOKEN = "console-token-of-acme";
    static final int FAILED = 3;
    static final int DELIVERED = 60;
    static final String HOSTILE =
            "<img src=x onerror=\"window.__pwned='payload'\"></script>" + "<script>window.__pwned='script'</script>";
    static final String HOSTILE_RESPONSE = "<img src=x onerror=\"window.__pwned='response'\">";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    // Set one by one as they start, so that close() stops whatever did when a later one fails.
    private TestReceiver receiver;
    private JettyHttpTransport transport;
    private WebhookEngine engine;
    private WebhookServer server;
    private final Set<String> seededEventIds = new LinkedHashSet<>();
    private String seededId;
    private String hostileEventId;

    private ConsoleFixture() {}

    private void start() throws Exception {
        receiver = TestReceiver.start();
        transport = JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
        engine = WebhookEngine.builder()
                .store(new InMemoryWebhookStore())
                .transport(transport)
                .build();
        server = WebhookServer.builder(engine)
                .authenticator(Authenticator.ofTokens(Map.of(TOKEN, "acme")))
                .host("127.0.0.1")
                .port(0)
                .build()
                .start();
    }

    /** Starts the server and the receiver and seeds them; closes what started if any of it fails. */
    static ConsoleFixture startSeeded() throws Exception {
        ConsoleFixture fixture = new ConsoleFixture();
        try {
            fixture.start();
            fixture.seed();
            return fixture;
        } catch (Exception | AssertionError e) {
            fixture.close();
            throw e;
        }
    }

    private void seed() throws Exception {
        seededId = api("POST", "/v1/webhooks/configs", """
                        {"name": "seeded", "eventName": "order_created", "url": "%s"}""".formatted(receiver.url("/seeded")))
                .get("id")
                .asText();
        Answer[] failures = new Answer[FAILED];
        Arrays.fill(failures, Answer.text(400, "no thanks"));
        receiver.answer(failures);
        for (int i = 0; i < DELIVERED; i++) {
            JsonNode answer = api(
                    "POST",
                    "/v1/webhooks/configs/" + seededId + "/trigger?sync=true",
                    "{\"entity\": {\"_id\": \"ord_" + i + "\"}}");
            seededEventIds.add(answer.get("event_id").asText());
        }
        receiver.answer(Answer.text(200, HOSTILE_RESPONSE));
        hostileEventId = api(
                        "POST",
                        "/v1/webhooks/configs/" + seededId + "/trigger?sync=true",
                        MAPPER.writeValueAsString(Map.of("entity", Map.of("_id", "ord_x", "note", HOSTILE))))
                .get("event_id")
                .asText();
        seededEventIds.add(hostileEventId);
    }

    /** A headless Chromium that talks to nobody but the server under test, its console log kept. */
    static WebDriver startBrowser() {
        // fails (not skips) on a machine without the browser, saying how to get it
        assertThat(CHROMIUM)
                .as("Chromium is missing: .ci/run installs it (apt-get install chromium chromium-driver)")
                .isExecutable();
        assertThat(CHROMEDRIVER)
                .as("chromedriver is missing: .ci/run installs it (apt-get install chromium chromium-driver)")
                .isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // the tests may run as root, where Chromium's sandbox cannot start
                "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--no-first-run",
                "--no-default-browser-check");
        // The browser's console log, read for Content-Security-Policy violations.
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    TestReceiver receiver() {
        return receiver;
    }

    String seededId() {
        return seededId;
    }

    String hostileEventId() {
        return hostileEventId;
    }

    /** Every event of config "seeded", oldest first. */
    Set<String> seededEventIds() {
        return Collections.unmodifiableSet(seededEventIds);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** The config of that name, read through the API; null when there is none. */
    JsonNode configNamed(String name) throws Exception {
        for (JsonNode config : api("GET", "/v1/webhooks/configs", null)) {
            if (config.path("name").asText().equals(name)) {
                return config;
            }
        }
        return null;
    }

    /** A call to the API as organization "acme", which must answer 2xx; its JSON answer. */
    JsonNode api(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isBetween(200, 299);
        return MAPPER.readTree(response.body());
    }

    /** An unauthenticated GET's body. */
    String publicGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }
}
