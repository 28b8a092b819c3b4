package dev.hookengine.signing;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Encodings of Ed25519 public keys: PEM (what {@code getPublicKey} serves, and what the JDK's
 * {@code KeyFactory} reads), Standard Webhooks' {@code whpk_} form, and raw base64.
 */
public final class Ed25519PublicKeys {

    /** Standard Webhooks' prefix of an encoded public key. */
    public static final String PUBLIC_KEY_PREFIX = "whpk_";

    /** The DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), followed by the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519PublicKeys() {}

    /** {@code publicKey} (32 raw bytes) as a PEM {@code PUBLIC KEY} block, with a final newline. */
    public static String toPem(byte[] publicKey) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(toDer(publicKey))
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** {@code publicKey} (32 raw bytes) as DER SubjectPublicKeyInfo. */
    public static byte[] toDer(byte[] publicKey) {
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + publicKey.length);
        }
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + publicKey.length);
        System.arraycopy(publicKey, 0, der, SPKI_PREFIX.length, publicKey.length);
        return der;
    }

    /**
     * Reads a public key in any of the forms: PEM, {@code whpk_} + base64, or raw base64 of 32 bytes.
     *
     * @throws IllegalArgumentException when it is none of them
     */
    public static byte[] parse(String encoded) {
        String text = encoded.strip();
        if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
            String body = text.replace("-----BEGIN PUBLIC KEY-----", "")
                    .replace("-----END PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(body);
            if (der.length != SPKI_PREFIX.length + 32
                    || !Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX)) {
                throw new IllegalArgumentException("the PEM block is not an Ed25519 public key");
            }
            return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
        }
        if (text.startsWith(PUBLIC_KEY_PREFIX)) {
            text = text.substring(PUBLIC_KEY_PREFIX.length());
        }
        byte[] raw = Base64.getDecoder().decode(text);
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        return raw;
    }
}
