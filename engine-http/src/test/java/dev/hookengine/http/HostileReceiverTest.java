package dev.hookengine.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.HttpMethod;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.spi.TransportResult.Failure;
import dev.hookengine.spi.TransportResult.Kind;
import dev.hookengine.testing.HostileReceiver;
import dev.hookengine.testing.HostileReceiver.Connection;
import dev.hookengine.testing.HostileReceiver.Mode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against receivers that misbehave below HTTP ({@link HostileReceiver}), each case run
 * {@value #CONCURRENT} times at once. For each: the result the engine records, and the bounds the
 * transport keeps whatever the receiver does:
 *
 * <ul>
 *   <li><b>time</b>: every exchange ends by its deadline, with a generous margin for a loaded machine
 *       ({@link #MARGIN}; a margin, not a performance figure);</li>
 *   <li><b>connections</b>: every connection the receiver accepted was closed by the transport within
 *       the deadline and the margin, and none is left open: nothing of a misbehaving receiver's is
 *       kept in the pool;</li>
 *   <li><b>threads</b>: the JVM's live threads (the receiver's own left out) come back to what they
 *       were before, give or take {@link #THREAD_SLACK}: no exchange holds a thread of its own;</li>
 *   <li><b>memory</b>: what the transport read, measured as what the receiver managed to write before
 *       the transport stopped reading, is a small bound where the receiver would write without end
 *       (or 10 MiB of headers); the body kept is at most {@code maxResponseBytes}.</li>
 * </ul>
 *
 * <p>The transport's idle timeout ({@link #IDLE_TIMEOUT}) is longer than the deadline and 60 times
 * the drip's pause, so it is the deadline, not the idle timeout, that ends a stalled or dripping
 * exchange. Jetty's own asserts are off in this module's tests, as in production (see pom.xml).
 */
class HostileReceiverTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** Room for a machine busy with other builds; an exchange that ran past its deadline for real runs far past it. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    /**
     * Short enough that a spare connection Jetty's pool opens and no exchange uses (it may open one
     * more than the requests waiting) closes within the test, and still 60 times the drip's pause.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    /** The longest any connection may stay open: an exchange's ends by the deadline, a spare's by the idle timeout. */
    private static final Duration CONNECTION_BOUND = IDLE_TIMEOUT.plus(MARGIN);

    private static final int CONCURRENT = 50;
    /**
     * Far fewer threads than exchanges at once: were any exchange to hold a thread while the receiver
     * stalls or drips, the others would queue behind it and miss their deadline.
     */
    private static final int MAX_THREADS = 12;

    private static final int MAX_RESPONSE_BYTES = 4096;
    /** Threads the transport's pool may add (up to {@link #MAX_THREADS}) or the JVM may start on its own. */
    private static final int THREAD_SLACK = 8;
    /**
     * The most a receiver may manage to write to one connection before the transport stops reading:
     * the transport's bound plus what the kernel's socket buffers take in before a read stops. A
     * transport reading without a bound would take gigabytes within the deadline on loopback.
     */
    private static final long MAX_WRITTEN_PER_CONNECTION = 4L * 1024 * 1024;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private JettyHttpTransport transport;

    @BeforeEach
    void setUp() {
        transport = JettyHttpTransport.builder()
                .allowAddresses("127.0.0.1/32")
                .maxResponseBytes(MAX_RESPONSE_BYTES)
                .idleTimeout(IDLE_TIMEOUT)
                .maxThreads(MAX_THREADS)
                .build();
        resources.add(transport);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private HostileReceiver receiver(HostileReceiver.Builder builder) throws Exception {
        HostileReceiver receiver = builder.start();
        resources.add(0, receiver);
        return receiver;
    }

    // 1. Headers without a bound.

    @Test
    void aTenMebibyteHeaderBlockIsAConnectionErrorAndIsNotRead() throws Exception {
        HostileReceiver receiver = receiver(HostileReceiver.builder(Mode.HUGE_HEADERS));

        Run run = runConcurrently(receiver, receiver.url("/hook"));

        run.assertEachResult(result -> {
            Failure failure = failure(result, Kind.CONNECTION_FAILED);
            assertThat(failure.message())
                    .contains("127.0.0.1")
                    .contains("not valid HTTP")
                    .containsIgnoringCase("header");
        });
        run.assertBounded(true);
        // Not one connection got the whole block through: the transport stopped reading each one.
        assertThat(run.connections())
                .allSatisfy(c -> assertThat(c.bytesWritten()).isLessThan(10L * 1024 * 1024));
        // And the bound is what stopped it: the receiver got more than the bound out on some.
        assertThat(run.connections())
                .anySatisfy(c -> assertThat(c.bytesWritten())
                        .isGreaterThan(JettyHttpTransport.Builder.DEFAULT_MAX_RESPONSE_HEADER_BYTES));
    }

    @Test
    void aLargeHeaderBlockWithinTheBoundIsReadWhole() throws Exception {
        // The same receiver with a block of 32 KiB: a complete, valid 200. What fails above is the
        // size, not the receiver's bytes.
        HostileReceiver receiver =
                receiver(HostileReceiver.builder(Mode.HUGE_HEADERS).headerBytes(32 * 1024));

        TransportResult.Response response =
                response(transport.send(post(receiver.url("/hook"))).get(30, TimeUnit.SECONDS));

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), UTF_8)).isEqualTo("ok");
        assertThat(response.headers().get("x-hostile")).hasSizeGreaterThan(30);
    }

    // 2. A body without end.

    @Test
    void aNeverEndingBodyIsTheStatusWithTheBodyCutAtTheLimit() throws Exception {
        HostileReceiver receiver = receiver(HostileReceiver.builder(Mode.ENDLESS_BODY));

        Run run = runConcurrently(receiver, receiver.url("/hook"));

        // The engine records this as INTERNAL_RESPONSE_TOO_LARGE with the status kept (Outcome).
        run.assertEachResult(result -> {
            TransportResult.Response response = response(result);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.truncated()).isTrue();
            assertThat(response.body()).hasSize(MAX_RESPONSE_BYTES);
            // Cut at the limit, not at the deadline.
            assertThat(response.elapsed()).isLessThan(DEADLINE);
        });
        run.assertBounded(true);
        // The receiver did write past the limit, and was stopped within the bound on every connection.
        assertThat(run.connections())
                .anySatisfy(c -> assertThat(c.bytesWritten()).isGreaterThan(MAX_RESPONSE_BYTES));
    }

    // 3. A body that drips.

    @Test
    void aSlowDripBodyEndsAsATimeoutAtTheDeadline() throws Exception {
        // A byte every 50 ms: never near the idle timeout, always past the deadline.
        HostileReceiver receiver =
                receiver(HostileReceiver.builder(Mode.SLOW_DRIP).dripInterval(Duration.ofMillis(50)));

        Run run = runConcurrently(receiver, receiver.url("/hook"));

        run.assertEachResult(result -> {
            Failure failure = failure(result, Kind.TIMEOUT);
            assertThat(failure.message()).contains("the body did not finish").contains(DEADLINE.toMillis() + " ms");
            assertThat(failure.elapsed()).isGreaterThanOrEqualTo(DEADLINE.minusMillis(50));
        });
        run.assertBounded(true);
    }

    // 4. TLS that never completes.

    @Test
    void aTlsHandshakeThatNeverCompletesEndsAsATimeoutAtTheDeadline() throws Exception {
        HostileReceiver receiver = receiver(HostileReceiver.builder(Mode.SILENT));

        Run run = runConcurrently(receiver, receiver.httpsUrl("/hook"));

        run.assertEachResult(result -> {
            Failure failure = failure(result, Kind.TIMEOUT);
            assertThat(failure.message()).contains("no response");
        });
        run.assertBounded(true);
    }

    @Test
    void aTlsHandshakeAnsweredWithGarbageIsAConnectionError() throws Exception {
        HostileReceiver receiver = receiver(HostileReceiver.builder(Mode.GARBAGE));

        Run run = runConcurrently(receiver, receiver.httpsUrl("/hook"));

        run.assertEachResult(result -> failure(result, Kind.CONNECTION_FAILED));
        run.assertBounded(true);
    }

    @Test
    void bytesThatAreNotHttpAreAConnectionErrorNotAnInternalOne() throws Exception {
        // The same garbage over plain http: a status line Jetty's parser refuses. The receiver's fault,
        // so the engine must not record it as its own (INTERNAL_ERROR).
        HostileReceiver receiver = receiver(HostileReceiver.builder(Mode.GARBAGE));

        Run run = runConcurrently(receiver, receiver.url("/hook"));

        // Mostly Jetty's parser refusing the status line; now and then the garbage arrives while the
        // connection waits in the pool, Jetty closes it, and the request meets a closed channel.
        run.assertEachResult(result -> failure(result, Kind.CONNECTION_FAILED));
        assertThat(run.results())
                .anySatisfy(result -> assertThat(((Failure) result).message()).contains("not valid HTTP"));
        run.assertBounded(true);
    }

    // 5. A reset in the middle of the response.

    @Test
    void aConnectionResetAfterTheHeadersIsAConnectionError() throws Exception {
        HostileReceiver receiver = receiver(HostileReceiver.builder(Mode.RESET_AFTER_HEADERS));

        Run run = runConcurrently(receiver, receiver.url("/hook"));

        // Not the 200 whose headers came: the body never did, so there is no answer to judge.
        run.assertEachResult(result -> failure(result, Kind.CONNECTION_FAILED));
        // The receiver ends these connections itself; the rest of the bounds hold all the same.
        run.assertBounded(false);
    }

    // The run.

    /** Sends {@value #CONCURRENT} requests to {@code url} at once and collects what the bounds need. */
    private Run runConcurrently(HostileReceiver receiver, String url) throws Exception {
        if (url.startsWith("https:")) {
            warmUpTls();
        }
        int threadsBefore = liveThreadsButTheReceivers();
        long start = System.nanoTime();
        List<CompletableFuture<TransportResult>> futures = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            futures.add(transport.send(post(url)));
        }
        List<TransportResult> results = new ArrayList<>();
        long waitUntil = start + DEADLINE.plus(MARGIN).toNanos();
        for (CompletableFuture<TransportResult> future : futures) {
            // A future not done by then is an exchange that outlived its deadline: get() throws.
            results.add(future.get(Math.max(1, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        Duration allEnded = Duration.ofNanos(System.nanoTime() - start);
        boolean allClosed = receiver.awaitAllEnded(CONCURRENT, CONNECTION_BOUND);
        return new Run(results, allEnded, allClosed, receiver.endedConnections(), threadsBefore);
    }

    private record Run(
            List<TransportResult> results,
            Duration allEnded,
            boolean allClosed,
            List<Connection> connections,
            int threadsBefore) {

        void assertEachResult(Consumer<TransportResult> check) {
            assertThat(results).hasSize(CONCURRENT).allSatisfy(check);
        }

        /**
         * Time, connections, threads and bytes; {@code closedBySender}: the transport, not the
         * receiver, closed each connection.
         */
        void assertBounded(boolean closedBySender) throws InterruptedException {
            assertThat(allEnded).isLessThan(DEADLINE.plus(MARGIN));
            assertThat(results).allSatisfy(r -> assertThat(r.elapsed()).isLessThan(DEADLINE.plus(MARGIN)));

            // A connection per exchange (and perhaps a spare the pool opened, which the idle timeout
            // closes), none kept: each ended within the bound, closed by the transport, after few bytes.
            assertThat(allClosed).as("every connection accepted was closed").isTrue();
            assertThat(connections)
                    .hasSizeBetween(CONCURRENT, JettyHttpTransport.Builder.DEFAULT_MAX_CONNECTIONS_PER_DESTINATION)
                    .allSatisfy(c -> {
                        assertThat(c.lifetime()).isLessThan(CONNECTION_BOUND);
                        assertThat(c.bytesWritten()).isLessThanOrEqualTo(MAX_WRITTEN_PER_CONNECTION);
                    });
            if (closedBySender) {
                assertThat(connections)
                        .allSatisfy(c -> assertThat(c.closedBySender()).isTrue());
            }

            // Threads come back: polled, since a finished thread leaves the count a moment after it ends.
            long until = System.nanoTime() + MARGIN.toNanos();
            int now = liveThreadsButTheReceivers();
            while (now > threadsBefore + THREAD_SLACK && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                now = liveThreadsButTheReceivers();
            }
            assertThat(now)
                    .as("live threads after; before: " + threadsBefore)
                    .isLessThanOrEqualTo(threadsBefore + THREAD_SLACK);
        }
    }

    /**
     * One TLS exchange first: the JVM's first handshake loads and initializes its TLS provider, which
     * on a busy machine can take a good part of the deadline and is no part of what is measured.
     */
    private void warmUpTls() throws Exception {
        try (HostileReceiver garbage = HostileReceiver.start(Mode.GARBAGE)) {
            failure(
                    transport.send(post(garbage.httpsUrl("/warm-up"))).get(30, TimeUnit.SECONDS),
                    Kind.CONNECTION_FAILED);
        }
    }

    private static OutboundRequest post(String url) {
        return new OutboundRequest(
                HttpMethod.POST, URI.create(url), List.of(), "{\"n\":1}".getBytes(UTF_8), DEADLINE, null);
    }

    /** The JVM's live threads, but for the hostile receivers' own (one per connection they accepted). */
    private static int liveThreadsButTheReceivers() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !thread.getName().startsWith("hostile-receiver-"))
                .count();
    }

    private static TransportResult.Response response(TransportResult result) {
        assertThat(result).isInstanceOf(TransportResult.Response.class);
        return (TransportResult.Response) result;
    }

    private static Failure failure(TransportResult result, Kind kind) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(Failure.class);
        Failure failure = (Failure) result;
        assertThat(failure.kind()).as(failure.message()).isEqualTo(kind);
        return failure;
    }
}
