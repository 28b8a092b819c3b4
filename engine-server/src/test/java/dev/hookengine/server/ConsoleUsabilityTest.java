package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The console for users the main walk-through ({@link ConsoleBrowserTest}) does not stand for: on a
 * phone-wide window, by keyboard only, copying a payload to the clipboard, and facing a protected
 * config. Same seeded server ({@link ConsoleFixture}), plus a config whose URL, name and payload are
 * long and unbroken, and a protected config. The steps run in order on one tab.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleUsabilityTest {

    /** A phone held upright, in CSS pixels. */
    private static final Dimension NARROW = new Dimension(400, 800);

    private static final Dimension WIDE = new Dimension(1280, 1000);
    private static final String LONG_WORD = "unbroken".repeat(20);
    private static final int MAX_TABS = 200;
    private static final boolean FORWARD = false;
    private static final boolean BACKWARDS = true;

    private ConsoleFixture fixture;
    private WebDriver browser;
    private ConsolePage page;
    private String longId;
    private String longEventId;
    private String longPayload;
    private String guardedId;

    @BeforeAll
    void start() throws Exception {
        fixture = ConsoleFixture.startSeeded();
        longId = fixture.api("POST", "/v1/webhooks/configs", """
                        {"name": "%s", "eventName": "order_created", "url": "%s"}""".formatted(
                                "long-" + LONG_WORD, fixture.receiver().url("/" + LONG_WORD + "?q=" + LONG_WORD)))
                .get("id")
                .asText();
        longEventId = fixture.api(
                        "POST",
                        "/v1/webhooks/configs/" + longId + "/trigger?sync=true",
                        "{\"entity\": {\"_id\": \"ord_long\", \"note\": \"" + LONG_WORD + "\"}}")
                .get("event_id")
                .asText();
        longPayload = fixture.api("GET", eventPath(longId, longEventId), null)
                .get("payload")
                .asText();
        guardedId = fixture.api("POST", "/v1/webhooks/configs", """
                        {"name": "guarded", "eventName": "order_created", "url": "%s", "protected": true}""".formatted(
                                fixture.receiver().url("/guarded")))
                .get("id")
                .asText();
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
    void everyScreenFitsANarrowWindow() {
        browser.manage().window().setSize(NARROW);
        try {
            browser.get(fixture.url("/console"));
            page.script("sessionStorage.clear()");
            browser.navigate().refresh();
            page.visible(By.id("token"));
            assertFitsTheWindow("sign-in");
            assertReachable(By.id("signin-submit"));
            page.screenshot("narrow-sign-in");
            page.type(By.id("token"), ConsoleFixture.TOKEN);
            page.click(By.id("signin-submit"));

            WebElement longRow = page.visible(By.cssSelector("tr[data-config-id='" + longId + "']"));
            page.waitUntil(
                    () -> !longRow.findElement(By.className("health")).getText().contains("…"));
            assertFitsTheWindow("configs");
            assertReachable(By.id("new-config"));
            for (String action : List.of("edit", "toggle", "rotate", "test-oauth", "delete")) {
                assertReachable(By.cssSelector("tr[data-config-id='" + longId + "'] button." + action));
            }
            // A cell says what it is when the table's head no longer shows above it.
            assertThat(longRow.findElement(By.className("health")).getAttribute("data-label"))
                    .isEqualTo("Last 24 h");
            page.screenshot("narrow-configs");

            page.click(By.cssSelector("tr[data-config-id='" + longId + "'] button.edit"));
            page.visible(By.id("config-form"));
            assertFitsTheWindow("config form");
            assertReachable(By.id("save-config"));
            page.screenshot("narrow-config-form");

            browser.get(fixture.url("/console#/configs/" + fixture.seededId() + "/events"));
            page.visible(By.id("events"));
            page.visible(By.id("chart-totals"));
            assertFitsTheWindow("event log");
            assertReachable(By.id("apply-filters"));
            assertReachable(By.id("batch-replay"));
            assertReachable(By.cssSelector("#events tbody tr a.event-link"));
            page.screenshot("narrow-event-log");
            assertReachable(By.id("older"));
            page.click(By.id("older"));
            page.waitUntil(
                    () -> browser.findElement(By.id("page-number")).getText().equals("Page 2"));
            assertFitsTheWindow("event log, page 2");

            browser.get(fixture.url("/console#/configs/" + longId + "/events/" + longEventId));
            page.visible(By.id("payload"));
            assertThat(browser.findElements(By.cssSelector("#attempts tbody tr")))
                    .hasSize(1);
            assertFitsTheWindow("event detail");
            assertReachable(By.id("copy-payload"));
            assertReachable(By.id("replay"));
            page.screenshot("narrow-event-detail");

            browser.get(fixture.url("/console#/public-key"));
            page.type(By.id("org-id"), "acme");
            browser.findElement(By.id("org-id")).sendKeys(Keys.ENTER);
            page.visible(By.id("public-key"));
            assertFitsTheWindow("public key");
            page.screenshot("narrow-public-key");
        } finally {
            browser.manage().window().setSize(WIDE);
        }
    }

    @Test
    @Order(2)
    void signsInOpensAnEventAndReplaysItByKeyboardOnly() {
        browser.get(fixture.url("/console"));
        page.script("sessionStorage.clear()");
        browser.navigate().refresh();
        page.visible(By.id("token"));
        keys(ConsoleFixture.TOKEN, Keys.ENTER);
        page.visible(By.id("configs"));
        assertFocusOnTheNewScreen("configs");

        String seededLink = "#/configs/" + fixture.seededId() + "/events";
        tabUntil(
                "the seeded config's link",
                FORWARD,
                focused -> String.valueOf(focused.getAttribute("href")).endsWith(seededLink));
        keys(Keys.ENTER);
        page.visible(By.id("events"));
        assertFocusOnTheNewScreen("event log");

        tabUntil("the pager's older button", FORWARD, focused -> "older".equals(focused.getAttribute("id")));
        keys(Keys.ENTER);
        page.waitUntil(() -> browser.findElement(By.id("page-number")).getText().equals("Page 2"));
        // The next page replaced the pager: the focus stays on it rather than falling to the page's top.
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isIn("older", "newer");
        tabUntil(
                "an event's link, backwards from the pager",
                BACKWARDS,
                focused -> focused.getAttribute("class") != null
                        && focused.getAttribute("class").contains("event-link"));
        String eventId = browser.switchTo().activeElement().getText();
        keys(Keys.ENTER);
        page.waitUntil(() -> browser.findElement(By.id("event-id")).getText().equals(eventId));
        assertFocusOnTheNewScreen("event detail");

        tabUntil("the replay button", FORWARD, focused -> "replay".equals(focused.getAttribute("id")));
        keys(Keys.SPACE);
        page.waitUntil(
                () -> browser.findElement(By.id("replay-result")).getText().contains("Replayed"));
        page.screenshot("keyboard-replayed");
    }

    @Test
    @Order(3)
    void disablesAConfigByKeyboardAndStaysOnItsRow() throws Exception {
        openSignedIn("#/configs");
        page.visible(By.id("configs"));
        By toggle = By.cssSelector("tr[data-config-id='" + longId + "'] button.toggle");
        page.script("document.getElementById('main').focus()");
        tabUntil("the long config's Disable button", FORWARD, focused -> focused.equals(browser.findElement(toggle)));
        keys(Keys.ENTER);
        page.waitUntil(() -> browser.findElement(toggle).getText().equals("Enable"));
        assertThat(fixture.api("GET", configPath(longId), null).get("enabled").asBoolean())
                .isFalse();
        // The list was drawn anew: the focus is on the same row's button, not back at the page's top.
        assertThat(browser.switchTo().activeElement()).isEqualTo(browser.findElement(toggle));
        keys(Keys.ENTER);
        page.waitUntil(() -> browser.findElement(toggle).getText().equals("Disable"));
        assertThat(browser.switchTo().activeElement()).isEqualTo(browser.findElement(toggle));
    }

    @Test
    @Order(4)
    void copiesThePayloadAsSent() {
        setClipboardPermissions("granted");
        openSignedIn("#/configs/" + longId + "/events/" + longEventId);
        page.click(By.id("copy-payload"));
        page.waitUntil(() -> browser.findElement(By.id("flash")).getText().equals("Payload copied"));
        assertThat(clipboardText()).isEqualTo(longPayload);
    }

    @Test
    @Order(5)
    void saysSoWhenTheBrowserRefusesTheClipboard() {
        openSignedIn("#/configs/" + longId + "/events/" + longEventId);
        setClipboardPermissions("granted");
        writeClipboard("left alone");
        setClipboardPermissions("denied");
        page.click(By.id("copy-payload"));
        page.waitUntil(() -> browser.findElement(By.id("flash")).getText().startsWith("The browser refused"));
        // The way on: the payload is selected, ready for the keyboard's copy.
        assertThat(page.script("return String(window.getSelection())"))
                .isEqualTo(browser.findElement(By.id("payload")).getText());
        setClipboardPermissions("granted");
        assertThat(clipboardText()).isEqualTo("left alone");
    }

    @Test
    @Order(6)
    void editsAProtectedConfigOnlyAfterConfirmation() throws Exception {
        openSignedIn("#/configs");
        WebElement row = page.visible(By.cssSelector("tr[data-config-id='" + guardedId + "']"));
        assertThat(row.findElement(By.className("protected-badge")).getText()).isEqualTo("protected");
        assertThat(browser.findElements(
                        By.cssSelector("tr[data-config-id='" + fixture.seededId() + "'] .protected-badge")))
                .isEmpty();
        page.screenshot("protected-in-the-list");
        row.findElement(By.className("edit")).click();
        assertThat(page.visible(By.id("protected-notice")).getText()).contains("protected");
        page.type(By.id("field-name"), "guarded, renamed");
        recordRequests();
        page.click(By.id("save-config"));
        assertThat(browser.switchTo().alert().getText()).isEqualTo("This config is protected. Change it anyway?");
        browser.switchTo().alert().dismiss();
        assertThat(page.visible(By.id("form-error")).getText()).contains("Not saved");
        assertThat(recordedRequests())
                .as("a no sends nothing for the config")
                .noneMatch(request -> request.endsWith(configPath(guardedId)));
        assertThat(fixture.api("GET", configPath(guardedId), null).get("name").asText())
                .isEqualTo("guarded");

        page.click(By.id("save-config"));
        browser.switchTo().alert().accept();
        page.visible(By.id("configs"));
        JsonNode saved = fixture.api("GET", configPath(guardedId), null);
        assertThat(saved.get("name").asText()).isEqualTo("guarded, renamed");
        assertThat(saved.get("protected").asBoolean()).isTrue();
    }

    @Test
    @Order(7)
    void disablesAProtectedConfigOnlyAfterConfirmation() throws Exception {
        openSignedIn("#/configs");
        By toggle = By.cssSelector("tr[data-config-id='" + guardedId + "'] button.toggle");
        page.visible(toggle);
        recordRequests();
        page.click(toggle);
        assertThat(browser.switchTo().alert().getText()).isEqualTo("This config is protected. Disable it anyway?");
        browser.switchTo().alert().dismiss();
        assertThat(recordedRequests())
                .as("a no sends nothing for the config")
                .noneMatch(request -> request.endsWith(configPath(guardedId)));
        assertThat(fixture.api("GET", configPath(guardedId), null)
                        .get("enabled")
                        .asBoolean())
                .isTrue();

        page.click(toggle);
        browser.switchTo().alert().accept();
        page.waitUntil(() -> browser.findElement(toggle).getText().equals("Enable"));
        assertThat(fixture.api("GET", configPath(guardedId), null)
                        .get("enabled")
                        .asBoolean())
                .isFalse();
    }

    @Test
    @Order(8)
    void deletesAProtectedConfigOnlyAfterConfirmation() throws Exception {
        openSignedIn("#/configs");
        By delete = By.cssSelector("tr[data-config-id='" + guardedId + "'] .delete");
        page.visible(delete);
        recordRequests();
        page.click(delete);
        assertThat(browser.switchTo().alert().getText()).startsWith("This config is protected. Delete it anyway?");
        browser.switchTo().alert().dismiss();
        assertThat(recordedRequests())
                .as("a no sends nothing for the config")
                .noneMatch(request -> request.endsWith(configPath(guardedId)));
        assertThat(configIds()).contains(guardedId);

        page.click(delete);
        browser.switchTo().alert().accept();
        page.waitUntil(() -> browser.findElements(delete).isEmpty());
        assertThat(configIds()).doesNotContain(guardedId);
    }

    /**
     * From now on, the page's requests are listed ({@link #recordedRequests}). A confirmation the user
     * declines returns before any request: a console that asked and then sent anyway would call
     * {@code fetch} in the same task as the dialog's answer, so the list holds the request by the time
     * the test reads it, without waiting for the server to see it.
     */
    private void recordRequests() {
        page.script("""
                window.__requests = [];
                if (!window.__fetchBeforeRecording) {
                  window.__fetchBeforeRecording = window.fetch;
                  window.fetch = (resource, init) => {
                    window.__requests.push(((init && init.method) || 'GET') + ' ' + resource);
                    return window.__fetchBeforeRecording(resource, init);
                  };
                }""");
    }

    /** The requests since {@link #recordRequests}, as "METHOD path" (the health column's reads among them). */
    @SuppressWarnings("unchecked")
    private List<String> recordedRequests() {
        return (List<String>) page.script("return window.__requests");
    }

    /** Every screen above ran under the Content-Security-Policy without a violation. */
    @Test
    @Order(20)
    void nothingBrokeThePolicy() {
        List<String> messages = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .toList();
        assertThat(messages).noneMatch(message -> message.contains("Content Security Policy"));
    }

    /** The console at {@code hash}, signed in as a sign-in would (the token in the tab's session). */
    private void openSignedIn(String hash) {
        browser.get(fixture.url("/console"));
        page.script("sessionStorage.setItem('hookengine.console.token', arguments[0])", ConsoleFixture.TOKEN);
        browser.get(fixture.url("/console" + hash));
    }

    private List<String> configIds() throws Exception {
        List<String> ids = new ArrayList<>();
        fixture.api("GET", "/v1/webhooks/configs", null)
                .forEach(config -> ids.add(config.get("id").asText()));
        return ids;
    }

    // ---- narrow window ----

    /** Neither the page nor a table's box nor a block of text scrolls sideways. */
    private void assertFitsTheWindow(String screen) {
        Object wider = page.script("""
                const wider = [];
                if (document.documentElement.scrollWidth > window.innerWidth) {
                  wider.push('the page: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
                }
                for (const box of document.querySelectorAll('.table-wrap, pre')) {
                  if (box.scrollWidth > box.clientWidth) {
                    wider.push((box.id || box.className || box.tagName) + ': ' + box.scrollWidth + ' > ' + box.clientWidth);
                  }
                }
                return wider;""");
        assertThat((List<?>) wider).as("what scrolls sideways on the " + screen).isEmpty();
    }

    /** Shown within the window's width, not covered by anything, and enabled once scrolled to. */
    private void assertReachable(By by) {
        WebElement element = page.visible(by);
        Object reach = page.script("""
                const element = arguments[0];
                element.scrollIntoView({block: 'center', inline: 'nearest'});
                const box = element.getBoundingClientRect();
                // A link's text may wrap: its first line is where a finger would go.
                const line = element.getClientRects()[0];
                const hit = document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
                return box.left >= 0 && box.right <= window.innerWidth && box.width > 0
                  ? (element.contains(hit) ? 'ok' : 'covered by ' + (hit && hit.outerHTML.slice(0, 80)))
                  : 'outside the window: ' + box.left + '..' + box.right + ' of ' + window.innerWidth;""", element);
        assertThat(reach).as(by.toString()).isEqualTo("ok");
        assertThat(element.isEnabled()).as(by + " enabled").isTrue();
    }

    // ---- keyboard ----

    private void keys(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    /**
     * Presses {@code key} until the focused element is the one wanted, checking at every stop that the
     * focus shows: an outline, which the console's {@code :focus-visible} rules draw.
     */
    private void tabUntil(String wanted, boolean backwards, Predicate<WebElement> isWanted) {
        List<String> passed = new ArrayList<>();
        passed.add(describe(browser.switchTo().activeElement()));
        for (int presses = 0; presses < MAX_TABS; presses++) {
            Actions press = new Actions(browser);
            (backwards ? press.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT) : press.sendKeys(Keys.TAB))
                    .perform();
            WebElement focused = browser.switchTo().activeElement();
            String shown = (String) page.script("""
                    const focused = document.activeElement;
                    const style = getComputedStyle(focused);
                    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                      ? 'shown' : 'hidden on ' + focused.outerHTML.slice(0, 120);""");
            assertThat(shown).as("the focus after " + passed).isEqualTo("shown");
            if (isWanted.test(focused)) {
                return;
            }
            passed.add(describe(focused));
        }
        throw new AssertionError("never reached " + wanted + "; passed " + passed);
    }

    private static String describe(WebElement element) {
        return element.getTagName() + "#" + element.getAttribute("id");
    }

    /** Focus is on the new screen's {@code main} or its heading, not left on the page's top. */
    private void assertFocusOnTheNewScreen(String screen) {
        page.waitUntil(
                () -> Boolean.TRUE.equals(
                        page.script(
                                "const f = document.activeElement; return f.id === 'main' || f === document.querySelector('main h1');")));
        assertThat(page.script("return document.activeElement.matches(':focus-visible')"))
                .as("the focus shows on the " + screen)
                .isEqualTo(true);
    }

    // ---- clipboard ----

    /** Grants or denies this origin the clipboard, as a user's answer to the browser's prompt would. */
    private void setClipboardPermissions(String setting) {
        HasCdp cdp = (HasCdp) browser;
        String origin = fixture.url("");
        if (setting.equals("granted")) {
            cdp.executeCdpCommand(
                    "Browser.grantPermissions",
                    Map.of("permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite"), "origin", origin));
            return;
        }
        for (Map<String, Object> permission : List.of(
                Map.<String, Object>of("name", "clipboard-write"),
                Map.<String, Object>of("name", "clipboard-write", "allowWithoutSanitization", true))) {
            cdp.executeCdpCommand(
                    "Browser.setPermission", Map.of("permission", permission, "setting", setting, "origin", origin));
        }
    }

    private Object clipboardText() {
        return ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + " navigator.clipboard.readText().then(done, (e) => done('refused: ' + e));");
    }

    private void writeClipboard(String text) {
        Object written = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + " navigator.clipboard.writeText(arguments[0]).then(() => done('ok'), (e) => done('refused: ' + e));",
                        text);
        assertThat(written).isEqualTo("ok");
    }

    // ---- API paths ----

    private static String configPath(String configId) {
        return "/v1/webhooks/configs/" + configId;
    }

    private static String eventPath(String configId, String eventId) {
        return configPath(configId) + "/events/" + eventId;
    }
}
