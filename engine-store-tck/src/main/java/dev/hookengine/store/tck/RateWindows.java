package dev.hookengine.store.tck;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Counts instants in sliding one-second windows: how a test checks a rate limit
 * ({@link dev.hookengine.spi.DeliveryQueue#takePermit}, or deliveries seen by a receiver) without
 * trusting the code under test to count.
 */
public final class RateWindows {

    /** The length of every window. */
    public static final Duration SECOND = Duration.ofSeconds(1);

    private RateWindows() {}

    /**
     * The most of {@code instants} inside any half-open window {@code [t, t + 1 s)}, for every
     * instant {@code t}. Only windows that start at one of the instants need counting: any other
     * window holding some of them can slide right to its first one and lose none.
     */
    public static int mostInAnySecond(Collection<Instant> instants) {
        List<Instant> sorted = sorted(instants);
        int most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            Instant windowEnd = sorted.get(start).plus(SECOND);
            while (end < sorted.size() && sorted.get(end).isBefore(windowEnd)) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    /** How many of {@code instants} lie in {@code (now - 1 s, now]}: the second that ends at {@code now}. */
    public static int inSecondEndingAt(Collection<Instant> instants, Instant now) {
        Instant after = now.minus(SECOND);
        return (int) instants.stream()
                .filter(instant -> instant.isAfter(after) && !instant.isAfter(now))
                .count();
    }

    /** The earliest of {@code instants} in {@code (now - 1 s, now]}; {@code null} when none is. */
    public static Instant earliestInSecondEndingAt(Collection<Instant> instants, Instant now) {
        Instant after = now.minus(SECOND);
        return instants.stream()
                .filter(instant -> instant.isAfter(after) && !instant.isAfter(now))
                .min(Instant::compareTo)
                .orElse(null);
    }

    private static List<Instant> sorted(Collection<Instant> instants) {
        List<Instant> sorted = new ArrayList<>(instants);
        sorted.forEach(instant -> Objects.requireNonNull(instant, "instant"));
        sorted.sort(Instant::compareTo);
        return sorted;
    }
}
