package dev.hookengine.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.OutcomeCode;
import dev.hookengine.internal.Json;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.spi.AttachmentException;
import dev.hookengine.spi.TransportResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * What one attempt came to, and the rules that classify it: a receiver's answer or a transport
 * failure becomes the event's status, whether a later attempt may succeed, the receiver's
 * {@code Retry-After}, and the {@code http_response} the event records.
 *
 * <p>2xx succeeds. 410 Gone fails and asks for the config to be disabled. 408, 429, 5xx and the
 * retryable transport failures may succeed later; any other status (redirects included: they are
 * not followed) fails. A response body that is a JSON object is recorded as {@code body}, any other
 * as {@code message}; one over the transport's limit is not recorded
 * ({@link OutcomeCode#INTERNAL_RESPONSE_TOO_LARGE}).
 *
 * @param status        the event's status if this is the last attempt
 * @param retryable     whether a later attempt may succeed
 * @param disableConfig whether the receiver asked to stop (410 Gone)
 * @param response      what the event records
 * @param retryAfter    the receiver's {@code Retry-After}, when it sent one
 * @param deferredFor   nothing was sent: the destination's circuit breaker is open for this long
 * @param responseExcerpt the start of the receiver's response body for the attempt's history
 *                        ({@link ResponseExcerpt}), or {@code null} when no response was received
 */
record Outcome(
        EventStatus status,
        boolean retryable,
        boolean disableConfig,
        EventHttpResponse response,
        Optional<Duration> retryAfter,
        Optional<Duration> deferredFor,
        String responseExcerpt) {

    /** An outcome without a receiver's response. */
    Outcome(EventStatus status, boolean retryable, boolean disableConfig, EventHttpResponse response) {
        this(status, retryable, disableConfig, response, Optional.empty(), Optional.empty(), null);
    }

    /** Nothing was sent: the destination's circuit breaker is open for {@code wait} more. */
    static Outcome deferred(Duration wait) {
        return new Outcome(EventStatus.IN_PROGRESS, false, false, null, Optional.empty(), Optional.of(wait), null);
    }

    /** A failure that no later attempt would mend. */
    static Outcome failed(Integer status, String message, OutcomeCode code) {
        return new Outcome(EventStatus.FAILED, false, false, new EventHttpResponse(status, message, null, code.code()));
    }

    /**
     * A failure before anything reached the receiver that a later attempt may mend (a token endpoint
     * that timed out or answered 5xx, say), retried per the config's policy like a receiver's.
     */
    static Outcome retryableFailure(String message, OutcomeCode code, Optional<Duration> retryAfter) {
        return new Outcome(
                EventStatus.FAILED,
                true,
                false,
                new EventHttpResponse(null, message, null, code.code()),
                retryAfter,
                Optional.empty(),
                null);
    }

    /** Nothing was sent and nothing will be: the event ends skipped, with {@code reason}. */
    static Outcome skipped(String reason) {
        return new Outcome(
                EventStatus.SKIPPED,
                false,
                false,
                new EventHttpResponse(null, reason, null, OutcomeCode.SKIPPED.code()));
    }

    /**
     * An attachment could not be sent: {@code ATTACHMENT_TOO_LARGE}, never retried, or
     * {@code ATTACHMENT_UNAVAILABLE}, retried when the source says a later attempt may succeed.
     */
    static Outcome of(AttachmentException problem) {
        if (problem.problem() == AttachmentException.Problem.TOO_LARGE) {
            return failed(null, problem.getMessage(), OutcomeCode.ATTACHMENT_TOO_LARGE);
        }
        return problem.retryable()
                ? retryableFailure(problem.getMessage(), OutcomeCode.ATTACHMENT_UNAVAILABLE, Optional.empty())
                : failed(null, problem.getMessage(), OutcomeCode.ATTACHMENT_UNAVAILABLE);
    }

    /** Whether an HTTP status may mean something else later: 408, 429 and 5xx. The one rule, for receivers and token endpoints. */
    static boolean isRetryableStatus(int status) {
        return status == 408 || status == 429 || status / 100 == 5;
    }

    /** This outcome as the last attempt's: a retryable failure with no retry left fails. */
    Outcome asFailed() {
        return new Outcome(
                EventStatus.FAILED, false, disableConfig, response, retryAfter, Optional.empty(), responseExcerpt);
    }

    /** How an exchange that ended at {@code now} with {@code result} counts. */
    static Outcome of(TransportResult result, Instant now) {
        if (result instanceof TransportResult.Failure failure) {
            OutcomeCode code = switch (failure.kind()) {
                case TIMEOUT -> OutcomeCode.TIMEOUT;
                case BLOCKED_DESTINATION -> OutcomeCode.DESTINATION_BLOCKED;
                case CONNECTION_FAILED, UNKNOWN_HOST -> OutcomeCode.CONNECTION_ERROR;
                case INVALID_URL, LOCAL_ERROR -> OutcomeCode.INTERNAL_ERROR;
                case TLS_FAILED -> OutcomeCode.TLS_ERROR;
            };
            return new Outcome(
                    EventStatus.FAILED,
                    failure.kind().isRetryable(),
                    false,
                    new EventHttpResponse(null, failure.message(), null, code.code()));
        }
        TransportResult.Response response = (TransportResult.Response) result;
        int status = response.status();
        EventHttpResponse recorded = record(response);
        String excerpt = ResponseExcerpt.of(response.body());
        if (status / 100 == 2) {
            return new Outcome(
                    EventStatus.SUCCEEDED, false, false, recorded, Optional.empty(), Optional.empty(), excerpt);
        }
        if (status == 410) {
            return new Outcome(EventStatus.FAILED, false, true, recorded, Optional.empty(), Optional.empty(), excerpt);
        }
        boolean retryable = isRetryableStatus(status);
        return new Outcome(
                EventStatus.FAILED,
                retryable,
                false,
                recorded,
                retryable ? retryAfter(response.header("retry-after"), now) : Optional.empty(),
                Optional.empty(),
                excerpt);
    }

    /** The response as the event keeps it: a JSON object as {@code body}, anything else as {@code message}. */
    private static EventHttpResponse record(TransportResult.Response response) {
        if (response.truncated()) {
            return new EventHttpResponse(
                    response.status(),
                    "the response was larger than " + response.body().length + " bytes and was not recorded",
                    null,
                    OutcomeCode.INTERNAL_RESPONSE_TOO_LARGE.code());
        }
        if (response.body().length == 0) {
            return new EventHttpResponse(response.status(), null, null, null);
        }
        try {
            JsonNode json = Json.MAPPER.readTree(response.body());
            if (json != null && json.isObject()) {
                return new EventHttpResponse(response.status(), null, json, null);
            }
        } catch (Exception notJson) {
            // recorded as text below
        }
        return new EventHttpResponse(
                response.status(), new String(response.body(), StandardCharsets.UTF_8), null, null);
    }

    /** A {@code Retry-After} value (seconds or an HTTP date) as a wait from {@code now}; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(now, at.toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }
}
