package dev.hookengine.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * CPU time and heap of the harness process, plus the CPU time of a database running beside it.
 *
 * <p>The process's CPU time covers the engine, the receiver, the publisher, GC and the JIT alike.
 * The receiver's share is measured from its own threads ({@link DeliveryCounter#THREAD_PREFIX}) and
 * taken off, so "CPU per delivery" is what sending costs, not what receiving costs. The GC and JIT
 * time stays in, whoever caused it; the receiver allocates little next to the engine.
 */
final class ProcessMeter {

    /** One reading of the clocks. */
    record Sample(long wallNanos, long processCpuNanos, long receiverCpuNanos, long databaseCpuNanos) {}

    /**
     * CPU per operation between two samples, in microseconds.
     *
     * @param senderMicros   the process less the receiver's threads: the engine (or the bare transport), publisher included
     * @param receiverMicros the receiver's threads
     * @param databaseMicros the database's processes, 0 without one
     */
    record CpuPerOperation(double senderMicros, double receiverMicros, double databaseMicros) {}

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final LongSupplier databaseCpuNanos;

    /** @param databaseCpuNanos CPU time used so far by a database beside the process; {@code () -> 0} without one */
    ProcessMeter(LongSupplier databaseCpuNanos) {
        this.databaseCpuNanos = databaseCpuNanos;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    Sample sample() {
        return new Sample(System.nanoTime(), os.getProcessCpuTime(), receiverCpuNanos(), databaseCpuNanos.getAsLong());
    }

    static CpuPerOperation perOperation(Sample from, Sample to, long operations) {
        double ops = Math.max(1, operations) * 1_000.0;
        long receiver = to.receiverCpuNanos() - from.receiverCpuNanos();
        long process = to.processCpuNanos() - from.processCpuNanos();
        return new CpuPerOperation(
                (process - receiver) / ops, receiver / ops, (to.databaseCpuNanos() - from.databaseCpuNanos()) / ops);
    }

    /** Used heap after two full collections, in bytes: what is still reachable. */
    long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private long receiverCpuNanos() {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(DeliveryCounter.THREAD_PREFIX)) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }
}
