package dev.hookengine.server;

import static dev.hookengine.server.ConsoleFixture.DELIVERED;
import static dev.hookengine.server.ConsoleFixture.FAILED;
import static dev.hookengine.server.ConsoleFixture.HOSTILE;
import static dev.hookengine.server.ConsoleFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.server.HeadlessFirefox.Element;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web console in a real headless Firefox ESR, driven through Marionette ({@link
 * HeadlessFirefox}; Debian has no geckodriver), against the same seeded server as {@link
 * ConsoleBrowserTest}'s Chromium. The steps run in order in one document, as a user would: after the
 * first load every screen is reached by a change of the URL's fragment, so that a listener for
 * Content-Security-Policy violations injected once sees every screen rendered. Each step saves a
 * screenshot under {@code target/console-screenshots/firefox-*.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleFirefoxTest {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int PAGE_SIZE = 25;

    /**
     * Firefox reports a violation of the page's policy as a {@code securitypolicyviolation} event
     * (not in any log Marionette can read): collected into an array the last step reads. A reload
     * would drop the array, which that step then sees as a failure rather than as no violation.
     */
    private static final String LISTEN_FOR_CSP_VIOLATIONS = """
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', (violation) => window.__cspViolations.push(
                violation.violatedDirective + ' blocked ' + violation.blockedURI
                    + ' at ' + violation.sourceFile + ':' + violation.lineNumber));""";

    private ConsoleFixture console;
    private HeadlessFirefox firefox;

    @BeforeAll
    void start() throws Exception {
        // Not a skip: a machine without the browser fails here, saying how to get it.
        assertThat(HeadlessFirefox.BINARY)
                .as("Firefox ESR is missing: .ci/run installs it (apt-get install firefox-esr)")
                .isExecutable();
        console = ConsoleFixture.startSeeded();
        Files.createDirectories(SCREENSHOTS);
        firefox = HeadlessFirefox.start(Path.of("target", "firefox"));
        firefox.windowSize(1280, 1000);
        firefox.navigate(console.url("/console"));
        firefox.script(LISTEN_FOR_CSP_VIOLATIONS);
        // The sign-in was drawn before the listener: draw it again under it.
        open("#/");
    }

    @AfterAll
    void stop() {
        try {
            if (firefox != null) {
                firefox.close();
            }
        } finally {
            if (console != null) {
                console.close();
            }
        }
    }

    @Test
    @Order(1)
    void signInRefusesABadTokenAndTakesAGoodOne() {
        type(visible("#token"), "not-the-token");
        visible("#signin-submit").click();
        waitFor("the sign-in error", () -> visible("#signin-error").text(), text -> text.contains("not valid"));
        screenshot("01-sign-in-refused");
        assertThat(sessionToken().isNull())
                .as("no token kept after a refused sign-in")
                .isTrue();

        type(visible("#token"), TOKEN);
        visible("#signin-submit").click();
        Element seededRow = visible("#configs tr[data-config-id='" + console.seededId() + "']");
        assertThat(sessionToken().asText()).isEqualTo(TOKEN);
        assertThat(seededRow.findAll("td.name"))
                .singleElement()
                .satisfies(name -> assertThat(name.text()).isEqualTo("seeded"));
        screenshot("02-configs");
    }

    @Test
    @Order(2)
    void createShowsTheFieldErrorBesideTheUrlThenCreates() throws Exception {
        open("#/configs/new");
        type(visible("#field-name"), "created in Firefox");
        type(visible("#field-eventName"), "customer_created");
        Element url = visible("#field-url");
        type(url, "not a url");
        visible("#save-config").click();
        Element urlError = visible("#error-url");
        assertThat(urlError.text()).contains("URL");
        assertThat(firefox.script("return arguments[0].parentElement === arguments[1].parentElement", urlError, url)
                        .asBoolean())
                .as("the URL's error is in the URL field's own box")
                .isTrue();
        assertThat(firefox.findAll("#error-name"))
                .singleElement()
                .satisfies(error -> assertThat(error.isDisplayed()).isFalse());
        screenshot("03-config-field-error");
        assertThat(console.configNamed("created in Firefox")).isNull();

        type(url, console.receiver().url("/created"));
        visible("#save-config").click();
        visible("#configs");
        assertThat(visible("#flash").text()).isEqualTo("created in Firefox created");
        JsonNode created = console.configNamed("created in Firefox");
        assertThat(created).isNotNull();
        assertThat(created.get("url").asText()).isEqualTo(console.receiver().url("/created"));
        visible("#configs tr[data-config-id='" + created.get("id").asText() + "']");
        screenshot("04-config-created");
    }

    @Test
    @Order(3)
    void theLogShowsEverySeededEventWithItsStatusPageByPage() {
        open("#/configs/" + console.seededId() + "/events");
        Set<String> seen = new LinkedHashSet<>();
        List<Integer> sizes = new ArrayList<>();
        List<String> lastPageStatuses = List.of();
        for (int page = 1; ; page++) {
            String pageNumber = "Page " + page;
            waitFor(pageNumber, () -> visible("#page-number").text(), pageNumber::equals);
            List<Element> rows = firefox.findAll("#events tbody tr");
            sizes.add(rows.size());
            rows.forEach(row -> seen.add(row.attribute("data-event-id")));
            lastPageStatuses =
                    rows.stream().map(row -> row.attribute("data-status")).toList();
            if (page == 1) {
                // Newest first: the hostile one, then successes; the three failures were the first.
                assertThat(rows.get(0).attribute("data-event-id")).isEqualTo(console.hostileEventId());
                assertThat(lastPageStatuses).containsOnly("succeeded");
                // The charts, drawn from the server's delivery stats: counts, and one attempt per event.
                Element totals = visible("#chart-totals");
                assertThat(totals.attribute("data-succeeded")).isEqualTo(String.valueOf(DELIVERED + 1 - FAILED));
                assertThat(totals.attribute("data-failed")).isEqualTo(String.valueOf(FAILED));
                assertThat(firefox.findAll("#counts-chart rect.bar-succeeded")).hasSize(24);
                assertThat(visible("#latency-totals").attribute("data-attempts"))
                        .isEqualTo(String.valueOf(DELIVERED + 1));
                assertThat(firefox.findAll("#latency-chart circle.latency-point"))
                        .isNotEmpty();
                screenshot("05-event-log");
            }
            Element older = visible("#older");
            if (!older.isEnabled()) {
                break;
            }
            older.click();
        }
        screenshot("06-event-log-last-page");
        assertThat(sizes).containsExactly(PAGE_SIZE, PAGE_SIZE, DELIVERED + 1 - 2 * PAGE_SIZE);
        assertThat(seen).isEqualTo(console.seededEventIds());
        assertThat(lastPageStatuses.subList(lastPageStatuses.size() - FAILED, lastPageStatuses.size()))
                .containsOnly("failed");
        assertThat(lastPageStatuses.subList(0, lastPageStatuses.size() - FAILED))
                .containsOnly("succeeded");

        visible("#newer").click();
        waitFor("Page 2 again", () -> visible("#page-number").text(), "Page 2"::equals);
        assertThat(firefox.findAll("#events tbody tr")).hasSize(PAGE_SIZE);
    }

    @Test
    @Order(4)
    void anEventsDetailShowsItsHostilePayloadAndResponseAsTextAndRunsNothing() {
        open("#/configs/" + console.seededId() + "/events/" + console.hostileEventId());
        assertThat(visible("#payload").text()).contains(HOSTILE.replace("\"", "\\\""));
        assertThat(visible("#response-status").text()).contains("HTTP 200");
        assertThat(visible("#response-body").text()).contains("<img src=x onerror=");
        assertThat(visible("#event-status").text()).isEqualTo("succeeded");
        assertThat(firefox.findAll("#attempts tbody tr")).hasSize(1);
        assertThat(firefox.script("return window.__pwned === undefined").asBoolean())
                .as("no script of the payload or response ran")
                .isTrue();
        assertThat(firefox.script("return document.querySelectorAll('img, main script').length")
                        .asInt())
                .isZero();
        screenshot("07-event-detail");
    }

    /** On a phone-wide window no screen scrolls sideways: tables become cards, long words wrap. */
    @Test
    @Order(5)
    void everyScreenFitsANarrowWindow() {
        firefox.windowSize(400, 800);
        try {
            Map<String, String> screens = new LinkedHashMap<>();
            screens.put("#/configs", "#configs");
            screens.put("#/configs/" + console.seededId() + "/events", "#events");
            screens.put("#/configs/" + console.seededId() + "/events/" + console.hostileEventId(), "#attempts");
            screens.put("#/public-key", "#org-id");
            screens.forEach((route, drawn) -> {
                open(route);
                visible(drawn);
                JsonNode widths = firefox.script("""
                        const wraps = [...document.querySelectorAll('.table-wrap, pre')];
                        return {page: document.documentElement.scrollWidth, window: window.innerWidth,
                          widest: Math.max(0, ...wraps.map((box) => box.scrollWidth - box.clientWidth))};""");
                assertThat(widths.path("page").asInt())
                        .as("the page's width on %s (window %s)", route, widths.path("window"))
                        .isLessThanOrEqualTo(widths.path("window").asInt());
                assertThat(widths.path("widest").asInt())
                        .as("a table box or text block scrolling sideways on %s", route)
                        .isZero();
                screenshot("08-narrow-" + drawn.substring(1));
            });
        } finally {
            firefox.windowSize(1280, 1000);
        }
    }

    /**
     * Every screen drawn since the first load ran under the Content-Security-Policy without a
     * violation, and nothing of the hostile event ever ran: an {@code onerror} fires only once its
     * image failed to load, later than the detail's own checks, so this last step looks again.
     */
    @Test
    @Order(20)
    void nothingTheConsoleDidBrokeItsOwnPolicyAndNothingHostileEverRan() {
        JsonNode violations = firefox.script("return window.__cspViolations");
        assertThat(violations.isArray())
                .as("the violation listener is still there (the page was never reloaded)")
                .isTrue();
        assertThat(violations).isEmpty();
        assertThat(firefox.script("return window.__pwned === undefined").asBoolean())
                .as("window.__pwned, set by the hostile payload's or response's script if it ever ran")
                .isTrue();
    }

    // ---- helpers ----

    /** Goes to a route of the console in the same document: a change of fragment, never a reload. */
    private void open(String route) {
        firefox.navigate(console.url("/console" + route));
        assertThat(firefox.script("return Array.isArray(window.__cspViolations)")
                        .asBoolean())
                .as("still the first document after opening " + route)
                .isTrue();
    }

    private JsonNode sessionToken() {
        return firefox.script("return sessionStorage.getItem('hookengine.console.token')");
    }

    /** The first element {@code css} selects that is displayed, waited for. */
    private Element visible(String css) {
        return waitFor(
                css + " displayed",
                () -> firefox.findAll(css).stream()
                        .filter(Element::isDisplayed)
                        .findFirst()
                        .orElse(null),
                shown -> true);
    }

    private static void type(Element input, String text) {
        input.clear();
        input.type(text);
    }

    /**
     * Reads until {@code done} holds; a reading that is {@code null} or that hit an element the page
     * has just replaced is one more try.
     */
    private static <T> T waitFor(String what, Supplier<T> read, Predicate<T> done) {
        return Await.until(
                what,
                WAIT,
                () -> {
                    try {
                        return read.get();
                    } catch (RuntimeException e) {
                        if (HeadlessFirefox.isStale(e)) {
                            return null;
                        }
                        throw e;
                    }
                },
                value -> value != null && done.test(value));
    }

    private void screenshot(String name) {
        firefox.screenshot(SCREENSHOTS.resolve("firefox-" + name + ".png"));
    }
}
