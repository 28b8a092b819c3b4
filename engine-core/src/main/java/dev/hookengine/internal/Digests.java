package dev.hookengine.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests the engine keeps instead of the content: fingerprints of events, long ordering keys. */
public final class Digests {

    private Digests() {}

    /** The SHA-256 of {@code text}'s UTF-8 bytes, in lower-case hex (64 characters). */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
