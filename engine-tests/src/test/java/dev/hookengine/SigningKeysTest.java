package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.internal.signing.SigningService;
import dev.hookengine.model.PublicKeyResponse;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.WebhookVerifier;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-organization Ed25519 keys, per-config secrets, their rotation, and signatures over both. */
class SigningKeysTest {

    private static final String ORG = "org-a";
    private static final Duration GRACE = Duration.ofHours(24);
    private static final byte[] BODY = "{\"order\":\"ord-1\",\"total\":42}".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private InMemoryWebhookStore store;
    private WebhookEngine engine;
    private SigningService signing;

    @BeforeEach
    void setUp() {
        store = new InMemoryWebhookStore();
        engine = WebhookEngine.builder()
                .store(store)
                .clock(clock)
                .signingKeyIssuer("acme-webhooks")
                .build();
        signing = new SigningService(store, clock, new SecureRandom(), GRACE, "acme-webhooks", 32, orgId -> {});
    }

    private WebhookConfig createConfig() {
        return engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("n")
                        .eventName("order_paid")
                        .url("https://shop.example.com/hooks")
                        .build());
    }

    @Test
    void publicKeyIsAnEd25519PemTheJdkVerifiesSignaturesWith() throws Exception {
        WebhookConfig config = createConfig();
        PublicKeyResponse response = engine.getPublicKey(ORG);
        String header = signing.sign(stored(config), "msg_1", clock.instant().getEpochSecond(), BODY);

        assertThat(response.algorithm()).isEqualTo("ed25519");
        assertThat(response.issuer()).isEqualTo("acme-webhooks");
        assertThat(response.publicKey())
                .startsWith("-----BEGIN PUBLIC KEY-----\n")
                .endsWith("-----END PUBLIC KEY-----\n");
        assertThat(engine.getPublicKey(ORG)).as("stable until rotated").isEqualTo(response);

        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(
                        Base64.getDecoder().decode(response.publicKey().replaceAll("-----[A-Z ]+-----|\\s", ""))));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(key);
        jdk.update(("msg_1." + clock.instant().getEpochSecond() + ".").getBytes(StandardCharsets.UTF_8));
        jdk.update(BODY);
        String v1a = header.split(" ")[0];
        assertThat(v1a).startsWith("v1a,");
        assertThat(jdk.verify(Base64.getDecoder().decode(v1a.substring(4)))).isTrue();
    }

    @Test
    void aKeyRotatedInTheSameMillisecondIsThePublicKeyAtOnce() {
        createConfig();
        PublicKeyResponse first = engine.getPublicKey(ORG);

        PublicKeyResponse rotated = engine.rotateSigningKey(ORG); // same clock instant as the first key

        assertThat(rotated.publicKey()).isNotEqualTo(first.publicKey());
        assertThat(engine.getPublicKey(ORG)).isEqualTo(rotated);
    }

    @Test
    void noKeyIsMadeForAnOrganizationWithoutConfigs() {
        assertThatThrownBy(() -> engine.getPublicKey("made-up-org")).isInstanceOf(NotFoundException.class);
        assertThat(store.activeKeys("made-up-org", clock.instant())).isEmpty();
    }

    @Test
    void aSecondNodeSignsWithTheKeyTheFirstMade() {
        WebhookConfig config = createConfig();
        SigningService otherNode = new SigningService(store, clock, new SecureRandom(), GRACE, "x", 32, orgId -> {});

        String fromOther = otherNode.sign(stored(config), "msg", clock.instant().getEpochSecond(), BODY);
        String fromThis = signing.sign(stored(config), "msg", clock.instant().getEpochSecond(), BODY);

        assertThat(fromThis).isEqualTo(fromOther);
        assertThat(store.activeKeys(ORG, clock.instant())).hasSize(1);
    }

    @Test
    void rotatedKeysAndSecretsSignBesideTheNewOnesForTheGracePeriodOnly() {
        WebhookConfig config = createConfig();
        String oldSecret = config.signingSecret().reveal();
        String oldKey = engine.getPublicKey(ORG).publicKey();

        clock.advance(Duration.ofMinutes(10));
        String newSecret = engine.rotateSigningSecret(ORG, config.id()).reveal();
        String newKey = engine.rotateSigningKey(ORG).publicKey();

        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(engine.getPublicKey(ORG).publicKey()).isEqualTo(newKey);
        assertThat(engine.getConfig(ORG, config.id()).signingSecret())
                .as("never readable")
                .isNull();

        clock.advance(GRACE.minusMinutes(1));
        Map<String, String> during = headers("msg_2");
        assertThat(during.get("webhook-signature").split(" "))
                .as("v1a first, newest first within each version")
                .hasSize(4)
                .satisfiesExactly(
                        s -> assertThat(s).startsWith("v1a,"),
                                s -> assertThat(s).startsWith("v1a,"),
                        s -> assertThat(s).startsWith("v1,"), s -> assertThat(s).startsWith("v1,"));
        assertThat(verifierOf(oldSecret, null).isValid(BODY, during)).isTrue();
        assertThat(verifierOf(newSecret, null).isValid(BODY, during)).isTrue();
        assertThat(verifierOf(null, oldKey).isValid(BODY, during)).isTrue();
        assertThat(verifierOf(null, newKey).isValid(BODY, during)).isTrue();

        clock.advance(Duration.ofMinutes(2));
        Map<String, String> after = headers("msg_3");
        assertThat(after.get("webhook-signature").split(" ")).hasSize(2);
        assertThat(verifierOf(oldSecret, null).isValid(BODY, after)).isFalse();
        assertThat(verifierOf(null, oldKey).isValid(BODY, after)).isFalse();
        assertThat(verifierOf(newSecret, null).isValid(BODY, after)).isTrue();
        assertThat(verifierOf(null, newKey).isValid(BODY, after)).isTrue();
    }

    @Test
    void rotatingTheSecretOfAnUnknownOrForeignConfigIsNotFound() {
        WebhookConfig config = createConfig();

        assertThatThrownBy(() -> engine.rotateSigningSecret(ORG, "nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.rotateSigningSecret("org-b", config.id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(stored(config).retiredSecrets()).isEmpty();
    }

    private Map<String, String> headers(String messageId) {
        long timestamp = clock.instant().getEpochSecond();
        StoredConfig config = store.listConfigs(ORG, null).get(0);
        return Map.of(
                "webhook-id",
                messageId,
                "webhook-timestamp",
                String.valueOf(timestamp),
                "webhook-signature",
                signing.sign(config, messageId, timestamp, BODY));
    }

    private WebhookVerifier verifierOf(String secret, String publicKey) {
        WebhookVerifier.Builder builder = WebhookVerifier.builder().clock(clock);
        if (secret != null) {
            builder.secret(secret);
        }
        if (publicKey != null) {
            builder.publicKey(publicKey);
        }
        return builder.build();
    }

    private StoredConfig stored(WebhookConfig config) {
        return store.findConfig(ORG, config.id()).orElseThrow();
    }
}
