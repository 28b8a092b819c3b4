package dev.hookengine.spi;

import java.time.Instant;
import java.util.List;

/**
 * Keeps each organization's Ed25519 signing keys: one current key, and during a rotation's grace
 * period the previous ones, which keep signing until they expire.
 *
 * <p>Every method but {@link #purgeExpiredKeys} is scoped by organization. Implementations are
 * thread-safe and safe across processes that share the store: an organization has at most one current
 * key ({@code expiresAt == null}) at any time, whoever writes at once. Every argument is required: a
 * {@code null} one throws {@link NullPointerException}.
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
     * Keys of the organization that sign at {@code now}: the current one, and those expiring after
     * {@code now}.
     *
     * @return newest ({@code createdAt} descending) first; empty when the organization has none
     */
    List<SigningKey> activeKeys(String orgId, Instant now);

    /**
     * Rotates atomically: the current key gets {@code expiresAt = previousExpiresAt} and
     * {@code newKey} becomes current. Works also when the organization has no current key. Concurrent
     * rotations take effect one after the other, each retiring the key current at that moment: none
     * is lost, and one key ends up current.
     *
     * @param newKey            a key with {@code expiresAt == null}
     * @param previousExpiresAt when the replaced key stops signing
     * @throws IllegalArgumentException when {@code newKey.expiresAt()} is set
     */
    void rotateKey(SigningKey newKey, Instant previousExpiresAt);

    /**
     * Deletes, across organizations, keys that expired at or before {@code now}.
     *
     * @return how many keys this call deleted
     */
    int purgeExpiredKeys(Instant now);
}
