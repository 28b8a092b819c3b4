package dev.hookengine.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link EventStore#deliveryStats} counts: the events of one config created in
 * {@code [from, to)}, cut into intervals of {@code interval} starting at {@code from}. The last
 * interval ends at {@code to}, so it is shorter when the range is not a whole number of intervals.
 *
 * <p>Every value is at millisecond precision, like the timestamps stores keep, so that every store
 * puts an event in the same interval: interval {@code i} holds the events with
 * {@code from + i * interval <= created_at < from + (i + 1) * interval}.
 *
 * @param configId the config whose events are counted
 * @param from     the start of the range, inclusive
 * @param to       the end of the range, exclusive; after {@code from}
 * @param interval the length of an interval, at least one millisecond
 */
public record StatsQuery(String configId, Instant from, Instant to, Duration interval) {

    /**
     * The most intervals a query may cut its range into: a day per minute fits. It bounds what a
     * store returns, not what it reads; the events of the range are read once whatever the interval.
     */
    public static final int MAX_INTERVALS = 1_440;

    public StatsQuery {
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(interval, "interval");
        if (from.getNano() % 1_000_000 != 0 || to.getNano() % 1_000_000 != 0 || interval.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("from, to and interval must be whole milliseconds");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to: " + from + " / " + to);
        }
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms: " + interval);
        }
        if (intervalCount(from, to, interval) > MAX_INTERVALS) {
            throw new IllegalArgumentException(
                    "at most " + MAX_INTERVALS + " intervals: " + from + " to " + to + " by " + interval);
        }
    }

    /**
     * How many intervals {@code [from, to)} makes by {@code interval}: the last one may be partial.
     *
     * @throws ArithmeticException when an instant or the range does not fit epoch milliseconds in a long
     */
    public static long intervalCount(Instant from, Instant to, Duration interval) {
        long range = Math.subtractExact(to.toEpochMilli(), from.toEpochMilli());
        long step = interval.toMillis();
        if (range <= 0 || step <= 0) {
            return 0;
        }
        return range / step + (range % step == 0 ? 0 : 1);
    }

    /** How many intervals this query makes. */
    public int intervalCount() {
        return (int) intervalCount(from, to, interval);
    }

    /** Where interval {@code index} starts. */
    public Instant intervalStart(int index) {
        return from.plusMillis(index * interval.toMillis());
    }

    /**
     * The interval an event created at {@code createdAt} falls in, or -1 when it is outside the range.
     */
    public int intervalOf(Instant createdAt) {
        if (createdAt.isBefore(from) || !createdAt.isBefore(to)) {
            return -1;
        }
        return (int) ((createdAt.toEpochMilli() - from.toEpochMilli()) / interval.toMillis());
    }
}
