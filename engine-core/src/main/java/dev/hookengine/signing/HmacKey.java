package dev.hookengine.signing;

import java.util.Base64;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@code v1} signing key: the bytes of a {@code whsec_} secret, decoded once. Its
 * {@code toString} never shows the key.
 */
public final class HmacKey {

    private final SecretKeySpec spec;

    private HmacKey(byte[] key) {
        this.spec = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * Decodes a Standard Webhooks secret: {@code whsec_} (optional) followed by base64.
     *
     * @throws IllegalArgumentException when it is not base64, or decodes to nothing
     */
    public static HmacKey fromSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        String encoded =
                secret.startsWith(SigningSecrets.PREFIX) ? secret.substring(SigningSecrets.PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret is whsec_ followed by base64", e);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("a signing secret must not be empty");
        }
        return new HmacKey(key);
    }

    SecretKeySpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "HmacKey[***]";
    }
}
