package dev.hookengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer of {@link DeliveryQueue#takePermit}: a permit to make one delivery attempt now, or a
 * refusal with the instant a permit frees.
 *
 * @param granted {@code true} when the caller may make one attempt now
 * @param retryAt {@code null} when granted; when refused, the earliest instant at which a permit
 *                could be granted if nobody else takes one (always after the refused call's {@code now})
 */
public record RatePermit(boolean granted, Instant retryAt) {

    /**
     * The largest {@code perSecond} a store accepts. A store keeps one record per permit of a
     * second (see {@link DeliveryQueue#takePermit}), so the bound keeps that state small; it is
     * above what one engine delivers in a second.
     */
    public static final int MAX_PER_SECOND = 10_000;

    private static final RatePermit GRANTED = new RatePermit(true, null);

    /**
     * @throws IllegalArgumentException when a granted permit has a {@code retryAt}, or a refusal has none
     */
    public RatePermit {
        if (granted && retryAt != null) {
            throw new IllegalArgumentException("a granted permit has no retryAt: " + retryAt);
        }
        if (!granted && retryAt == null) {
            throw new IllegalArgumentException("a refused permit needs a retryAt");
        }
    }

    /** A granted permit. */
    public static RatePermit grant() {
        return GRANTED;
    }

    /** A refusal; a permit frees at {@code retryAt}. */
    public static RatePermit refuseUntil(Instant retryAt) {
        return new RatePermit(false, Objects.requireNonNull(retryAt, "retryAt"));
    }
}
