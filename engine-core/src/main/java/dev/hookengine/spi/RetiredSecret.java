package dev.hookengine.spi;

import dev.hookengine.model.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * A config's previous signing secret, which keeps signing beside the current one until it expires,
 * so that receivers can switch secrets without missing a message.
 *
 * @param secret    the {@code whsec_} secret
 * @param expiresAt when it stops signing
 */
public record RetiredSecret(Secret secret, Instant expiresAt) {
    public RetiredSecret {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether it still signs at {@code now}. */
    public boolean isActiveAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
