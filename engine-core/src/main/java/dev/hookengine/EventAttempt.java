package dev.hookengine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hookengine.model.IsoInstant;
import dev.hookengine.spi.DeliveryAttempt;
import java.time.Instant;
import java.util.Objects;

/**
 * One attempt at delivering an event, as {@link WebhookEngine#getEventAttempts} reads it back (a
 * hookengine extension; the spec has no attempt history). JSON names are snake_case, like the spec's
 * {@code WebhookEvent}; absent values are left out.
 *
 * @param attempt         1 for the first attempt, 2 for the first retry, ...
 * @param startedAt       when the request started; millisecond precision
 * @param durationMillis  from the start of the attempt to its end (response read, error or deadline), never negative
 * @param statusCode      the receiver's HTTP status, or {@code null} when no response was received
 * @param code            the {@link OutcomeCode} of an attempt that did not simply get a response
 *                        ({@code TIMEOUT}, {@code CONNECTION_ERROR}, {@code INTERNAL_RESPONSE_TOO_LARGE}, ...),
 *                        or {@code null}
 * @param error           what went wrong when no response was received, or {@code null}
 * @param responseExcerpt the first {@value DeliveryAttempt#RESPONSE_EXCERPT_MAX_CHARS} characters at most
 *                        of the response body the engine read ({@code ""} for an empty one), or
 *                        {@code null} when no response was received
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventAttempt(
        int attempt,
        @JsonProperty("started_at") @IsoInstant Instant startedAt,
        @JsonProperty("duration_ms") long durationMillis,
        @JsonProperty("status_code") Integer statusCode,
        String code,
        String error,
        @JsonProperty("response_excerpt") String responseExcerpt) {

    public EventAttempt {
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * The attempt as the store kept it; its duration is {@link DeliveryAttempt#durationMillis()}, never
     * negative.
     */
    public static EventAttempt of(DeliveryAttempt attempt) {
        return new EventAttempt(
                attempt.attempt(),
                attempt.startedAt(),
                attempt.durationMillis(),
                attempt.statusCode(),
                attempt.code(),
                attempt.error(),
                attempt.responseExcerpt());
    }
}
