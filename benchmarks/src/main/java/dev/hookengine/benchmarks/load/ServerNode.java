package dev.hookengine.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One standalone hookengine server as users run it: {@code java -jar engine-server.jar}, a process of
 * its own started by the harness with fixed JVM options ({@link #JVM_OPTIONS}), bound to 127.0.0.1 on
 * a free port. The port is learnt from the line the server logs when it is ready ({@code hookengine
 * server ready on http://<host>:<port>}); the standalone jar logs with slf4j-simple to standard
 * error, so both of its streams are read, as one.
 *
 * <p>Its output is kept (the last {@value #KEPT_LINES} lines, for a failure's message) and its
 * {@code WARN} and {@code ERROR} lines are counted, so that a run can say whether the server
 * complained. {@link #close()} stops it as a service manager would (SIGTERM: deliveries in flight
 * finish), and kills it if it does not exit in time.
 */
final class ServerNode implements AutoCloseable {

    /** The server JVM's options, the same for every run so that two runs' figures compare. */
    static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

    private static final Pattern READY = Pattern.compile("hookengine server ready on http://([^\\s:/]+):(\\d+)");
    private static final Pattern COMPLAINT = Pattern.compile("\\b(WARN|ERROR)\\b|Exception");
    /** A cold JVM, the schema made in an empty database, the pool and Jetty: seconds; minutes means stuck. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    /** Attempts are bounded to 15 s; draining them and closing the pool takes less. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    private static final int KEPT_LINES = 200;
    private static final int KEPT_COMPLAINTS = 5;

    private final String name;
    private final Process process;
    private final CompletableFuture<URI> ready = new CompletableFuture<>();
    /** Completes when its output has ended: the process is gone, or about to be. */
    private final CompletableFuture<Void> outputEnded;

    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private final List<String> complaints = new ArrayList<>();
    private int complaintCount;
    private URI base;

    private ServerNode(String name, Process process, Executor outputReader) {
        this.name = name;
        this.process = process;
        this.outputEnded = CompletableFuture.runAsync(this::read, outputReader);
    }

    /**
     * Starts {@code java -jar jar --host 127.0.0.1 --port 0 serverArgs...} with {@code environment} (and
     * none of this JVM's {@code HOOKENGINE_*} variables), and waits until it is ready.
     *
     * @param jfrFile where the server records a JFR profile, or {@code null} for none
     * @throws IllegalStateException with the server's output when it exits or is not ready in time
     */
    static ServerNode start(
            String name, Path jar, List<String> serverArgs, Map<String, String> environment, Path jfrFile)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        if (jfrFile != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile");
        }
        command.addAll(List.of("-jar", jar.toString(), "--host", "127.0.0.1", "--port", "0"));
        command.addAll(serverArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("HOOKENGINE_"));
        builder.environment().putAll(environment);
        ServerNode node = new ServerNode(
                name,
                builder.start(),
                task -> LoadRuns.named("load-server-output").newThread(task).start());
        try {
            node.base = node.ready.get(READY_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            node.close();
            throw new IllegalStateException(
                    name + " did not log that it is ready within " + READY_WITHIN.toSeconds() + " s: " + node.tail(20),
                    e);
        } catch (InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Reads its output to the end, line by line: keeps it, and completes {@link #ready} at the ready line. */
    private void read() {
        try (BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            output.lines().forEach(line -> {
                keep(line);
                if (!ready.isDone()) {
                    readyAddress(line).ifPresent(ready::complete);
                }
            });
        } catch (IOException | UncheckedIOException gone) {
            // the process ended and took its pipe with it; what was read is kept
        } finally {
            ready.completeExceptionally(new IllegalStateException("its output ended before it was ready"));
        }
    }

    private synchronized void keep(String line) {
        if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
        }
        lastLines.addLast(line);
        if (COMPLAINT.matcher(line).find() && complaintCount++ < KEPT_COMPLAINTS) {
            complaints.add(line.strip());
        }
    }

    /** Parses the ready line's address; for the tests. */
    static Optional<URI> readyAddress(String line) {
        Matcher matcher = READY.matcher(line);
        return matcher.find()
                ? Optional.of(URI.create("http://" + matcher.group(1) + ":" + matcher.group(2)))
                : Optional.empty();
    }

    String name() {
        return name;
    }

    /** {@code path} on this server. */
    URI uri(String path) {
        return base.resolve(path);
    }

    /** CPU time the process has used so far (user and system), in nanoseconds; 0 once it has exited. */
    long cpuNanos() {
        return process.toHandle()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(0L);
    }

    /** How many lines of its output said {@code WARN}, {@code ERROR} or named an exception, with the first few. */
    synchronized String complaints() {
        return complaintCount == 0 ? "none" : complaintCount + " (first: " + String.join(" | ", complaints) + ")";
    }

    /** Its last {@code lines} lines of output, for a failure's message. */
    synchronized String tail(int lines) {
        List<String> last = new ArrayList<>(lastLines).subList(Math.max(0, lastLines.size() - lines), lastLines.size());
        return "--- " + name + " (pid " + process.pid() + ", "
                + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ") ---\n"
                + String.join("\n", last);
    }

    /**
     * Stops it with SIGTERM and waits for it to exit, killing it if it does not in time.
     *
     * @return how it ended: {@code exit N}, or that it had to be killed
     */
    String stop() throws InterruptedException {
        if (!process.isAlive()) {
            return "had exited on its own with " + process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return "did not stop within " + STOP_WITHIN.toSeconds() + " s of SIGTERM and was killed";
        }
        try {
            outputEnded.get(5, TimeUnit.SECONDS); // the last lines, for the notes
        } catch (ExecutionException | TimeoutException e) {
            // what was read is kept
        }
        return "exit " + process.exitValue();
    }

    /**
     * Kills it with SIGKILL ({@link Process#destroyForcibly()} on Unix), as a crash or the kernel's OOM
     * killer would: no shutdown hook, deliveries in flight cut off, outcomes not yet written lost. Waits
     * until the process is gone.
     *
     * @return whether it is gone
     */
    boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills it if it still runs (a no-op once stopped), and waits up to 10 s for it to be gone. */
    @Override
    public void close() {
        process.toHandle().destroyForcibly();
        process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
    }
}
