package dev.hookengine.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link OutboundRequest} ended: a {@link Response} from the receiver (any status), or a
 * {@link Failure} before one arrived.
 */
public sealed interface TransportResult permits TransportResult.Response, TransportResult.Failure {

    /** Time from the start of the exchange to its end. */
    Duration elapsed();

    /**
     * The receiver answered.
     *
     * @param status    the HTTP status
     * @param headers   response headers, names lower-cased
     * @param body      the response body, at most the transport's limit
     * @param truncated whether the body was longer than the limit and cut there
     * @param elapsed   time of the whole exchange
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body, boolean truncated, Duration elapsed)
            implements TransportResult {
        public Response {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(elapsed, "elapsed");
        }

        /** The first value of a response header, or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * No response: the request could not be made or did not finish.
     *
     * @param kind    what went wrong
     * @param message a description for the event log, without credentials or body content
     * @param elapsed time until the failure
     */
    record Failure(Kind kind, String message, Duration elapsed) implements TransportResult {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(elapsed, "elapsed");
        }
    }

    /** Why a request produced no response. */
    enum Kind {
        /** The destination resolves to an address the SSRF guard refuses; nothing was sent. Not retried. */
        BLOCKED_DESTINATION,
        /** The URL is not an absolute http(s) URL the transport can send to. Not retried. */
        INVALID_URL,
        /** The host name does not resolve. Retried. */
        UNKNOWN_HOST,
        /** Connecting failed (refused, reset, TLS handshake). Retried. */
        CONNECTION_FAILED,
        /** The deadline passed before the exchange ended. Retried. */
        TIMEOUT,
        /** The transport is closed, or another local failure. Retried. */
        LOCAL_ERROR,
        /**
         * The receiver's TLS certificate was refused (not trusted, expired, or for another host name);
         * nothing was sent. Retried. A handshake that fails for another reason (bytes that are not
         * TLS, a reset) is {@link #CONNECTION_FAILED}.
         */
        TLS_FAILED;

        /** Whether a later attempt may succeed. */
        public boolean isRetryable() {
            return this != BLOCKED_DESTINATION && this != INVALID_URL;
        }
    }
}
