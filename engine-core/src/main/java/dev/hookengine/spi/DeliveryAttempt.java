package dev.hookengine.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One HTTP attempt at delivering an event, kept for the event's history.
 *
 * @param orgId           the organization of the event
 * @param eventId         the event
 * @param attempt         1 for the first attempt, 2 for the first retry, ...
 * @param startedAt       when the request started
 * @param endedAt         when the attempt ended (response read, error or deadline)
 * @param statusCode      the receiver's HTTP status, or {@code null} when none was received
 * @param code            outcome classification for failures without a useful status
 *                        ({@code OAuthTokenExchangeError}, {@code INTERNAL_RESPONSE_TOO_LARGE}, ...), or {@code null}
 * @param error           a short description of a failure, never containing secrets, or {@code null}
 * @param responseExcerpt the start of the response body the engine read from the receiver, decoded as
 *                        UTF-8: at most {@value #RESPONSE_EXCERPT_MAX_CHARS} characters, never cut
 *                        inside a surrogate pair, never holding U+0000; {@code ""} for an empty body;
 *                        {@code null} when no response was received (a transport failure, or nothing
 *                        was sent). A store keeps it exactly as given.
 */
public record DeliveryAttempt(
        String orgId,
        String eventId,
        int attempt,
        Instant startedAt,
        Instant endedAt,
        Integer statusCode,
        String code,
        String error,
        String responseExcerpt) {

    /**
     * The most characters (UTF-16 code units, as {@link String#length()} counts them) of a response
     * body an attempt keeps: enough to read a receiver's error message, small enough that an event's
     * whole history (at most six attempts) stays a few KiB in every store.
     */
    public static final int RESPONSE_EXCERPT_MAX_CHARS = 1024;

    public DeliveryAttempt {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1: " + attempt);
        }
        if (responseExcerpt != null) {
            if (responseExcerpt.length() > RESPONSE_EXCERPT_MAX_CHARS) {
                throw new IllegalArgumentException("responseExcerpt: at most " + RESPONSE_EXCERPT_MAX_CHARS
                        + " characters, was " + responseExcerpt.length());
            }
            // PostgreSQL cannot keep a NUL in a text column; every store is held to the same rule.
            if (responseExcerpt.indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("responseExcerpt: must not contain U+0000");
            }
        }
    }

    /**
     * How long the attempt took, in milliseconds: from its start to its end, 0 when the end is before
     * the start (a clock stepped back mid-attempt). What the attempt history shows and delivery stats
     * measure.
     */
    public long durationMillis() {
        return Math.max(0, Duration.between(startedAt, endedAt).toMillis());
    }

    /** An attempt without a response excerpt, as attempts were recorded before excerpts existed. */
    public DeliveryAttempt(
            String orgId,
            String eventId,
            int attempt,
            Instant startedAt,
            Instant endedAt,
            Integer statusCode,
            String code,
            String error) {
        this(orgId, eventId, attempt, startedAt, endedAt, statusCode, code, error, null);
    }
}
