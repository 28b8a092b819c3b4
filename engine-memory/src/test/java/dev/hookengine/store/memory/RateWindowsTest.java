package dev.hookengine.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.store.tck.RateWindows;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The counting that {@code RatePermitContract} judges every store by. It lives here, with the first
 * store that runs that contract, because the contract kit has no tests of its own.
 */
class RateWindowsTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(long millis) {
        return T.plusMillis(millis);
    }

    @Test
    void aWindowIsHalfOpenAndSlides() {
        assertThat(RateWindows.mostInAnySecond(List.of())).isZero();
        assertThat(RateWindows.mostInAnySecond(List.of(at(0), at(1000), at(2000))))
                .as("a second apart: never two in one window")
                .isEqualTo(1);
        assertThat(RateWindows.mostInAnySecond(List.of(at(0), at(999))))
                .as("999 ms apart")
                .isEqualTo(2);
        assertThat(RateWindows.mostInAnySecond(List.of(at(0), at(0).plusNanos(999_999_999))))
                .isEqualTo(2);
        // buckets [0, 1000) and [1000, 2000) each hold 2; the window [600, 1600) holds 4
        assertThat(RateWindows.mostInAnySecond(List.of(at(1400), at(100), at(600), at(1500), at(900), at(2500))))
                .as("in any order, across a whole second's edge")
                .isEqualTo(4);
    }

    @Test
    void theSecondEndingAtNowExcludesItsStartAndIncludesNow() {
        List<Instant> instants = List.of(at(0), at(500), at(1000), at(1001));

        assertThat(RateWindows.inSecondEndingAt(instants, at(1000))).isEqualTo(2);
        assertThat(RateWindows.earliestInSecondEndingAt(instants, at(1000))).isEqualTo(at(500));
        assertThat(RateWindows.inSecondEndingAt(instants, at(999))).isEqualTo(2);
        assertThat(RateWindows.earliestInSecondEndingAt(instants, at(999))).isEqualTo(at(0));
        assertThat(RateWindows.inSecondEndingAt(instants, at(3000))).isZero();
        assertThat(RateWindows.earliestInSecondEndingAt(instants, at(3000))).isNull();
    }
}
