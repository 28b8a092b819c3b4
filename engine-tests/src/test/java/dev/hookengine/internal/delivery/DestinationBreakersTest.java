package dev.hookengine.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.CircuitBreaker;
import dev.hookengine.store.tck.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The breaker map stays as large as the set of destinations in use: idle breakers are dropped on the
 * engine's clock, while one that still holds its destination back, or that was used lately, keeps
 * its state.
 */
class DestinationBreakersTest {

    private static final String ORG = "org-a";
    private static final int DESTINATIONS = 2_000;
    private static final Duration IDLE = DestinationBreakers.IDLE_PERIOD;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final DestinationBreakers breakers = new DestinationBreakers(5, Duration.ofSeconds(30), IDLE, clock);

    private static URI destination(int i) {
        return URI.create("https://receiver-" + i + ".example.com/hooks");
    }

    /** Each of {@link #DESTINATIONS} destinations used once, successfully. */
    private void useManyDestinationsOnce() {
        for (int i = 0; i < DESTINATIONS; i++) {
            CircuitBreaker<Object> breaker = breakers.of(ORG, destination(i));
            assertThat(breaker.tryAcquirePermit()).isTrue();
            breaker.recordSuccess();
        }
    }

    @Test
    void breakersUnusedForTheIdlePeriodAreDropped() {
        useManyDestinationsOnce();
        assertThat(breakers.size()).isEqualTo(DESTINATIONS);

        clock.advance(IDLE.minusMillis(1));
        breakers.of(ORG, URI.create("https://other.example.com/"));
        assertThat(breakers.size()).as("not idle long enough yet").isEqualTo(DESTINATIONS + 1);

        clock.advance(DestinationBreakers.SWEEP_INTERVAL);
        breakers.of(ORG, URI.create("https://other.example.com/"));
        assertThat(breakers.size())
                .as("only the destination used just now is left")
                .isEqualTo(1);
    }

    @Test
    void anOpenBreakerSurvivesTheSweepWithItsState() {
        useManyDestinationsOnce();
        CircuitBreaker<Object> failing = breakers.of(ORG, destination(7));
        for (int i = 0; i < 5; i++) {
            assertThat(failing.tryAcquirePermit()).isTrue();
            failing.recordFailure();
        }
        assertThat(failing.isOpen()).isTrue();

        clock.advance(IDLE.plus(DestinationBreakers.SWEEP_INTERVAL));
        breakers.of(ORG, URI.create("https://other.example.com/"));

        assertThat(breakers.size()).as("the open breaker and the one just used").isEqualTo(2);
        assertThat(breakers.openCount()).isEqualTo(1);
        CircuitBreaker<Object> again = breakers.of(ORG, destination(7));
        assertThat(again).isSameAs(failing);
        assertThat(again.tryAcquirePermit())
                .as("still holding its destination back")
                .isFalse();
    }

    @Test
    void aBreakerUsedWithinTheIdlePeriodKeepsItsFailures() {
        CircuitBreaker<Object> flaky = breakers.of(ORG, destination(1));
        for (int i = 0; i < 4; i++) {
            flaky.tryAcquirePermit();
            flaky.recordFailure();
        }
        clock.advance(IDLE.minusMinutes(1));
        assertThat(breakers.of(ORG, destination(1))).isSameAs(flaky);

        clock.advance(IDLE.minusMinutes(1));
        breakers.of(ORG, URI.create("https://other.example.com/"));

        assertThat(breakers.of(ORG, destination(1))).isSameAs(flaky);
        assertThat(flaky.getFailureCount()).isEqualTo(4);
        assertThat(flaky.isClosed()).isTrue();
    }

    @Test
    void anOpenBreakerIsDroppedOnceItsDelayIsOverAndItStaysIdle() {
        DestinationBreakers quick = new DestinationBreakers(1, Duration.ofMillis(1), IDLE, clock);
        CircuitBreaker<Object> failing = quick.of(ORG, destination(1));
        failing.tryAcquirePermit();
        failing.recordFailure();
        assertThat(failing.isOpen()).isTrue();
        // Failsafe's delay runs on its own monotonic clock: wait for one millisecond of it to pass.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!failing.getRemainingDelay().isZero() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(failing.getRemainingDelay()).isZero();

        clock.advance(IDLE.plus(DestinationBreakers.SWEEP_INTERVAL));
        quick.of(ORG, URI.create("https://other.example.com/"));

        assertThat(quick.size()).isEqualTo(1);
        assertThat(quick.of(ORG, destination(1))).isNotSameAs(failing);
    }
}
