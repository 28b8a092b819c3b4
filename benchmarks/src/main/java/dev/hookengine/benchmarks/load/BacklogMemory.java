package dev.hookengine.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.benchmarks.Payloads;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import dev.hookengine.testing.TestReceiver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 18: the engine's heap while a backlog of jobs waits on PostgreSQL. Publishes
 * {@code --events} events to {@code --configs} configs of one organization with the engine stopped
 * ({@code events × configs} jobs queued), then starts delivering to a receiver on 127.0.0.1 that
 * answers every third request 503 (so jobs are claimed, attempted, retried and rescheduled, and the
 * destination's breaker now and then opens), and samples the heap after a full GC every
 * {@code --sample-seconds} for {@code --minutes}. A heap that holds per-job state grows with what
 * was claimed; a flat one does not. Prints one line per sample and a summary.
 *
 * <pre>{@code
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar dev.hookengine.benchmarks.load.BacklogMemory \
 *     [--events 100000] [--configs 10] [--minutes 3] [--sample-seconds 10]
 * }</pre>
 *
 * <p>The receiver runs in this JVM without recording requests, so its garbage is short-lived and
 * the samples are the engine's (plus a constant: the receiver's and the pools' own structures).
 */
public final class BacklogMemory {

    private BacklogMemory() {}

    public static void main(String[] args) throws Exception {
        int events = intOption(args, "--events", 100_000);
        int configs = intOption(args, "--configs", 10);
        int minutes = intOption(args, "--minutes", 3);
        int sampleSeconds = intOption(args, "--sample-seconds", 10);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong answered = new AtomicLong();
        try (PostgresDatabase database = PostgresDatabase.start(10, true);
                TestReceiver receiver = TestReceiver.builder()
                        .recording(false)
                        .behaviour((request, response, self) -> {
                            response.setStatus(answered.incrementAndGet() % 3 == 0 ? 503 : 200);
                        })
                        .start();
                JettyHttpTransport transport = LoadRuns.newTransport()) {
            JdbcWebhookStore store = database.newStore("backlog_");
            WebhookEngine engine =
                    WebhookEngine.builder().store(store).transport(transport).build();
            // engine.close() stops the workers below; the store and the transport are closed by their owners
            for (int c = 0; c < configs; c++) {
                engine.createConfig(
                        "backlog-org",
                        WebhookConfig.builder()
                                .name("backlog " + c)
                                .eventName("backlog_event")
                                .url(receiver.url("/backlog/" + c))
                                .retryPolicy(new RetryPolicy(true, 5))
                                .build());
            }
            long fillStarted = System.nanoTime();
            List<DomainEvent> batch = new ArrayList<>(1_000);
            ObjectNode entity = Payloads.entity(); // the load runs' ~2 KiB order
            for (int i = 0; i < events; i++) {
                batch.add(DomainEvent.builder("backlog-org", "backlog_event")
                        .entity(entity)
                        .build());
                if (batch.size() == 1_000 || i == events - 1) {
                    engine.publishAll(batch);
                    batch.clear();
                }
            }
            QueueStats filled = store.stats(Instant.now());
            System.out.printf(
                    "queued %,d jobs (%,d events x %d configs) in %.0f s; heap after GC %s%n",
                    filled.depth(), events, configs, (System.nanoTime() - fillStarted) / 1e9, mib(heapAfterGc(memory)));

            engine.start();
            long started = System.nanoTime();
            long first = -1;
            long low = Long.MAX_VALUE;
            long high = 0;
            List<Long> samples = new ArrayList<>();
            Duration total = Duration.ofMinutes(minutes);
            while (System.nanoTime() - started < total.toNanos()) {
                Thread.sleep(sampleSeconds * 1_000L); // a sampling period, not a wait for something to happen
                long heap = heapAfterGc(memory);
                samples.add(heap);
                if (first < 0) {
                    first = heap;
                }
                low = Math.min(low, heap);
                high = Math.max(high, heap);
                QueueStats queue = store.stats(Instant.now());
                System.out.printf(
                        "%4d s  heap after GC %s  attempts %,d  jobs queued %,d  due %,d%n",
                        (System.nanoTime() - started) / 1_000_000_000L,
                        mib(heap),
                        answered.get(),
                        queue.depth(),
                        queue.due());
            }
            engine.close();
            System.out.printf(
                    "summary: %,d jobs queued at start, %,d attempts answered in %d min; heap after GC first %s,"
                            + " min %s, max %s, last %s (max - min %s)%n",
                    filled.depth(),
                    answered.get(),
                    minutes,
                    mib(first),
                    mib(low),
                    mib(high),
                    mib(samples.get(samples.size() - 1)),
                    mib(high - low));
            store.close();
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100); // lets the collector's concurrent phases finish before reading
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
