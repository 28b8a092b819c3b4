package dev.hookengine;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every code the engine records in an event's {@code http_response.code}
 * ({@link dev.hookengine.model.EventHttpResponse#code()}), answers in a trigger's {@code code}, or
 * gives a {@link Dispatch.Fail}: what a user sees when a delivery did not simply succeed. The strings
 * ({@link #code()}) are stored and returned by the API, so they never change; the spec's type for the
 * field stays a string, and a code this engine version does not know reads as empty from
 * {@link #of(String)}.
 *
 * <p>Two families. Delivery codes come from an attempt: the event's status is {@code failed} unless
 * the code is retried and retries are left (then it stays {@code in_progress}, the code on record
 * until the next attempt), per the config's {@code retryPolicy}. Dispatch codes come from publishing,
 * triggering or replaying, before anything is queued: nothing is sent and nothing is retried.
 */
public enum OutcomeCode {

    // --- delivery: an attempt was made, or could not be made

    /** The exchange did not end within the attempt deadline. Retried. */
    TIMEOUT("TIMEOUT"),
    /** Connecting to the receiver failed (refused, reset, TLS handshake), or its host does not resolve. Retried. */
    CONNECTION_ERROR("CONNECTION_ERROR"),
    /**
     * The destination resolves to an address the transport's SSRF guard refuses (loopback, private,
     * link-local...); nothing was sent. Not retried.
     */
    DESTINATION_BLOCKED("DESTINATION_BLOCKED"),
    /**
     * The receiver answered with a body larger than the transport reads; the status is recorded, the
     * body is not. The status decides the rest: 2xx succeeds, 408, 429 and 5xx are retried, any other
     * fails.
     */
    INTERNAL_RESPONSE_TOO_LARGE("INTERNAL_RESPONSE_TOO_LARGE"),
    /**
     * Something on the engine's side: the URL is not valid after its variables are resolved, or the
     * transport refused it (not retried), or the transport failed locally, for instance while closing
     * (retried).
     */
    INTERNAL_ERROR("INTERNAL_ERROR"),
    /** The event's config was deleted before its attempt. Not retried. */
    CONFIG_NOT_FOUND("CONFIG_NOT_FOUND"),
    /**
     * The config is incomplete (no URL, or auth without a required field) and cannot deliver. Not
     * retried.
     */
    CONFIG_INCOMPLETE("CONFIG_INCOMPLETE"),
    /**
     * The config was disabled ({@code enabled: false}, by a caller or by a 410 Gone) before this
     * attempt: nothing was sent. Not retried; replay the event once the config is enabled again.
     */
    CONFIG_DISABLED("CONFIG_DISABLED"),
    /** A header value holds control characters once its variables are resolved; nothing was sent. Not retried. */
    INVALID_HEADER("INVALID_HEADER"),
    /** The config asks for a {@code secureProxy} the engine's router has no route for. Not retried. */
    SECURE_PROXY_UNAVAILABLE("SECURE_PROXY_UNAVAILABLE"),
    /** The config sets {@code enableStaticIP} and the engine has no static egress proxy. Not retried. */
    STATIC_IP_UNAVAILABLE("STATIC_IP_UNAVAILABLE"),
    /**
     * The OAuth client-credentials token request failed (the endpoint refused, answered no
     * {@code access_token}, or could not be reached), before the delivery or for its resend after a
     * 401. Not retried.
     */
    OAUTH_TOKEN_EXCHANGE_ERROR("OAuthTokenExchangeError"),
    /** A {@code {{ env.NAME }}} reference names a variable the organization does not have. Not retried. */
    MISSING_VARIABLE("MISSING_VARIABLE"),

    // --- dispatch: decided when the event was recorded; nothing is sent

    /**
     * The config's filters did not let the event through, or its transform produced nothing; the
     * event is recorded as {@code skipped} with the reason as its message. Not a failure; not retried.
     */
    SKIPPED("SKIPPED"),
    /** The stored config no longer compiles (written by an older version, or by hand). Not retried. */
    INVALID_CONFIG("INVALID_CONFIG"),
    /**
     * The {@link dev.hookengine.spi.EntityHydrator} failed for good (the entity service answered 404,
     * or an answer that is not an entity) or returned nothing. Not retried; compare
     * {@link #HYDRATION_UNAVAILABLE}.
     */
    HYDRATION_ERROR("HYDRATION_ERROR"),
    /**
     * A JSONata condition or transform raised an error (a type error, an undefined function...), or a
     * transform yielded something other than a JSON object. Not retried.
     */
    JSONATA_EVALUATION_ERROR("JSONATA_EVALUATION_ERROR"),
    /** A JSONata condition or transform ran longer than its {@code ExpressionLimits} timeout. Not retried. */
    JSONATA_TIMEOUT("JSONATA_TIMEOUT"),
    /**
     * A JSONata condition or transform nested too deeply, built too long a string, too long a sequence
     * or too large a result for its {@code ExpressionLimits}. Not retried.
     */
    JSONATA_LIMIT_EXCEEDED("JSONATA_LIMIT_EXCEEDED"),

    // --- files (deliveryMode binary_multipart or json_base64); added after the codes above, whose
    // order is kept

    /**
     * Delivery: an attachment could not be fetched (its file server failed, timed out or answered an
     * error status; the read broke off), or it names no URL to fetch it from. Nothing was sent, or the
     * receiver got a request cut short. Retried per the config's {@code retryPolicy}, like a receiver
     * that cannot be reached, unless the attachment has no usable URL or its URL is refused by the
     * SSRF guard.
     */
    ATTACHMENT_UNAVAILABLE("ATTACHMENT_UNAVAILABLE"),
    /**
     * Delivery: an attachment is larger than {@link EngineConfig#maxAttachmentBytes()}. Not retried:
     * the file will not shrink.
     */
    ATTACHMENT_TOO_LARGE("ATTACHMENT_TOO_LARGE"),
    /**
     * Dispatch (or delivery, when the config changed in between): {@code multipartConfig.fileSource}
     * picked more than one attachment and {@code fileFieldStrategy} is {@code single}. Not retried.
     */
    TOO_MANY_ATTACHMENTS("TOO_MANY_ATTACHMENTS"),

    // --- added with event versions and hydration (issue 15)

    /**
     * The event is of another version than the config's pinned {@code eventVersion} and carries no
     * {@code _downgrades} entry for it (or is older than the pin, or its {@code _event_version} is not
     * MAJOR.MINOR); the message names both versions. A dispatch code: nothing is sent, not retried.
     */
    EVENT_VERSION_UNAVAILABLE("EVENT_VERSION_UNAVAILABLE"),
    /**
     * The {@link dev.hookengine.spi.EntityHydrator} could not answer for now
     * ({@link dev.hookengine.spi.EntityUnavailableException}: a timeout, a 5xx, a connection error).
     * The event stays {@code in_progress} and its dispatch is made again per the config's
     * {@code retryPolicy}; it fails with this code once no retry is left. Nothing was sent.
     */
    HYDRATION_UNAVAILABLE("HYDRATION_UNAVAILABLE"),
    /**
     * An event whose hydration was unavailable at first was hydrated on a retry: it ends
     * {@code skipped} with this code, and its delivery goes on as the new event its message names
     * (the payload of an event is written once, when it is recorded). Nothing was sent for it.
     */
    REDISPATCHED("REDISPATCHED"),

    // --- delivery, added later (kept at the end: the order of the constants is not their meaning)

    /**
     * The receiver's TLS certificate was refused: not trusted, expired, or issued for another host
     * name (hostname verification is always on). Nothing was sent. Retried, as a connection error is:
     * a receiver whose certificate lapsed often renews it within the retry schedule. Told apart from
     * {@link #CONNECTION_ERROR} because the fix is the receiver's certificate, not the network.
     */
    TLS_ERROR("TLS_ERROR");

    private static final Map<String, OutcomeCode> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(OutcomeCode::code, Function.identity()));

    private final String code;

    OutcomeCode(String code) {
        this.code = code;
    }

    /** The string as recorded in {@code http_response.code}, exactly. */
    public String code() {
        return code;
    }

    /** The constant recorded as {@code code}; empty for {@code null} or a code this version does not know. */
    public static Optional<OutcomeCode> of(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(BY_CODE.get(code));
    }
}
