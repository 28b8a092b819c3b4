package dev.hookengine.spi;

import java.time.Instant;
import java.util.List;

/**
 * Keeps each organization's Ed25519 signing keys: one current key, and during a rotation's grace
 * period the previous ones, which keep signing until they expire.
 *
 * <p>Every method but {@link #purgeExpiredKeys} is scoped by organization. Implementations are
 * thread-safe and safe across processes that share the store.
 */
public interface SigningKeyStore {

    /**
     * Makes {@code candidate} the organization's current key unless it already has one; atomic, so
     * that nodes generating a first key at the same moment end up with the same one.
     *
     * @param candidate a key with {@code expiresAt == null}
     * @return the current key: the one that existed, or {@code candidate}
     * @throws IllegalArgumentException when {@code candidate.expiresAt()} is set
     */
    SigningKey insertKeyIfNoneCurrent(SigningKey candidate);

    /**
     * Keys of the organization that sign at {@code now} (current, or expiring after {@code now}),
     * newest ({@code createdAt} descending) first; empty when the organization has none.
     */
    List<SigningKey> activeKeys(String orgId, Instant now);

    /**
     * Rotates atomically: the current key gets {@code expiresAt = previousExpiresAt} and
     * {@code newKey} becomes current. Works also when the organization has no current key.
     *
     * @param newKey            a key with {@code expiresAt == null}
     * @param previousExpiresAt when the replaced key stops signing
     */
    void rotateKey(SigningKey newKey, Instant previousExpiresAt);

    /**
     * Deletes, across organizations, keys that expired at or before {@code now}.
     *
     * @return how many keys were deleted
     */
    int purgeExpiredKeys(Instant now);
}
