package dev.hookengine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hookengine.model.IsoInstant;
import dev.hookengine.spi.EventStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A config's deliveries over time ({@link WebhookEngine#getDeliveryStats}; a hookengine extension):
 * its events created in {@code [from, to)} counted by status per interval, and the durations of
 * their attempts. JSON names are snake_case, like the spec's {@code WebhookEvent}.
 *
 * @param configId  the config
 * @param from      the start of the range, inclusive
 * @param to        the end of the range, exclusive
 * @param interval  the length of an interval, ISO 8601 ({@code PT1H}); the last one ends at {@code to}
 * @param total     the whole range
 * @param intervals every interval of the range, by start ascending, those without events included
 */
public record DeliveryStats(
        @JsonProperty("config_id") String configId,
        @IsoInstant Instant from,
        @IsoInstant Instant to,
        Duration interval,
        Counts total,
        List<Counts> intervals) {

    public DeliveryStats {
        Objects.requireNonNull(configId, "configId");
        intervals = List.copyOf(intervals);
    }

    /** The interval as ISO 8601, the way the request names it. */
    @JsonProperty("interval")
    public String intervalText() {
        return interval.toString();
    }

    /**
     * The events created in one interval (or the range), by the status they have now, and the
     * durations of their attempts, whenever those ran. The percentiles are nearest-rank: each is a
     * duration one of the attempts took. Latency fields are left out when there was no attempt.
     *
     * @param start      where the interval starts
     * @param succeeded  events that succeeded
     * @param failed     events that failed
     * @param skipped    events that were skipped
     * @param inProgress events still being delivered (or waiting for a retry)
     * @param attempts   the attempts made for these events
     * @param p50Millis  the median attempt duration, or {@code null} without attempts
     * @param p95Millis  the 95th percentile, or {@code null} without attempts
     * @param maxMillis  the longest attempt, or {@code null} without attempts
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Counts(
            @IsoInstant Instant start,
            long succeeded,
            long failed,
            long skipped,
            @JsonProperty("in_progress") long inProgress,
            long attempts,
            @JsonProperty("p50_ms") Long p50Millis,
            @JsonProperty("p95_ms") Long p95Millis,
            @JsonProperty("max_ms") Long maxMillis) {

        /** What the store counted. */
        public static Counts of(EventStats.Interval interval) {
            EventStats.Latency latency = interval.latency();
            return new Counts(
                    interval.start(),
                    interval.succeeded(),
                    interval.failed(),
                    interval.skipped(),
                    interval.inProgress(),
                    latency == null ? 0 : latency.attempts(),
                    latency == null ? null : latency.p50Millis(),
                    latency == null ? null : latency.p95Millis(),
                    latency == null ? null : latency.maxMillis());
        }
    }
}
