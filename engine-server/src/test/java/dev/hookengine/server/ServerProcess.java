package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One standalone server running as an operating-system process of its own, so that a test can do to
 * it what happens to a real one: {@link #kill()} it with SIGKILL, in the middle of whatever it is
 * doing, and start another on the same data. Its standard output and error are read on a thread of
 * their own and kept, for failure messages.
 */
final class ServerProcess implements AutoCloseable {

    /** A cold JVM, schema migration, pool and Jetty: about 1–3 s here; a minute means it is stuck. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough to drain deliveries in flight (attempts are bounded to 15 s) and close H2. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
    /** What a JVM killed by SIGKILL exits with, as seen by its parent: 128 + 9. */
    static final int SIGKILL_EXIT = 137;
    /** What a JVM exits with after running its shutdown hooks on SIGTERM: 128 + 15. */
    static final int SIGTERM_EXIT = 143;

    private static final Pattern READY = Pattern.compile("hookengine server ready on http://\\S+:(\\d+)");

    private final String name;
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final Thread reader;
    private int port;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::readOutput, "output of " + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code command} with {@code environment} on top of this JVM's (minus any
     * {@code HOOKENGINE_*} variable of the developer's shell) and waits for the ready line.
     *
     * @throws AssertionError with everything the process printed, when it exits or is not ready in time
     */
    static ServerProcess start(String name, List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("HOOKENGINE_"));
        builder.environment().putAll(environment);
        ServerProcess server;
        try {
            server = new ServerProcess(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
        server.awaitReady();
        return server;
    }

    private void awaitReady() {
        try {
            port = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            close();
            throw new AssertionError("server '" + name + "' did not print its ready line within " + READY_TIMEOUT + " ("
                    + e.getMessage() + ")\n" + describe());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
    }

    private void readOutput() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher matcher = READY.matcher(line);
                if (matcher.find()) {
                    ready.complete(Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            // The process is gone and its pipe with it: what was read is kept.
        }
        ready.completeExceptionally(new IllegalStateException("the process ended its output before it was ready"));
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it printed so far. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Its name, process id, state and output: what a failure message needs to say about it. */
    String describe() {
        String state = process.isAlive() ? "running" : "exited " + process.exitValue();
        return "--- server '" + name + "' (pid " + process.pid() + ", " + state + ") ---\n" + output();
    }

    /**
     * SIGKILL now ({@link Process#destroyForcibly()} is {@code kill -9} on Linux): no shutdown hook,
     * no flush, no close; then waits for the process to be gone and checks that the kill is what
     * ended it, not a crash of its own before.
     */
    void kill() {
        process.destroyForcibly();
        int exit = awaitExit(Duration.ofSeconds(10));
        assertThat(exit)
                .as(
                        "server '%s' was killed with SIGKILL, so its exit code is %d; it is not, it had "
                                + "ended on its own:%n%s",
                        name, SIGKILL_EXIT, describe())
                .isEqualTo(SIGKILL_EXIT);
    }

    /** SIGTERM, as Ctrl-C or a service manager would: deliveries drain, the database closes. */
    void stop() {
        process.destroy();
        int exit = awaitExit(STOP_TIMEOUT);
        assertThat(exit)
                .as("server '%s' stopped gracefully on SIGTERM (exit %d)%n%s", name, SIGTERM_EXIT, describe())
                .isIn(0, SIGTERM_EXIT);
    }

    private int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("server '" + name + "' did not exit within " + timeout + "\n" + describe());
            }
            reader.join(Duration.ofSeconds(5).toMillis()); // the rest of its output, for the messages
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    /** Makes sure it is gone, whatever happened before; for cleanup. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
