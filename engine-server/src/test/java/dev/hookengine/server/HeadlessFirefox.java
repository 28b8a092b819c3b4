package dev.hookengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.server.MarionetteConnection.MarionetteException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * A headless Firefox ESR ({@code /usr/bin/firefox-esr}, which {@code .ci/run} installs) driven
 * through its own Marionette server, with a fresh profile and home under a work directory. Only
 * what the console's tests need: navigate, find by CSS selector, click, type, read, run a script,
 * screenshot. Nothing is downloaded: there is no driver in between.
 *
 * <p>The profile keeps the browser on the loopback: every other address goes through a proxy on
 * 127.0.0.1 port 9, where nothing listens, so the browser's own background traffic (updates,
 * telemetry, remote settings) fails at once instead of reaching the network.
 */
final class HeadlessFirefox implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/firefox-esr");

    /** The key WebDriver gives an element reference in JSON. */
    private static final String ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** Longer than the session's page-load and script timeouts, so those answer first. */
    private static final Duration REPLY = Duration.ofSeconds(45);

    private static final Duration QUIT = Duration.ofSeconds(10);

    private static final List<String> PREFERENCES = List.of(
            // 0: any free port, which Firefox writes to the profile's MarionetteActivePort.
            "user_pref(\"marionette.port\", 0);",
            "user_pref(\"network.proxy.type\", 1);",
            "user_pref(\"network.proxy.http\", \"127.0.0.1\");",
            "user_pref(\"network.proxy.http_port\", 9);",
            "user_pref(\"network.proxy.ssl\", \"127.0.0.1\");",
            "user_pref(\"network.proxy.ssl_port\", 9);",
            "user_pref(\"network.proxy.socks_remote_dns\", false);",
            "user_pref(\"network.proxy.no_proxies_on\", \"127.0.0.1\");",
            "user_pref(\"network.proxy.allow_hijacking_localhost\", false);",
            // No DNS over HTTPS, no connectivity or captive-portal probes.
            "user_pref(\"network.trr.mode\", 5);",
            "user_pref(\"network.connectivity-service.enabled\", false);",
            "user_pref(\"network.captive-portal-service.enabled\", false);",
            "user_pref(\"app.update.disabledForTesting\", true);",
            "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
            "user_pref(\"toolkit.telemetry.enabled\", false);",
            "user_pref(\"browser.shell.checkDefaultBrowser\", false);");

    private final Process process;
    private final MarionetteConnection marionette;

    private HeadlessFirefox(Process process, MarionetteConnection marionette) {
        this.process = process;
        this.marionette = marionette;
    }

    /**
     * Starts Firefox on a fresh profile under {@code workDir} ({@code profile/}, {@code home/}, its
     * output in {@code firefox.log}) and opens a WebDriver session; kills it if any of that fails.
     */
    static HeadlessFirefox start(Path workDir) throws IOException {
        Path profile = workDir.resolve("profile");
        Path home = workDir.resolve("home");
        ServerJar.deleteRecursively(profile);
        Files.createDirectories(profile);
        Files.createDirectories(home);
        Files.write(profile.resolve("user.js"), PREFERENCES);
        Path log = workDir.resolve("firefox.log");
        ProcessBuilder command = new ProcessBuilder(
                        BINARY.toString(), "--headless", "--marionette", "--no-remote", "--profile", profile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Its own home: CI runs as root, whose home Firefox must not write to or read settings from.
        command.environment().put("HOME", home.toAbsolutePath().toString());
        command.environment().put("MOZ_HEADLESS", "1");
        command.environment().remove("DISPLAY");
        Process process = command.start();
        MarionetteConnection marionette = null;
        try {
            int port = Await.until(
                    "Firefox's Marionette port (its output: " + log.toAbsolutePath() + ")",
                    STARTUP,
                    () -> marionettePort(profile, process, log),
                    found -> found > 0);
            marionette = MarionetteConnection.open(port, REPLY);
            marionette.command(
                    "WebDriver:NewSession",
                    Map.of(
                            "capabilities",
                            Map.of(
                                    "alwaysMatch",
                                    Map.of(
                                            "timeouts",
                                            Map.of("implicit", 0, "pageLoad", 30_000, "script", 30_000),
                                            // A dialog left open fails the next command: never answered for us.
                                            "unhandledPromptBehavior",
                                            "ignore"))));
            return new HeadlessFirefox(process, marionette);
        } catch (RuntimeException | AssertionError e) {
            if (marionette != null) {
                marionette.close();
            }
            stop(process, Duration.ZERO);
            throw e;
        }
    }

    /** The port once Firefox has written it, 0 before; fails at once if Firefox has exited. */
    private static int marionettePort(Path profile, Process process, Path log) {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "Firefox exited with " + process.exitValue() + " before listening: " + readQuietly(log));
        }
        try {
            String text =
                    Files.readString(profile.resolve("MarionetteActivePort")).trim();
            return text.isEmpty() ? 0 : Integer.parseInt(text);
        } catch (IOException | NumberFormatException notYetWritten) {
            return 0;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    void navigate(String url) {
        marionette.command("WebDriver:Navigate", Map.of("url", url));
    }

    /** The elements {@code css} selects now, in document order; none is an empty list. */
    List<Element> findAll(String css) {
        return elements(marionette.command("WebDriver:FindElements", Map.of("using", "css selector", "value", css)));
    }

    /** FindElements answers with the bare list of references, not wrapped in a {@code value}. */
    private List<Element> elements(JsonNode references) {
        return StreamSupport.stream(references.spliterator(), false)
                .map(reference -> new Element(this, reference.path(ELEMENT_KEY).asText()))
                .toList();
    }

    /** Runs {@code body} as a function in the page; {@code arguments[i]} are {@code args}. */
    JsonNode script(String body, Object... args) {
        List<Object> wrapped = new ArrayList<>();
        for (Object arg : args) {
            wrapped.add(arg instanceof Element element ? element.reference() : arg);
        }
        return marionette
                .command("WebDriver:ExecuteScript", Map.of("script", body, "args", wrapped))
                .path("value");
    }

    /** A PNG of the whole page. */
    void screenshot(Path file) {
        String png = marionette
                .command("WebDriver:TakeScreenshot", Map.of("full", true))
                .path("value")
                .asText();
        try {
            Files.write(file, Base64.getDecoder().decode(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void windowSize(int width, int height) {
        marionette.command("WebDriver:SetWindowRect", Map.of("width", width, "height", height));
    }

    /**
     * Ends the session and Firefox: asks it to quit, then kills it and every process it started
     * (its content processes) if it has not exited within {@link #QUIT}.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            marionette.command("Marionette:Quit", Map.of());
        } catch (RuntimeException alreadyGone) {
            // Killed below whatever the answer.
        } finally {
            marionette.close();
            stop(process, QUIT);
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Gives Firefox {@code grace} to exit, then kills it and the processes it started. */
    private static void stop(Process process, Duration grace) {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(QUIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A reference to an element of the page, valid until the page replaces that element. */
    record Element(HeadlessFirefox browser, String id) {

        Map<String, String> reference() {
            return Map.of(ELEMENT_KEY, id);
        }

        void click() {
            browser.marionette.command("WebDriver:ElementClick", Map.of("id", id));
        }

        void clear() {
            browser.marionette.command("WebDriver:ElementClear", Map.of("id", id));
        }

        void type(String text) {
            browser.marionette.command("WebDriver:ElementSendKeys", Map.of("id", id, "text", text));
        }

        String text() {
            return browser.marionette
                    .command("WebDriver:GetElementText", Map.of("id", id))
                    .path("value")
                    .asText();
        }

        /** The attribute's value, {@code null} when the element has none. */
        String attribute(String name) {
            JsonNode value = browser.marionette
                    .command("WebDriver:GetElementAttribute", Map.of("id", id, "name", name))
                    .path("value");
            return value.isNull() ? null : value.asText();
        }

        boolean isDisplayed() {
            return browser.marionette
                    .command("WebDriver:IsElementDisplayed", Map.of("id", id))
                    .path("value")
                    .asBoolean();
        }

        boolean isEnabled() {
            return browser.marionette
                    .command("WebDriver:IsElementEnabled", Map.of("id", id))
                    .path("value")
                    .asBoolean();
        }

        /** The elements {@code css} selects inside this one. */
        List<Element> findAll(String css) {
            return browser.elements(browser.marionette.command(
                    "WebDriver:FindElements", Map.of("using", "css selector", "value", css, "element", id)));
        }
    }

    /** True for the error of an element the page has replaced since it was found. */
    static boolean isStale(RuntimeException e) {
        return e instanceof MarionetteException marionette && marionette.error().equals("stale element reference");
    }
}
