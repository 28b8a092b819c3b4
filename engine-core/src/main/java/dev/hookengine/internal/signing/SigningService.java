package dev.hookengine.internal.signing;

import dev.hookengine.NotFoundException;
import dev.hookengine.internal.Ids;
import dev.hookengine.internal.config.ConfigService;
import dev.hookengine.model.PublicKeyResponse;
import dev.hookengine.model.Secret;
import dev.hookengine.model.Timestamps;
import dev.hookengine.signing.Ed25519KeyPair;
import dev.hookengine.signing.Ed25519PublicKeys;
import dev.hookengine.signing.HmacKey;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.signing.WebhookSigner;
import dev.hookengine.spi.RetiredSecret;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keys and signatures: each organization's Ed25519 key pairs ({@code v1a}), each config's
 * {@code whsec_} secrets ({@code v1}), their rotation, and the {@code webhook-signature} of a message.
 *
 * <p>An organization's first key pair is made on first use, atomically through the store, so that
 * nodes racing to make it agree on one. A rotation keeps the replaced key or secret signing beside
 * the new one for the grace period, then it stops. Decoded key pairs are cached per key id (a key
 * never changes once made); an organization's list of active keys is re-read from the store at least
 * every {@value #KEY_REFRESH_SECONDS} s and whenever one of them expires, so a rotation made by another
 * node is picked up within that time (the old key is still valid meanwhile).
 */
public final class SigningService {

    public static final String ALGORITHM = "ed25519";
    static final long KEY_REFRESH_SECONDS = 30;

    private final WebhookStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration grace;
    private final String issuer;
    private final int secretBytes;
    private final Ids ids;
    private final WebhookSigner signer = new WebhookSigner();
    private final Map<String, Ed25519KeyPair> decoded = new ConcurrentHashMap<>();
    private final Map<String, OrgKeys> orgKeys = new ConcurrentHashMap<>();
    private final Consumer<String> onConfigChanged;

    /**
     * @param onConfigChanged called with the organization after one of its configs got a new secret,
     *                        so that the engine's views of configs (which delivery signs from) are
     *                        refreshed
     */
    public SigningService(
            WebhookStore store,
            Clock clock,
            SecureRandom random,
            Duration grace,
            String issuer,
            int secretBytes,
            Consumer<String> onConfigChanged) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.grace = grace;
        this.issuer = issuer;
        this.secretBytes = secretBytes;
        this.ids = new Ids(random);
        this.onConfigChanged = onConfigChanged;
    }

    /**
     * The organization's current public key as PEM. The key pair is made here if the organization
     * has none yet, but only for an organization that has at least one config: the endpoint serving
     * this is unauthenticated, and must not let anyone make keys for made-up organizations.
     *
     * @throws NotFoundException when the organization has neither a key nor a config
     */
    public PublicKeyResponse publicKey(String orgId) {
        ConfigService.requireOrg(orgId);
        Instant now = now();
        List<SigningKey> active = store.activeKeys(orgId, now);
        SigningKey current;
        if (!active.isEmpty()) {
            // The current key is the one without an expiry: a rotation within the same millisecond
            // leaves two keys with one createdAt, and "newest first" cannot tell them apart.
            current = active.stream()
                    .filter(key -> key.expiresAt() == null)
                    .findFirst()
                    .orElse(active.get(0));
        } else if (!store.listConfigs(orgId, null).isEmpty()) {
            current = store.insertKeyIfNoneCurrent(newKey(orgId, now));
        } else {
            throw new NotFoundException("signing key of organization", orgId);
        }
        return new PublicKeyResponse(
                Ed25519PublicKeys.toPem(Base64.getDecoder().decode(current.publicKey())), ALGORITHM, issuer);
    }

    /** Makes a new current key pair; the previous one keeps signing for the grace period. */
    public PublicKeyResponse rotateKey(String orgId) {
        ConfigService.requireOrg(orgId);
        Instant now = now();
        SigningKey fresh = newKey(orgId, now);
        store.rotateKey(fresh, now.plus(grace));
        orgKeys.remove(orgId);
        return new PublicKeyResponse(
                Ed25519PublicKeys.toPem(Base64.getDecoder().decode(fresh.publicKey())), ALGORITHM, issuer);
    }

    /**
     * Gives a config a new signing secret; the previous one keeps signing for the grace period.
     *
     * @return the new secret: shown here once, as on create
     * @throws NotFoundException when the organization has no config with this id
     */
    public Secret rotateSecret(String orgId, String configId) {
        ConfigService.requireOrg(orgId);
        Instant now = now();
        Secret fresh = Secret.of(SigningSecrets.generate(random, secretBytes));
        store.rotateSigningSecret(orgId, configId, fresh, now.plus(grace), now)
                .orElseThrow(() -> new NotFoundException("webhook config", configId));
        onConfigChanged.accept(orgId);
        return fresh;
    }

    /**
     * The {@code webhook-signature} of one message: {@code v1a} with every active key of the config's
     * organization, then {@code v1} with the config's secret and its still-active retired secrets.
     *
     * @param config    the config, as stored (with its secret)
     * @param messageId the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp}, unix seconds
     * @param body      the exact bytes to be sent
     */
    public String sign(StoredConfig config, String messageId, long timestamp, byte[] body) {
        Instant now = now();
        List<HmacKey> secrets = new ArrayList<>(1 + config.retiredSecrets().size());
        Secret current = config.config().signingSecret();
        if (current != null && !current.isCleared()) {
            secrets.add(HmacKey.fromSecret(current.reveal()));
        }
        for (RetiredSecret retired : config.retiredSecrets()) {
            if (retired.isActiveAt(now)) {
                secrets.add(HmacKey.fromSecret(retired.secret().reveal()));
            }
        }
        return signer.sign(messageId, timestamp, body, activeKeyPairs(config.orgId(), now), secrets);
    }

    private List<Ed25519KeyPair> activeKeyPairs(String orgId, Instant now) {
        OrgKeys known = orgKeys.get(orgId);
        if (known != null && known.freshAt(now)) {
            return known.pairs();
        }
        List<SigningKey> keys = store.activeKeys(orgId, now);
        if (keys.isEmpty()) {
            keys = List.of(store.insertKeyIfNoneCurrent(newKey(orgId, now)));
        }
        List<Ed25519KeyPair> pairs = new ArrayList<>(keys.size());
        Instant firstExpiry = null;
        for (SigningKey key : keys) {
            pairs.add(decoded.computeIfAbsent(
                    key.keyId(),
                    id -> Ed25519KeyPair.fromBase64(key.privateKey().reveal(), key.publicKey())));
            if (key.expiresAt() != null
                    && (firstExpiry == null || key.expiresAt().isBefore(firstExpiry))) {
                firstExpiry = key.expiresAt();
            }
        }
        OrgKeys loaded = new OrgKeys(List.copyOf(pairs), now.plusSeconds(KEY_REFRESH_SECONDS), firstExpiry);
        orgKeys.put(orgId, loaded);
        return loaded.pairs();
    }

    private SigningKey newKey(String orgId, Instant now) {
        Ed25519KeyPair pair = Ed25519KeyPair.generate(random);
        return new SigningKey(orgId, ids.next(), pair.publicKeyBase64(), Secret.of(pair.privateKeyBase64()), now, null);
    }

    private Instant now() {
        return Timestamps.now(clock);
    }

    /** An organization's decoded active key pairs, newest first, and until when they may be used. */
    private record OrgKeys(List<Ed25519KeyPair> pairs, Instant refreshAt, Instant firstExpiry) {
        boolean freshAt(Instant now) {
            return now.isBefore(refreshAt) && (firstExpiry == null || now.isBefore(firstExpiry));
        }
    }
}
