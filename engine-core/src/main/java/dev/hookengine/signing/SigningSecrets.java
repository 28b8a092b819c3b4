package dev.hookengine.signing;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Per-config secrets for {@code v1} (HMAC-SHA256) signatures, in the Standard Webhooks form:
 * {@code whsec_} followed by the base64 of {@value #MIN_BYTES} to {@value #MAX_BYTES} random bytes.
 */
public final class SigningSecrets {

    public static final String PREFIX = "whsec_";
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;

    private SigningSecrets() {}

    /**
     * A new secret of {@code bytes} random bytes.
     *
     * @throws IllegalArgumentException when {@code bytes} is outside {@value #MIN_BYTES}..{@value #MAX_BYTES}
     */
    public static String generate(SecureRandom random, int bytes) {
        if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "a signing secret has " + MIN_BYTES + " to " + MAX_BYTES + " random bytes, not " + bytes);
        }
        byte[] key = new byte[bytes];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }
}
