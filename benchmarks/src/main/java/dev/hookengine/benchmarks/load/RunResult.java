package dev.hookengine.benchmarks.load;

import java.util.List;

/**
 * What one measured run came to.
 *
 * @param scenario            what ran: {@code drain}, {@code baseline signing}, {@code baseline pre-signed},
 *                            {@code paced 1000/s}, {@code waiting retries}
 * @param store               {@code in-memory}, {@code PostgreSQL}, an H2 file, or {@code none} (the baselines)
 * @param deliveries          webhooks the receiver got (attempts, in the waiting-retries run)
 * @param deliveriesPerSecond deliveries over the time from the start of sending to the last receipt
 * @param publishedPerSecond  events published per second before the engine started (a drain's publish phase); 0 where not measured
 * @param latency             publish-to-receipt (send-to-receipt for the baseline); {@code null} where it means nothing
 * @param cpu                 CPU per delivery
 * @param heapAfterGcBytes    used heap after a full GC at the end of the run, its store still held
 * @param heapDeltaBytes      the heap the run's state costs, measured against the heap before it; {@code null} if not measured
 * @param notes               what else a reader needs to read the figures
 * @param problems            why the run is not to be trusted: lost, duplicated or unexpected deliveries, wrong store state
 */
record RunResult(
        String scenario,
        String store,
        int deliveries,
        double deliveriesPerSecond,
        double publishedPerSecond,
        Latencies latency,
        ProcessMeter.CpuPerOperation cpu,
        long heapAfterGcBytes,
        Long heapDeltaBytes,
        List<String> notes,
        List<String> problems) {

    RunResult {
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
    }

    boolean passed() {
        return problems.isEmpty();
    }
}
