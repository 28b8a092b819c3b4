package dev.hookengine.signing;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies webhook messages on the receiving side, so that a Java receiver needs nothing else:
 * {@code v1} (HMAC-SHA256 with the config's {@code whsec_} secret) and {@code v1a} (Ed25519 with the
 * organization's public key, from {@code getPublicKey}).
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secret("whsec_...").build();
 * verifier.verify(bodyBytes, requestHeaders);   // throws WebhookVerificationException
 * }</pre>
 *
 * <p>A message is valid when its timestamp is within the tolerance (default 5 minutes) of the clock,
 * in either direction, and at least one of the signatures in its {@code webhook-signature} header
 * matches one of the configured keys. Signatures of unknown versions are ignored, so a receiver
 * keeps working when a sender adds a scheme; several keys may be configured to ride out a rotation.
 * HMACs are compared in constant time. Thread-safe and immutable.
 */
public final class WebhookVerifier {

    /**
     * The form field of a {@code binary_multipart} delivery that carries the webhook's JSON payload:
     * the one part the signature covers.
     */
    public static final String MULTIPART_PAYLOAD_FIELD = "payload";

    /** Standard Webhooks' tolerance against replays. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<HmacKey> secrets;
    private final List<byte[]> publicKeys;
    private final Duration tolerance;
    private final Clock clock;
    private final WebhookSigner signer = new WebhookSigner();

    private WebhookVerifier(Builder builder) {
        this.secrets = List.copyOf(builder.secrets);
        this.publicKeys = List.copyOf(builder.publicKeys);
        this.tolerance = builder.tolerance;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a message from its body and headers; header names are matched case-insensitively.
     *
     * @throws WebhookVerificationException when a header is missing or malformed, the timestamp is
     *                                      outside the tolerance, or no signature matches
     */
    public void verify(byte[] body, Map<String, String> headers) {
        verify(
                body,
                header(headers, WebhookHeaders.ID),
                header(headers, WebhookHeaders.TIMESTAMP),
                header(headers, WebhookHeaders.SIGNATURE));
    }

    /**
     * Verifies a message from its body and the three header values.
     *
     * @throws WebhookVerificationException as {@link #verify(byte[], Map)}
     */
    public void verify(byte[] body, String messageId, String timestamp, String signatures) {
        Objects.requireNonNull(body, "body");
        require(messageId, WebhookHeaders.ID);
        require(timestamp, WebhookHeaders.TIMESTAMP);
        require(signatures, WebhookHeaders.SIGNATURE);
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException(WebhookHeaders.TIMESTAMP + " is not unix seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > tolerance.toSeconds()) {
            throw new WebhookVerificationException(
                    WebhookHeaders.TIMESTAMP + " is more than " + tolerance.toSeconds() + " s away from now");
        }
        byte[] content = WebhookSigner.content(messageId, seconds, body);
        for (String signature : signatures.strip().split(" +")) {
            int comma = signature.indexOf(',');
            if (comma > 0 && matches(signature.substring(0, comma), signature.substring(comma + 1), content)) {
                return;
            }
        }
        throw new WebhookVerificationException("no signature in " + WebhookHeaders.SIGNATURE + " matches a known key");
    }

    /**
     * Verifies a {@code binary_multipart} delivery ({@code multipart/form-data}): its
     * {@code webhook-*} headers sign the {@value #MULTIPART_PAYLOAD_FIELD} form field's value, the
     * webhook's JSON payload, exactly as they sign a plain delivery's body. The other parts (the
     * extra fields and the files) are not signed, as the spec says of the extra fields; a receiver that
     * must trust a file checks it against what the signed payload says of it. Parse the form with
     * any multipart parser and pass the payload field's bytes as they came.
     *
     * @param payloadField the bytes of the {@value #MULTIPART_PAYLOAD_FIELD} part
     * @throws WebhookVerificationException as {@link #verify(byte[], Map)}
     */
    public void verifyMultipart(byte[] payloadField, Map<String, String> headers) {
        verify(payloadField, headers);
    }

    /** Whether the message is valid; {@link #verify(byte[], Map)} says why not. */
    public boolean isValid(byte[] body, Map<String, String> headers) {
        try {
            verify(body, headers);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    private boolean matches(String version, String encoded, byte[] content) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (WebhookHeaders.V1.equals(version)) {
            for (HmacKey secret : secrets) {
                if (MessageDigest.isEqual(signer.hmac(secret, content), signature)) {
                    return true;
                }
            }
        } else if (WebhookHeaders.V1A.equals(version) && signature.length == Ed25519.SIGNATURE_SIZE) {
            for (byte[] publicKey : publicKeys) {
                if (Ed25519.verify(signature, 0, publicKey, 0, content, 0, content.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }

    private static void require(String value, String header) {
        if (value == null || value.isBlank()) {
            throw new WebhookVerificationException(header + " header is missing");
        }
    }

    /** Builds a {@link WebhookVerifier}; at least one secret or public key is required. */
    public static final class Builder {
        private final List<HmacKey> secrets = new ArrayList<>();
        private final List<byte[]> publicKeys = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** A {@code whsec_} secret that {@code v1} signatures may match; call again for more. */
        public Builder secret(String secret) {
            secrets.add(HmacKey.fromSecret(secret));
            return this;
        }

        /** An Ed25519 public key (PEM, {@code whpk_} or raw base64) that {@code v1a} signatures may match. */
        public Builder publicKey(String publicKey) {
            publicKeys.add(Ed25519PublicKeys.parse(publicKey));
            return this;
        }

        /** How far the timestamp may be from the clock, either way; default 5 minutes. */
        public Builder tolerance(Duration tolerance) {
            if (tolerance.isNegative()) {
                throw new IllegalArgumentException("tolerance must not be negative");
            }
            this.tolerance = tolerance;
            return this;
        }

        /** The clock the timestamp is checked against; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public WebhookVerifier build() {
            if (secrets.isEmpty() && publicKeys.isEmpty()) {
                throw new IllegalStateException("a verifier needs at least one secret or public key");
            }
            return new WebhookVerifier(this);
        }
    }
}
