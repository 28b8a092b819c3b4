package dev.hookengine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatsQueryTest {

    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void anEventFallsInTheIntervalItsCreationIsInAndTheLastIntervalEndsAtTo() {
        StatsQuery query = new StatsQuery("cfg", FROM, FROM.plus(Duration.ofMinutes(150)), HOUR);

        assertThat(query.intervalCount()).isEqualTo(3);
        assertThat(query.intervalOf(FROM)).isZero();
        assertThat(query.intervalOf(FROM.plus(HOUR).minusMillis(1))).isZero();
        assertThat(query.intervalOf(FROM.plus(HOUR))).isEqualTo(1);
        assertThat(query.intervalOf(FROM.plus(Duration.ofMinutes(150)).minusMillis(1)))
                .isEqualTo(2);
        assertThat(query.intervalOf(FROM.plus(Duration.ofMinutes(150)))).isEqualTo(-1);
        assertThat(query.intervalOf(FROM.minusMillis(1))).isEqualTo(-1);
        assertThat(query.intervalStart(2)).isEqualTo(FROM.plus(Duration.ofHours(2)));
    }

    @Test
    void refusesAnEmptyRangeSubMillisecondValuesAndTooManyIntervals() {
        assertThatThrownBy(() -> new StatsQuery("cfg", FROM, FROM, HOUR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before");
        assertThatThrownBy(() -> new StatsQuery("cfg", FROM.plusNanos(1), FROM.plus(HOUR), HOUR))
                .hasMessageContaining("whole milliseconds");
        assertThatThrownBy(() -> new StatsQuery("cfg", FROM, FROM.plus(HOUR), Duration.ZERO))
                .hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> new StatsQuery(
                        "cfg", FROM, FROM.plus(Duration.ofDays(1)).plusMillis(1), Duration.ofMinutes(1)))
                .hasMessageContaining("1440 intervals");
        assertThat(new StatsQuery("cfg", FROM, FROM.plus(Duration.ofDays(1)), Duration.ofMinutes(1)).intervalCount())
                .isEqualTo(StatsQuery.MAX_INTERVALS);
    }

    @Test
    void percentilesAreNearestRankInWholeNumbers() {
        assertThat(EventStats.Latency.rank(50, 1)).isEqualTo(1);
        assertThat(EventStats.Latency.rank(50, 4)).isEqualTo(2);
        assertThat(EventStats.Latency.rank(95, 12)).isEqualTo(12); // ceil(11.4)
        assertThat(EventStats.Latency.rank(95, 20)).isEqualTo(19); // exactly 19, no floating point rounding up
        assertThat(EventStats.Latency.rank(100, 7)).isEqualTo(7);
        assertThat(EventStats.Latency.ofSorted(new long[] {3, 5, 8, 13}))
                .isEqualTo(new EventStats.Latency(4, 5, 13, 13));
        assertThat(EventStats.Latency.ofSorted(new long[0])).isNull();
    }
}
