package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver},
 * which {@code .ci/run} installs; nothing is downloaded), against the seeded server of {@link
 * ConsoleFixture}. The steps run in order on one signed-in tab, as a user would; each saves a
 * screenshot under {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String TOKEN = ConsoleFixture.TOKEN;
    private static final int FAILED = ConsoleFixture.FAILED;
    private static final int DELIVERED = ConsoleFixture.DELIVERED;
    private static final String HOSTILE = ConsoleFixture.HOSTILE;
    private static final ObjectMapper MAPPER = ConsoleFixture.MAPPER;

    private ConsoleFixture fixture;
    private TestReceiver receiver;
    private WebDriver browser;
    private ConsolePage page;
    private String seededId;
    private String hostileEventId;
    private Set<String> seededEventIds;

    @BeforeAll
    void start() throws Exception {
        fixture = ConsoleFixture.startSeeded();
        receiver = fixture.receiver();
        seededId = fixture.seededId();
        hostileEventId = fixture.hostileEventId();
        seededEventIds = fixture.seededEventIds();
        browser = ConsoleFixture.startBrowser();
        page = new ConsolePage(browser);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(1)
    void signInRefusesABadTokenAndTakesAGoodOne() {
        browser.get(url("/console"));
        type(By.id("token"), "not-the-token");
        click(By.id("signin-submit"));
        assertThat(visible(By.id("signin-error")).getText()).contains("not valid");
        screenshot("01-sign-in-refused");
        assertThat(sessionToken()).isNull();

        type(By.id("token"), TOKEN);
        click(By.id("signin-submit"));
        visible(By.id("configs"));
        assertThat(sessionToken()).isEqualTo(TOKEN);
        assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
        assertThat(browser.manage().getCookies()).isEmpty();
        WebElement seededRow = visible(By.cssSelector("tr[data-config-id='" + seededId + "']"));
        waitUntil(() -> seededRow.findElement(By.className("health")).getText().contains("% ok"));
        assertThat(seededRow.findElement(By.className("health")).getText())
                .contains(Math.round(100.0 * (DELIVERED + 1 - FAILED) / (DELIVERED + 1)) + "% ok")
                .contains(FAILED + " failed")
                .contains("last failure 400");
        screenshot("02-configs");
    }

    @Test
    @Order(2)
    void createShowsTheFieldErrorThenCreates() throws Exception {
        browser.get(url("/console#/configs"));
        click(By.id("new-config"));
        type(By.id("field-name"), "created in the browser");
        type(By.id("field-eventName"), "customer_created");
        type(By.id("field-url"), "not a url");
        click(By.id("save-config"));
        WebElement urlError = visible(By.id("error-url"));
        assertThat(urlError.getText()).contains("URL");
        assertThat(browser.findElement(By.id("error-name")).isDisplayed()).isFalse();
        screenshot("03-config-field-error");
        assertThat(configNamed("created in the browser")).isNull();

        type(By.id("field-url"), receiver.url("/created"));
        click(By.id("save-config"));
        visible(By.id("configs"));
        assertThat(visible(By.id("flash")).getText()).isEqualTo("created in the browser created");
        JsonNode created = configNamed("created in the browser");
        assertThat(created).isNotNull();
        assertThat(created.get("url").asText()).isEqualTo(receiver.url("/created"));
        visible(By.cssSelector("tr[data-config-id='" + created.get("id").asText() + "']"));
    }

    @Test
    @Order(3)
    void theLogShowsTheDeliveriesAndTheChartTheirCounts() throws Exception {
        browser.get(url("/console#/configs/" + seededId + "/events"));
        WebElement totals = visible(By.id("chart-totals"));
        // The message of the screen before does not follow the user around.
        assertThat(browser.findElement(By.id("flash")).isDisplayed()).isFalse();
        assertThat(totals.getAttribute("data-succeeded")).isEqualTo(String.valueOf(DELIVERED + 1 - FAILED));
        assertThat(totals.getAttribute("data-failed")).isEqualTo(String.valueOf(FAILED));
        long barsSucceeded = browser.findElements(By.cssSelector("#chart rect.bar-succeeded")).stream()
                .mapToLong(bar -> Long.parseLong(bar.getAttribute("data-succeeded")))
                .sum();
        assertThat(barsSucceeded).isEqualTo(DELIVERED + 1 - FAILED);
        // Latency over time: the server's percentiles of the seeded attempts (one each: a 400 is final).
        JsonNode counted = api("GET", "/v1/webhooks/configs/" + seededId + "/delivery-stats", null)
                .get("total");
        WebElement latencyTotals = visible(By.id("latency-totals"));
        assertThat(latencyTotals.getAttribute("data-attempts")).isEqualTo(String.valueOf(DELIVERED + 1));
        assertThat(List.of(
                        latencyTotals.getAttribute("data-p50"),
                        latencyTotals.getAttribute("data-p95"),
                        latencyTotals.getAttribute("data-max")))
                .containsExactly(
                        counted.get("p50_ms").asText(),
                        counted.get("p95_ms").asText(),
                        counted.get("max_ms").asText());
        List<WebElement> points = browser.findElements(By.cssSelector("#latency-chart circle.latency-point"));
        assertThat(points).isNotEmpty();
        assertThat(points.stream()
                        .mapToLong(point -> Long.parseLong(point.getAttribute("data-attempts")))
                        .sum())
                .isEqualTo(DELIVERED + 1);
        assertThat(browser.findElements(By.cssSelector("#counts-chart rect.bar-succeeded")))
                .hasSize(24);
        // Another range: the last hour by the minute holds every seeded delivery too.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("chart-range"))).selectByValue("hour");
        waitUntil(() -> browser.findElements(By.cssSelector("#counts-chart rect.bar-succeeded"))
                        .size()
                == 60);
        assertThat(visible(By.id("chart-totals")).getAttribute("data-succeeded"))
                .isEqualTo(String.valueOf(DELIVERED + 1 - FAILED));
        List<WebElement> rows = visible(By.id("events")).findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(25);
        // Newest first: the hostile one, then the successes; the failures were the first three.
        assertThat(rows.get(0).getAttribute("data-event-id")).isEqualTo(hostileEventId);
        assertThat(rows)
                .allSatisfy(row -> assertThat(row.getAttribute("data-status")).isEqualTo("succeeded"));
        // Latency: each row's is its last attempt's duration, as the attempt history says.
        WebElement latency = rows.get(0).findElement(By.className("latency"));
        waitUntil(() -> latency.getAttribute("data-ms") != null);
        JsonNode attempts =
                api("GET", "/v1/webhooks/configs/" + seededId + "/events/" + hostileEventId + "/attempts", null);
        assertThat(latency.getText())
                .isEqualTo(attempts.get("data").get(0).get("duration_ms").asLong() + " ms");
        waitUntil(
                () -> browser.findElement(By.id("page-latency")).getText().startsWith("latency on this page: median"));
        screenshot("04-event-log");
    }

    @Test
    @Order(4)
    void pagesThroughEveryEvent() {
        browser.get(url("/console#/configs/" + seededId + "/events"));
        Set<String> seen = new LinkedHashSet<>();
        List<Integer> sizes = new java.util.ArrayList<>();
        for (int page = 1; ; page++) {
            int expectedPage = page;
            waitUntil(() -> browser.findElement(By.id("page-number")).getText().equals("Page " + expectedPage));
            List<WebElement> rows = browser.findElements(By.cssSelector("#events tbody tr"));
            sizes.add(rows.size());
            rows.forEach(row -> seen.add(row.getAttribute("data-event-id")));
            WebElement older = browser.findElement(By.id("older"));
            if (!older.isEnabled()) {
                break;
            }
            older.click();
        }
        assertThat(sizes).containsExactly(25, 25, DELIVERED + 1 - 50);
        assertThat(seen).isEqualTo(seededEventIds);
        List<WebElement> lastPage = browser.findElements(By.cssSelector("#events tbody tr"));
        assertThat(lastPage.subList(lastPage.size() - FAILED, lastPage.size()))
                .allSatisfy(row -> assertThat(row.getAttribute("data-status")).isEqualTo("failed"));
        click(By.id("newer"));
        waitUntil(() -> browser.findElement(By.id("page-number")).getText().equals("Page 2"));
    }

    @Test
    @Order(5)
    void filtersByStatus() {
        browser.get(url("/console#/configs/" + seededId + "/events"));
        visible(By.id("events"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-status"))).selectByValue("failed");
        click(By.id("apply-filters"));
        waitUntil(() -> browser.findElements(By.cssSelector("#events tbody tr")).size() == FAILED);
        assertThat(browser.findElements(By.cssSelector("#events tbody tr")))
                .allSatisfy(row -> assertThat(row.getAttribute("data-status")).isEqualTo("failed"));
        assertThat(browser.findElement(By.id("older")).isEnabled()).isFalse();
        screenshot("05-event-log-failed");
    }

    @Test
    @Order(6)
    void anEventsPayloadAndResponseAreShownAsTextAndRunNothing() {
        browser.get(url("/console#/configs/" + seededId + "/events"));
        click(By.cssSelector("tr[data-event-id='" + hostileEventId + "'] a.event-link"));
        WebElement payload = visible(By.id("payload"));
        assertThat(payload.getText()).contains(HOSTILE.replace("\"", "\\\""));
        assertThat(browser.findElement(By.id("response-status")).getText()).contains("HTTP 200");
        assertThat(browser.findElement(By.id("response-body")).getText()).contains("<img src=x onerror=");
        assertThat(browser.findElements(By.cssSelector("#attempts tbody tr"))).hasSize(1);
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(js.executeScript("return window.__pwned === undefined")).isEqualTo(true);
        assertThat(js.executeScript("return document.querySelectorAll('img, main script').length"))
                .isEqualTo(0L);
        screenshot("06-event-detail");
    }

    @Test
    @Order(7)
    void replayRecordsANewEvent() {
        browser.get(url("/console#/configs/" + seededId + "/events/" + hostileEventId));
        visible(By.id("payload"));
        click(By.id("replay"));
        waitUntil(() -> browser.findElement(By.id("replay-result")).getText().contains("Replayed"));
        click(By.id("back-to-log"));
        WebElement newest = visible(By.cssSelector("#events tbody tr"));
        assertThat(newest.getAttribute("data-event-id")).isNotIn(seededEventIds);
        screenshot("07-after-replay");
    }

    @Test
    @Order(8)
    void disablesAConfig() throws Exception {
        browser.get(url("/console#/configs"));
        WebElement row = visible(By.cssSelector("tr[data-config-id='" + seededId + "']"));
        row.findElement(By.className("toggle")).click();
        waitUntil(() -> browser.findElement(By.cssSelector("tr[data-config-id='" + seededId + "'] td.status"))
                .getText()
                .startsWith("disabled"));
        assertThat(api("GET", "/v1/webhooks/configs/" + seededId, null)
                        .get("enabled")
                        .asBoolean())
                .isFalse();
        screenshot("08-config-disabled");
    }

    @Test
    @Order(9)
    void showsTheOrganizationsPublicKey() throws Exception {
        browser.get(url("/console#/public-key"));
        type(By.id("org-id"), "acme");
        browser.findElement(By.id("org-id")).sendKeys(Keys.ENTER);
        String shown = visible(By.id("public-key")).getText();
        String publicKey = MAPPER.readTree(fixture.publicGet("/v1/webhooks/.well-known/public-key?orgId=acme"))
                .get("public_key")
                .asText();
        assertThat(shown)
                .contains("BEGIN PUBLIC KEY")
                .contains(publicKey.lines().skip(1).findFirst().orElseThrow());
        screenshot("09-public-key");
    }

    @Test
    @Order(10)
    void signsOutAndInByKeyboardOnANarrowWindow() {
        browser.manage().window().setSize(new Dimension(400, 800));
        try {
            browser.get(url("/console#/configs"));
            visible(By.id("configs"));
            click(By.id("sign-out"));
            assertThat(sessionToken()).isNull();
            WebElement token = visible(By.id("token"));
            // The sign-in takes the focus: typing and Enter are all it needs.
            assertThat(browser.switchTo().activeElement()).isEqualTo(token);
            token.sendKeys(TOKEN, Keys.ENTER);
            visible(By.id("configs"));
            JavascriptExecutor js = (JavascriptExecutor) browser;
            // Nothing makes the page itself wider than the window (every screen: ConsoleUsabilityTest).
            assertThat((Long) js.executeScript("return document.documentElement.scrollWidth"))
                    .isLessThanOrEqualTo((Long) js.executeScript("return window.innerWidth"));
            screenshot("10-configs-narrow");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(11)
    void batchReplaysTheSelectedEvents() {
        browser.get(url("/console#/configs/" + seededId + "/events"));
        Set<String> before = new LinkedHashSet<>(seededEventIds);
        browser.findElements(By.cssSelector("#events tbody tr"))
                .forEach(row -> before.add(row.getAttribute("data-event-id")));
        List<WebElement> boxes = visible(By.id("events")).findElements(By.className("select-event"));
        // By keyboard: focus the box, Space ticks it.
        boxes.get(1).sendKeys(Keys.SPACE);
        boxes.get(2).sendKeys(Keys.SPACE);
        click(By.id("batch-replay"));
        waitUntil(() -> browser.findElement(By.id("batch-result")).getText().contains("Replayed"));
        browser.navigate().refresh();
        waitUntil(() -> browser.findElements(By.cssSelector("#events tbody tr")).size() == 25);
        List<String> newest = browser.findElements(By.cssSelector("#events tbody tr")).stream()
                .limit(2)
                .map(row -> row.getAttribute("data-event-id"))
                .toList();
        assertThat(newest).doesNotContainAnyElementsOf(before);
    }

    @Test
    @Order(12)
    void editsRotatesTheSecretOnceAndDeletesAfterConfirmation() throws Exception {
        String id = configNamed("created in the browser").get("id").asText();
        browser.get(url("/console#/configs/" + id + "/edit"));
        type(By.id("field-name"), "renamed in the browser");
        click(By.id("save-config"));
        visible(By.id("configs"));
        assertThat(api("GET", "/v1/webhooks/configs/" + id, null).get("name").asText())
                .isEqualTo("renamed in the browser");

        WebElement row = visible(By.cssSelector("tr[data-config-id='" + id + "']"));
        row.findElement(By.className("rotate")).click();
        browser.switchTo().alert().accept();
        String secret = visible(By.id("new-secret")).getText();
        assertThat(secret).startsWith("whsec_");
        screenshot("12-secret-rotated");
        // Shown once: the next read of the list does not have it.
        browser.navigate().refresh();
        visible(By.id("configs"));
        assertThat(browser.getPageSource()).doesNotContain(secret);

        browser.findElement(By.cssSelector("tr[data-config-id='" + id + "'] .delete"))
                .click();
        browser.switchTo().alert().dismiss();
        assertThat(configNamed("renamed in the browser")).isNotNull();
        browser.findElement(By.cssSelector("tr[data-config-id='" + id + "'] .delete"))
                .click();
        browser.switchTo().alert().accept();
        waitUntil(() -> browser.findElements(By.cssSelector("tr[data-config-id='" + id + "']"))
                .isEmpty());
        assertThat(configNamed("renamed in the browser")).isNull();
    }

    @Test
    @Order(14)
    void filtersByEventIdAndTimeRange() {
        String wanted = seededEventIds.iterator().next();
        browser.get(url("/console#/configs/" + seededId + "/events"));
        visible(By.id("events"));
        type(By.id("filter-event-id"), wanted);
        click(By.id("apply-filters"));
        waitUntil(() -> browser.findElements(By.cssSelector("#events tbody tr")).size() == 1);
        assertThat(browser.findElement(By.cssSelector("#events tbody tr")).getAttribute("data-event-id"))
                .isEqualTo(wanted);
        // A range that ended an hour before the seeding holds nothing (datetime-local values, local time).
        String hourAgo = (String) ((JavascriptExecutor) browser)
                .executeScript("const d = new Date(Date.now() - 3600000 - new Date().getTimezoneOffset() * 60000);"
                        + " return d.toISOString().slice(0, 16);");
        browser.get(url("/console#/configs/" + seededId + "/events?to=" + hourAgo));
        visible(By.id("no-events"));
        assertThat(browser.findElement(By.id("filter-to")).getAttribute("value"))
                .isEqualTo(hourAgo);
    }

    @Test
    @Order(13)
    void createsAnOAuthConfigFromTheJsonFieldsAndTestsItsTokenExchange() throws Exception {
        try (TestReceiver tokens = TestReceiver.start()
                .otherwise(Answer.json(
                        200, "{\"access_token\": \"at-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}"))) {
            browser.get(url("/console#/configs/new"));
            type(By.id("field-name"), "oauth");
            type(By.id("field-eventName"), "customer_created");
            type(By.id("field-url"), receiver.url("/oauth"));
            // A field without an input of its own: its error shows by the JSON box, with its path.
            type(
                    By.id("field-more"),
                    "{\"auth\": {\"authType\": \"OAUTH_CLIENT_CREDENTIALS\", \"oauthConfig\": {\"clientId\": \"shop\"}}}");
            click(By.id("save-config"));
            assertThat(visible(By.id("error-more")).getText()).startsWith("auth.");
            assertThat(configNamed("oauth")).isNull();

            type(
                    By.id("field-more"),
                    ("{\"auth\": {\"authType\": \"OAUTH_CLIENT_CREDENTIALS\", \"oauthConfig\":"
                                    + " {\"clientId\": \"shop\", \"clientSecret\": \"cs-1\", \"endpoint\": \"%s\","
                                    + " \"httpMethod\": \"POST\"}}}")
                            .formatted(tokens.url("/token")));
            click(By.id("save-config"));
            waitUntil(() -> !browser.findElements(By.id("configs")).isEmpty()
                    || browser.findElements(By.cssSelector(".field-error, .form-error")).stream()
                            .anyMatch(WebElement::isDisplayed));
            assertThat(browser.findElements(By.cssSelector(".field-error, .form-error")).stream()
                            .filter(WebElement::isDisplayed)
                            .map(WebElement::getText))
                    .isEmpty();
            String id = visible(By.id("configs"))
                    .findElement(By.xpath(".//tr[td[@class='name']/a[text()='oauth']]"))
                    .getAttribute("data-config-id");
            browser.findElement(By.cssSelector("tr[data-config-id='" + id + "'] .test-oauth"))
                    .click();
            waitUntil(() -> browser.findElement(By.id("flash")).getText().startsWith("OAuth test of oauth"));
            assertThat(browser.findElement(By.id("flash")).getText()).doesNotContain("500");
            assertThat(tokens.received()).hasSize(1);
            // The secret is never shown back, not even in the edit form's JSON.
            browser.get(url("/console#/configs/" + id + "/edit"));
            assertThat(visible(By.id("field-more")).getAttribute("value"))
                    .contains("shop")
                    .doesNotContain("cs-1");
        }
    }

    /** Every screen so far ran under the Content-Security-Policy without a violation. */
    @Test
    @Order(20)
    void nothingTheConsoleDidBrokeItsOwnPolicy() {
        List<String> messages = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .toList();
        assertThat(messages).noneMatch(message -> message.contains("Content Security Policy"));
    }

    // ---- helpers: ConsoleFixture's and ConsolePage's, under short names ----

    private String url(String path) {
        return fixture.url(path);
    }

    private Object sessionToken() {
        return page.sessionToken();
    }

    private WebElement visible(By by) {
        return page.visible(by);
    }

    private void click(By by) {
        page.click(by);
    }

    private void type(By by, String text) {
        page.type(by, text);
    }

    private void waitUntil(java.util.function.BooleanSupplier condition) {
        page.waitUntil(condition);
    }

    private void screenshot(String name) {
        page.screenshot(name);
    }

    private JsonNode configNamed(String name) throws Exception {
        return fixture.configNamed(name);
    }

    private JsonNode api(String method, String path, String body) throws Exception {
        return fixture.api(method, path, body);
    }
}
