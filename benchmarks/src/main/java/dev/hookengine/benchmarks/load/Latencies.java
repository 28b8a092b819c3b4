package dev.hookengine.benchmarks.load;

import java.util.Arrays;

/**
 * Exact percentiles of a run's latencies, in milliseconds: the runs are small enough to sort every
 * sample instead of bucketing them.
 *
 * @param p50Millis the median
 * @param p99Millis the 99th percentile (nearest rank)
 * @param maxMillis the largest
 */
record Latencies(double p50Millis, double p99Millis, double maxMillis) {

    /** Of these latencies in nanoseconds; the array is sorted in place. */
    static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latencies");
        }
        Arrays.sort(nanos);
        return new Latencies(millis(rank(nanos, 0.50)), millis(rank(nanos, 0.99)), millis(nanos[nanos.length - 1]));
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
