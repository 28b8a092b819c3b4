package dev.hookengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One HTTP attempt at delivering an event, kept for the event's history.
 *
 * @param orgId      the organization of the event
 * @param eventId    the event
 * @param attempt    1 for the first attempt, 2 for the first retry, ...
 * @param startedAt  when the request started
 * @param endedAt    when the attempt ended (response read, error or deadline)
 * @param statusCode the receiver's HTTP status, or {@code null} when none was received
 * @param code       outcome classification for failures without a useful status
 *                   ({@code OAuthTokenExchangeError}, {@code INTERNAL_RESPONSE_TOO_LARGE}, ...), or {@code null}
 * @param error      a short description of a failure, never containing secrets, or {@code null}
 */
public record DeliveryAttempt(
        String orgId,
        String eventId,
        int attempt,
        Instant startedAt,
        Instant endedAt,
        Integer statusCode,
        String code,
        String error) {

    public DeliveryAttempt {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1: " + attempt);
        }
    }
}
