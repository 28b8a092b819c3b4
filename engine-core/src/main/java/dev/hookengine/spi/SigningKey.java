package dev.hookengine.spi;

import dev.hookengine.model.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * An organization's Ed25519 key pair for {@code v1a} signatures.
 *
 * @param orgId      the owning organization
 * @param keyId      unique id of the key
 * @param publicKey  the raw 32-byte public key, base64
 * @param privateKey the raw 32-byte private key, base64; a store encrypts it at rest where it can
 * @param createdAt  when the key was made
 * @param expiresAt  {@code null} for the current key; for a rotated-out key, when it stops signing
 */
public record SigningKey(
        String orgId, String keyId, String publicKey, Secret privateKey, Instant createdAt, Instant expiresAt) {

    public SigningKey {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether this key still signs at {@code now}. */
    public boolean isActiveAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }
}
