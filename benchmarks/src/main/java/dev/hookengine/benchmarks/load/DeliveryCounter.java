package dev.hookengine.benchmarks.load;

import dev.hookengine.testing.Behaviour;
import dev.hookengine.testing.TestReceiver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The webhook endpoint of the load runs, as the {@link Behaviour} of a {@link TestReceiver} on
 * 127.0.0.1: it answers every request at once with a fixed status and counts, per sequence number, how
 * often each webhook arrived and when it first did.
 *
 * <p>The sequence number travels in the body as the top-level {@code "load_seq"} property, which the
 * engine passes through after {@code metadata} and {@code entity}; the counter finds it by scanning
 * the bytes from the end instead of parsing the JSON, and its receiver records nothing, so that
 * receiving spends as little of the shared CPU as possible. Receipt times are {@link System#nanoTime()}:
 * the publisher runs in the same JVM, so the publish-to-receipt latency is a difference of two readings
 * of one monotonic clock (the {@code webhook-timestamp} header has whole seconds only, and wall-clock
 * time can step).
 *
 * <p>One {@link Expectation} at a time: each run hands out a fresh range of sequence numbers, and
 * anything outside the current range (a late duplicate from an earlier run) is counted as a stray,
 * which fails the run.
 */
final class DeliveryCounter implements Behaviour {

    /** Name prefix of the receiver's threads, so that their CPU time can be told apart from the engine's. */
    static final String THREAD_PREFIX = "load-receiver";

    static final String SEQ_FIELD = "load_seq";
    private static final byte[] SEQ_MARKER =
            ("\"" + SEQ_FIELD + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private volatile Expectation current;
    private long nextSeq;

    /** Starts a receiver on a free port of 127.0.0.1 that answers with this counter, on threads of its own. */
    TestReceiver startReceiver() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        threads.setName(THREAD_PREFIX);
        threads.setDaemon(true);
        // Threads that idle out take their CPU time with them; keep them for the whole run.
        threads.setIdleTimeout((int) Duration.ofHours(1).toMillis());
        return TestReceiver.builder()
                .threads(threads)
                .recording(false)
                .behaviour(this)
                .start();
    }

    @Override
    public void respond(Request request, Response response, TestReceiver receiver) throws Exception {
        long receivedAt = System.nanoTime();
        ByteBuffer body = Content.Source.asByteBuffer(request);
        Expectation expectation = current;
        response.setStatus(expectation == null ? 500 : expectation.record(sequenceOf(body), receivedAt));
    }

    /**
     * Expects sequence numbers {@code first} to {@code first + count - 1}, each once, answering every
     * request with {@code status}. Replaces the previous expectation.
     */
    Expectation expect(long first, int count, int status) {
        Expectation expectation = new Expectation(first, count, status);
        current = expectation;
        return expectation;
    }

    /**
     * Expects the next {@code count} sequence numbers no run has had yet, each once, answering with
     * {@code status}: each run gets a range of its own, so that a late duplicate of an earlier run
     * counts as a stray.
     */
    synchronized Expectation expectNext(int count, int status) {
        long first = nextSeq;
        nextSeq += count;
        return expect(first, count, status);
    }

    /** The number after the last {@code "load_seq":} in the body, or -1. */
    static long sequenceOf(ByteBuffer body) {
        int end = body.limit();
        outer:
        for (int at = end - SEQ_MARKER.length; at >= body.position(); at--) {
            for (int i = 0; i < SEQ_MARKER.length; i++) {
                if (body.get(at + i) != SEQ_MARKER[i]) {
                    continue outer;
                }
            }
            long value = 0;
            int digits = 0;
            for (int i = at + SEQ_MARKER.length; i < end; i++) {
                byte b = body.get(i);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                digits++;
            }
            return digits == 0 ? -1 : value;
        }
        return -1;
    }

    /**
     * What one run expects, and what arrived. Counts are atomic per sequence number; the first receipt
     * time of each is kept.
     */
    static final class Expectation {
        private final long first;
        private final int count;
        private final int status;
        private final AtomicIntegerArray arrivals;
        private final AtomicLongArray firstReceipt;
        private final AtomicInteger strays = new AtomicInteger();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final CountDownLatch allArrived;

        private Expectation(long first, int count, int status) {
            this.first = first;
            this.count = count;
            this.status = status;
            this.arrivals = new AtomicIntegerArray(count);
            this.firstReceipt = new AtomicLongArray(count);
            this.allArrived = new CountDownLatch(count);
        }

        private int record(long seq, long receivedAt) {
            long index = seq - first;
            if (seq < 0 || index < 0 || index >= count) {
                strays.incrementAndGet();
                return 400;
            }
            int i = (int) index;
            if (arrivals.getAndIncrement(i) == 0) {
                firstReceipt.set(i, receivedAt);
                allArrived.countDown();
            } else {
                duplicates.incrementAndGet();
            }
            return status;
        }

        /**
         * Waits until every expected sequence number has arrived at least once.
         *
         * @return whether they all did within {@code timeout}
         */
        boolean awaitAll(Duration timeout) throws InterruptedException {
            return allArrived.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** The first sequence number expected. */
        long first() {
            return first;
        }

        /** How many sequence numbers are expected. */
        int count() {
            return count;
        }

        /** How many distinct sequence numbers have arrived. */
        int distinct() {
            return (int) (count - allArrived.getCount());
        }

        /** When sequence number {@code first + index} first arrived, in {@link System#nanoTime()}; 0 if never. */
        long receiptNanos(int index) {
            return firstReceipt.get(index);
        }

        /** The latest first receipt: when the run's last webhook arrived. */
        long lastReceiptNanos() {
            long last = Long.MIN_VALUE;
            for (int i = 0; i < count; i++) {
                last = Math.max(last, firstReceipt.get(i));
            }
            return last;
        }

        /**
         * What is wrong with the arrivals, if anything: sequence numbers that never came or came more
         * than once, and requests outside the expected range.
         */
        java.util.List<String> problems() {
            java.util.List<String> problems = new java.util.ArrayList<>();
            int missing = 0;
            long firstMissing = -1;
            for (int i = 0; i < count; i++) {
                if (arrivals.get(i) == 0) {
                    if (missing++ == 0) {
                        firstMissing = first + i;
                    }
                }
            }
            if (missing > 0) {
                problems.add(
                        missing + " of " + count + " webhooks never arrived (first missing: seq " + firstMissing + ")");
            }
            if (duplicates.get() > 0) {
                problems.add(duplicates.get() + " webhooks arrived more than once");
            }
            if (strays.get() > 0) {
                problems.add(strays.get() + " requests carried no sequence number of this run");
            }
            return problems;
        }
    }
}
