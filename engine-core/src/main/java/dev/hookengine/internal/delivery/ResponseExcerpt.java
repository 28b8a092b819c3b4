package dev.hookengine.internal.delivery;

import dev.hookengine.spi.DeliveryAttempt;
import java.nio.charset.StandardCharsets;

/**
 * The one place a receiver's response body becomes an attempt's
 * {@link DeliveryAttempt#responseExcerpt() excerpt}: the body as the transport read it, decoded as
 * UTF-8 (a malformed sequence becomes U+FFFD, as {@link String#String(byte[], java.nio.charset.Charset)}
 * does), cut after {@link DeliveryAttempt#RESPONSE_EXCERPT_MAX_CHARS} characters, one fewer when the
 * cut would split a surrogate pair, and with every U+0000 replaced by U+FFFD (PostgreSQL cannot keep
 * a NUL in text; the excerpt is for a person to read, not a faithful copy).
 */
final class ResponseExcerpt {

    /**
     * Bytes decoded at most: a UTF-8 sequence of up to 4 bytes gives at least one character, so this
     * many bytes always give more characters than the excerpt keeps, whatever they are, and a body of
     * 64 KiB is not decoded whole to keep its first kilobyte.
     */
    private static final int MAX_BYTES_DECODED = 4 * DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS;

    private ResponseExcerpt() {}

    /** The excerpt of {@code body}, a response's body as read (possibly cut by the transport's limit). */
    static String of(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, MAX_BYTES_DECODED), StandardCharsets.UTF_8);
        int end = Math.min(text.length(), DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).replace('\u0000', '\uFFFD');
    }
}
