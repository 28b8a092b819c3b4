package dev.hookengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store keeps of a publish made with an idempotency key, from the moment its events are
 * written until {@code expiresAt}: {@link EventStore#appendEventsOnce} writes it together with the
 * publish's events, and hands it back to every later publish with the same key in the same
 * organization.
 *
 * <p>{@code fingerprint} and {@code result} are the engine's, opaque to the store: it keeps them as
 * given and returns them exactly, character for character.
 *
 * @param orgId       the organization the key belongs to; keys are per organization
 * @param key         the caller's idempotency key: at most {@value #MAX_KEY_LENGTH} characters, which a
 *                    store must be able to keep
 * @param fingerprint a digest of the event the key was first used for (hex, a few dozen characters),
 *                    by which the engine tells a retry of that event from another event under the same key
 * @param result      the first publish's result as the engine writes it (JSON text, as large as the
 *                    events' payloads together)
 * @param createdAt   when the key was first used, at millisecond precision
 * @param expiresAt   from when the key is free again, after {@code createdAt}, at millisecond precision
 */
public record IdempotencyRecord(
        String orgId, String key, String fingerprint, String result, Instant createdAt, Instant expiresAt) {

    /** The longest key a store must keep, in UTF-16 code units ({@link String#length()}). */
    public static final int MAX_KEY_LENGTH = 255;

    public IdempotencyRecord {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException(
                    "an idempotency key must expire after it was created: " + createdAt + " / " + expiresAt);
        }
    }

    /** Whether the key is still taken at {@code now}: it is before {@code expiresAt}. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
