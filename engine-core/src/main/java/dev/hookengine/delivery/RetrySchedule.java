package dev.hookengine.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry a delivery that failed with a retryable outcome (5xx, 408, 429, connection errors,
 * timeouts). Retries are durable: the delay becomes the queued job's due time, never a sleeping
 * thread. An embedder may replace the schedule on the engine's builder.
 */
@FunctionalInterface
public interface RetrySchedule {

    /** Standard Webhooks' delays: 5 s, 5 min, 30 min, 2 h, 5 h between attempts. */
    List<Duration> STANDARD_DELAYS = List.of(
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5));

    /** The longest {@code Retry-After} a receiver can ask for; a longer one is cut to this. */
    Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    /**
     * The delay before retry number {@code retry}.
     *
     * @param retry      1 for the first retry (the second attempt), up to the config's {@code maxAttempts}
     * @param retryAfter what the receiver asked for with {@code Retry-After}, or empty
     * @return the delay from the end of the failed attempt to the next one
     */
    Duration delayBefore(int retry, Optional<Duration> retryAfter);

    /**
     * {@link #STANDARD_DELAYS} with ±20 % jitter, so that receivers recovering from an outage are not
     * hit by every retry at once. A {@code Retry-After} is honoured as given, between 1 s and
     * {@link #MAX_RETRY_AFTER}, without jitter.
     */
    static RetrySchedule standard() {
        return (retry, retryAfter) -> {
            if (retryAfter.isPresent()) {
                return clamp(retryAfter.get());
            }
            Duration base = STANDARD_DELAYS.get(Math.min(Math.max(retry, 1), STANDARD_DELAYS.size()) - 1);
            double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
            return Duration.ofMillis(Math.round(base.toMillis() * factor));
        };
    }

    /** {@link #STANDARD_DELAYS} exactly, for tests that assert attempt times. */
    static RetrySchedule standardWithoutJitter() {
        return (retry, retryAfter) -> retryAfter
                .map(RetrySchedule::clamp)
                .orElse(STANDARD_DELAYS.get(Math.min(Math.max(retry, 1), STANDARD_DELAYS.size()) - 1));
    }

    private static Duration clamp(Duration retryAfter) {
        if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }
}
