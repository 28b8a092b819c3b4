package dev.hookengine.internal.delivery;

import dev.failsafe.CircuitBreaker;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Failsafe circuit breaker per organization and destination ({@code scheme://host:port}): per
 * organization, so that one tenant's failing deliveries never hold back another tenant's deliveries
 * to the same host. After
 * {@code failureThreshold} consecutive retryable failures (5xx, 408, 429, connection errors,
 * timeouts) a destination's breaker opens for {@code delay}; while it is open its jobs wait without
 * spending attempts, so one receiver's outage neither burns its retries nor ties up workers. Then
 * one trial attempt decides whether it closes again.
 */
public final class DestinationBreakers {

    private final int failureThreshold;
    private final Duration delay;
    private final Map<String, CircuitBreaker<Object>> breakers = new ConcurrentHashMap<>();

    public DestinationBreakers(int failureThreshold, Duration delay) {
        this.failureThreshold = failureThreshold;
        this.delay = delay;
    }

    CircuitBreaker<Object> of(String orgId, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = url.getHost() == null
                ? String.valueOf(url.getRawAuthority())
                : url.getHost().toLowerCase(Locale.ROOT);
        return breakers.computeIfAbsent(
                orgId + " " + scheme + "://" + host + ":" + port,
                key -> CircuitBreaker.builder()
                        .withFailureThreshold(failureThreshold)
                        .withDelay(delay)
                        .withSuccessThreshold(1)
                        .build());
    }

    /** Destinations whose breaker is open now, for the {@code hookengine.breakers.open} gauge. */
    public int openCount() {
        int open = 0;
        for (CircuitBreaker<Object> breaker : breakers.values()) {
            if (breaker.isOpen()) {
                open++;
            }
        }
        return open;
    }
}
