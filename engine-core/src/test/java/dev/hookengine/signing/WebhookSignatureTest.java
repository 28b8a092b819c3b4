package dev.hookengine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Standard Webhooks signing and verification, against the published vectors and reference implementations. */
class WebhookSignatureTest {

    // The published Standard Webhooks test vectors (DESIGN.md, "Signing").
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SECRET_KEY =
            "whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==";
    private static final String PUBLIC_KEY = "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String V1 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final String V1A =
            "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==";

    private static final Clock AT_VECTOR = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);

    private final WebhookSigner signer = new WebhookSigner();

    @Test
    void signsThePublishedVectors() {
        Ed25519KeyPair key = Ed25519KeyPair.fromSecretKey(SECRET_KEY);

        assertThat(signer.sign(ID, TIMESTAMP, BODY, List.of(), List.of(HmacKey.fromSecret(SECRET))))
                .isEqualTo(V1);
        assertThat(signer.sign(ID, TIMESTAMP, BODY, List.of(key), List.of())).isEqualTo(V1A);
        assertThat(signer.sign(ID, TIMESTAMP, BODY, List.of(key), List.of(HmacKey.fromSecret(SECRET))))
                .as("v1a first, space-separated")
                .isEqualTo(V1A + " " + V1);
        assertThat(key.publicKeyBase64()).isEqualTo(PUBLIC_KEY.substring("whpk_".length()));
    }

    @Test
    void verifiesThePublishedVectors() {
        WebhookVerifier both = WebhookVerifier.builder()
                .secret(SECRET)
                .publicKey(PUBLIC_KEY)
                .clock(AT_VECTOR)
                .build();
        WebhookVerifier hmacOnly =
                WebhookVerifier.builder().secret(SECRET).clock(AT_VECTOR).build();
        WebhookVerifier ed25519Only =
                WebhookVerifier.builder().publicKey(PUBLIC_KEY).clock(AT_VECTOR).build();

        assertThatCode(() -> hmacOnly.verify(BODY, ID, String.valueOf(TIMESTAMP), V1))
                .doesNotThrowAnyException();
        assertThatCode(() -> ed25519Only.verify(BODY, ID, String.valueOf(TIMESTAMP), V1A))
                .doesNotThrowAnyException();
        assertThatCode(() -> both.verify(
                        BODY,
                        Map.of(
                                "Webhook-Id",
                                ID,
                                "WEBHOOK-TIMESTAMP",
                                String.valueOf(TIMESTAMP),
                                "webhook-signature",
                                V1A + " " + V1)))
                .doesNotThrowAnyException();
        assertThat(ed25519Only.isValid(BODY, headers(ID, TIMESTAMP, V1)))
                .as("v1 alone, no secret configured")
                .isFalse();
        assertThat(hmacOnly.isValid(BODY, headers(ID, TIMESTAMP, "v2,abc " + V1)))
                .as("unknown versions ignored")
                .isTrue();
    }

    @Test
    void hookengineSignaturesVerifyWithTheStandardWebhooksLibrary() throws Exception {
        String secret = SigningSecrets.generate(new SecureRandom(), 32);
        long now = Instant.now().getEpochSecond();
        String body = "{\"event\":\"customer_created\",\"name\":\"Zoë\"}";
        String header = signer.sign(
                "msg_1", now, body.getBytes(StandardCharsets.UTF_8), List.of(), List.of(HmacKey.fromSecret(secret)));

        new Webhook(secret)
                .verify(
                        body,
                        Map.of(
                                "webhook-id", List.of("msg_1"),
                                "webhook-timestamp", List.of(String.valueOf(now)),
                                "webhook-signature", List.of(header)));

        assertThat(new Webhook(secret).sign("msg_1", now, body)).isEqualTo(header);
    }

    @Test
    void hookengineV1aVerifiesWithTheJdkAgainstThePem() throws Exception {
        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
        String pem = Ed25519PublicKeys.toPem(key.publicKey());
        String header = signer.sign("msg_2", 1_700_000_000L, BODY, List.of(key), List.of());

        String der = pem.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        PublicKey publicKey = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(der)));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(publicKey);
        jdk.update(("msg_2.1700000000." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));

        assertThat(header).startsWith("v1a,");
        assertThat(jdk.verify(Base64.getDecoder().decode(header.substring("v1a,".length()))))
                .isTrue();
        assertThat(Ed25519PublicKeys.parse(pem)).isEqualTo(key.publicKey());
    }

    @Test
    void tamperingWithIdTimestampOrBodyFails() {
        WebhookVerifier verifier = WebhookVerifier.builder()
                .secret(SECRET)
                .publicKey(PUBLIC_KEY)
                .clock(AT_VECTOR)
                .build();
        String signatures = V1A + " " + V1;
        byte[] otherBody = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.isValid(BODY, headers(ID, TIMESTAMP, signatures))).isTrue();
        assertThat(verifier.isValid(BODY, headers(ID + "x", TIMESTAMP, signatures)))
                .as("id")
                .isFalse();
        assertThat(verifier.isValid(BODY, headers(ID, TIMESTAMP + 1, signatures)))
                .as("timestamp")
                .isFalse();
        assertThat(verifier.isValid(otherBody, headers(ID, TIMESTAMP, signatures)))
                .as("body")
                .isFalse();
        assertThat(verifier.isValid(BODY, headers(ID, TIMESTAMP, V1.replace("g0h", "g1h"))))
                .as("signature")
                .isFalse();
        assertThatThrownBy(() -> verifier.verify(otherBody, headers(ID, TIMESTAMP, signatures)))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("no signature");
    }

    @ParameterizedTest
    @ValueSource(longs = {-301, 301, -3600, 86_400})
    void timestampsOutsideTheToleranceFail(long offsetSeconds) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + offsetSeconds), ZoneOffset.UTC);
        WebhookVerifier verifier =
                WebhookVerifier.builder().secret(SECRET).clock(clock).build();

        assertThatThrownBy(() -> verifier.verify(BODY, headers(ID, TIMESTAMP, V1)))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("webhook-timestamp");
    }

    @ParameterizedTest
    @ValueSource(longs = {-300, 0, 300})
    void timestampsWithinTheTolerancePass(long offsetSeconds) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + offsetSeconds), ZoneOffset.UTC);
        WebhookVerifier verifier =
                WebhookVerifier.builder().secret(SECRET).clock(clock).build();

        assertThat(verifier.isValid(BODY, headers(ID, TIMESTAMP, V1))).isTrue();
    }

    @Test
    void missingOrMalformedHeadersFailClearly() {
        WebhookVerifier verifier =
                WebhookVerifier.builder().secret(SECRET).clock(AT_VECTOR).build();

        assertThatThrownBy(() -> verifier.verify(BODY, Map.of("webhook-id", ID, "webhook-signature", V1)))
                .hasMessage("webhook-timestamp header is missing");
        assertThatThrownBy(() -> verifier.verify(BODY, headers(ID, TIMESTAMP, "garbage")))
                .hasMessageContaining("no signature");
        assertThatThrownBy(() -> verifier.verify(BODY, ID, "yesterday", V1)).hasMessageContaining("unix seconds");
    }

    @Test
    void keysNeverShowInToString() {
        assertThat(HmacKey.fromSecret(SECRET).toString()).doesNotContain("MfKQ9r8");
        assertThat(Ed25519KeyPair.fromSecretKey(SECRET_KEY).toString())
                .doesNotContain("6Xb/dCcH")
                .contains(PUBLIC_KEY.substring("whpk_".length()));
    }

    private static Map<String, String> headers(String id, long timestamp, String signatures) {
        return Map.of(
                "webhook-id", id, "webhook-timestamp", String.valueOf(timestamp), "webhook-signature", signatures);
    }
}
