package dev.hookengine.internal.delivery;

import dev.failsafe.CircuitBreaker;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Failsafe circuit breaker per organization and destination ({@code scheme://host:port}): per
 * organization, so that one tenant's failing deliveries never hold back another tenant's deliveries
 * to the same host. After
 * {@code failureThreshold} consecutive retryable failures (5xx, 408, 429, connection errors,
 * timeouts) a destination's breaker opens for {@code delay}; while it is open its jobs wait without
 * spending attempts, so one receiver's outage neither burns its retries nor ties up workers. Then
 * one trial attempt decides whether it closes again.
 *
 * <p><b>Idle breakers are dropped</b>, so that the map stays as large as the set of destinations in
 * use, not of every destination ever seen. A breaker unused for the idle period (at least
 * {@link #IDLE_PERIOD}, 10 minutes; see {@link #idlePeriod}) is dropped when it is closed, or when
 * it is open or half-open and its delay is over: such a breaker no longer holds its destination back
 * (the next attempt goes through as a trial), so all that is lost is that one trial, instead of up to
 * {@code failureThreshold} attempts of a fresh breaker, after a quiet spell of ten minutes or more.
 * An open breaker whose delay still runs is always kept: dropping it would let its destination's
 * jobs through early. Dropping those past their delay too matters, as destinations that died are
 * exactly the ones whose breakers open and are never used again.
 *
 * <p>Idleness is measured on the engine's {@link Clock} (so a test can prove it without sleeping);
 * the breaker's own delay runs on Failsafe's monotonic clock, which cannot be injected. The map is
 * swept at most once every {@link #SWEEP_INTERVAL}, by whichever caller of {@link #of} finds a sweep
 * due; the sweep visits every entry once.
 *
 * <p><b>Why a sweep never drops a breaker in use.</b> {@link #of} marks its entry used inside the
 * map's atomic {@code compute}, and the sweep decides and removes inside the same entry's atomic
 * {@code computeIfPresent}: a sweep either sees the fresh mark and keeps the entry, or removes it
 * before {@code of} runs, which then makes a new one. {@link Exchange} uses a breaker from one
 * {@code of} to its last {@code record*} call within one attempt, and an attempt's exchanges end
 * inside its lease, renewed at most once for the second exchange, so the idle period, at least two
 * leases, is longer than any use. Only a clock jumping forward by more than the idle period during
 * an attempt could drop a closed breaker in use; the attempt's result then lands on the dropped
 * breaker, and the destination's next breaker starts from zero failures, like a destination seen
 * for the first time: no job is lost, sent twice or miscounted.
 */
public final class DestinationBreakers {

    /** The least a breaker must be unused before it may be dropped. */
    public static final Duration IDLE_PERIOD = Duration.ofMinutes(10);

    /** How often, at most, the map is swept for idle breakers. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final int failureThreshold;
    private final Duration delay;
    private final long idleMillis;
    private final Clock clock;
    private final Map<String, Destination> breakers = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepMillis = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param idlePeriod how long a breaker stays unused before it may be dropped: {@link #idlePeriod}
     * @param clock      the engine's clock, which measures idleness
     */
    public DestinationBreakers(int failureThreshold, Duration delay, Duration idlePeriod, Clock clock) {
        this.failureThreshold = failureThreshold;
        this.delay = delay;
        this.idleMillis = idlePeriod.toMillis();
        this.clock = clock;
    }

    /**
     * The idle period of an engine whose claims hold jobs for {@code lease}: {@link #IDLE_PERIOD}, or
     * two leases when that is longer, so that it is longer than any one attempt's use of a breaker.
     */
    public static Duration idlePeriod(Duration lease) {
        Duration twoLeases = lease.multipliedBy(2);
        return twoLeases.compareTo(IDLE_PERIOD) > 0 ? twoLeases : IDLE_PERIOD;
    }

    CircuitBreaker<Object> of(String orgId, URI url) {
        long now = clock.millis();
        sweepIfDue(now);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = url.getHost() == null
                ? String.valueOf(url.getRawAuthority())
                : url.getHost().toLowerCase(Locale.ROOT);
        // compute, not computeIfAbsent: the mark is set under the entry's lock, which the sweep takes too.
        return breakers.compute(orgId + " " + scheme + "://" + host + ":" + port, (key, found) -> {
                    Destination destination = found == null ? new Destination(newBreaker()) : found;
                    destination.lastUsedMillis = now;
                    return destination;
                })
                .breaker();
    }

    private CircuitBreaker<Object> newBreaker() {
        return CircuitBreaker.builder()
                .withFailureThreshold(failureThreshold)
                .withDelay(delay)
                .withSuccessThreshold(1)
                .build();
    }

    private void sweepIfDue(long now) {
        long due = nextSweepMillis.get();
        if (now >= due && nextSweepMillis.compareAndSet(due, now + SWEEP_INTERVAL.toMillis())) {
            for (String key : breakers.keySet()) {
                breakers.computeIfPresent(
                        key, (k, destination) -> destination.droppable(now, idleMillis) ? null : destination);
            }
        }
    }

    /** Destinations whose breaker is open now, for the {@code hookengine.breakers.open} gauge. */
    public int openCount() {
        int open = 0;
        for (Destination destination : breakers.values()) {
            if (destination.breaker().isOpen()) {
                open++;
            }
        }
        return open;
    }

    /** How many destinations have a breaker now; for tests. */
    int size() {
        return breakers.size();
    }

    /** A destination's breaker, and when {@link #of} last handed it out (engine clock, epoch ms). */
    private static final class Destination {
        private final CircuitBreaker<Object> breaker;
        private volatile long lastUsedMillis;

        Destination(CircuitBreaker<Object> breaker) {
            this.breaker = breaker;
        }

        CircuitBreaker<Object> breaker() {
            return breaker;
        }

        /** Unused for the idle period, and holding nothing back: closed, or its delay over. */
        boolean droppable(long now, long idleMillis) {
            if (now - lastUsedMillis < idleMillis) {
                return false;
            }
            return breaker.isClosed() || breaker.getRemainingDelay().isZero();
        }
    }
}
