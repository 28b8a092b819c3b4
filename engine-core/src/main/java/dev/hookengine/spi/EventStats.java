package dev.hookengine.spi;

import dev.hookengine.model.EventStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EventStore#deliveryStats} found: a config's events counted by status, per interval and
 * over the whole range, with the durations of their delivery attempts.
 *
 * @param intervals the intervals that hold at least one event, by start ascending; an interval
 *                  without events is left out
 * @param total     the whole range: the sum of the intervals' counts, and the latency of all their
 *                  attempts together; its {@code start} is the query's {@code from}
 */
public record EventStats(List<Interval> intervals, Interval total) {

    public EventStats {
        intervals = List.copyOf(intervals);
        Objects.requireNonNull(total, "total");
    }

    /**
     * The answer for these intervals: the total's counts are theirs summed, its latency the one the
     * store measured over all their attempts (which the intervals' percentiles cannot give).
     *
     * @param from         the query's {@code from}, where the total starts
     * @param totalLatency the latency of every attempt of the range, or {@code null} when none
     */
    public static EventStats of(List<Interval> intervals, Instant from, Latency totalLatency) {
        long succeeded = 0, failed = 0, skipped = 0, inProgress = 0;
        for (Interval interval : intervals) {
            succeeded += interval.succeeded();
            failed += interval.failed();
            skipped += interval.skipped();
            inProgress += interval.inProgress();
        }
        return new EventStats(intervals, new Interval(from, succeeded, failed, skipped, inProgress, totalLatency));
    }

    /**
     * The events created in one interval (or the whole range), by the status they have now.
     *
     * @param start      where the interval starts
     * @param succeeded  events {@code succeeded}
     * @param failed     events {@code failed}
     * @param skipped    events {@code skipped}
     * @param inProgress events still {@code in_progress}
     * @param latency    the durations of these events' attempts, or {@code null} when they have none
     */
    public record Interval(Instant start, long succeeded, long failed, long skipped, long inProgress, Latency latency) {

        public Interval {
            Objects.requireNonNull(start, "start");
        }

        /**
         * An interval from counts indexed by {@link EventStatus#ordinal()}: how a store that tallies
         * statuses into an array builds its answer.
         */
        public static Interval of(Instant start, long[] countsByStatus, Latency latency) {
            return new Interval(
                    start,
                    countsByStatus[EventStatus.SUCCEEDED.ordinal()],
                    countsByStatus[EventStatus.FAILED.ordinal()],
                    countsByStatus[EventStatus.SKIPPED.ordinal()],
                    countsByStatus[EventStatus.IN_PROGRESS.ordinal()],
                    latency);
        }

        /** Nothing counted: what an interval without events reads as. */
        public static Interval empty(Instant start) {
            return new Interval(start, 0, 0, 0, 0, null);
        }

        /** Every event counted, whatever its status. */
        public long events() {
            return succeeded + failed + skipped + inProgress;
        }
    }

    /**
     * The durations of a set of attempts, each from its start to its end (an end before the start,
     * from a clock stepped back, counts as 0 ms). The percentiles are discrete, the nearest-rank
     * method: of {@code n} durations sorted ascending, the p-th percentile is the one at rank
     * {@link #rank ceil(p * n / 100)} (1-based), so it is always a duration that occurred. Computed
     * in whole numbers, so every store gives the same answer (SQL's {@code PERCENTILE_DISC} would
     * compute the rank in floating point, and H2 rounds it differently).
     *
     * @param attempts  how many attempts, at least 1
     * @param p50Millis the median duration
     * @param p95Millis the 95th percentile
     * @param maxMillis the longest
     */
    public record Latency(long attempts, long p50Millis, long p95Millis, long maxMillis) {

        public Latency {
            if (attempts < 1) {
                throw new IllegalArgumentException("a latency needs at least one attempt: " + attempts);
            }
        }

        /**
         * The 1-based nearest rank of the {@code percent}-th percentile of {@code n} sorted values:
         * {@code ceil(percent * n / 100)}, at least 1.
         */
        public static long rank(int percent, long n) {
            return Math.max(1, (percent * n + 99) / 100);
        }

        /** The latency of these durations, in milliseconds, sorted ascending; {@code null} when none. */
        public static Latency ofSorted(long[] sortedMillis) {
            int n = sortedMillis.length;
            if (n == 0) {
                return null;
            }
            return new Latency(
                    n, sortedMillis[(int) rank(50, n) - 1], sortedMillis[(int) rank(95, n) - 1], sortedMillis[n - 1]);
        }
    }
}
