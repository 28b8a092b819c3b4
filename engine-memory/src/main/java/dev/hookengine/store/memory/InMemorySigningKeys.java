package dev.hookengine.store.memory;

import static dev.hookengine.store.memory.Locking.locked;

import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.SigningKeyStore;
import dev.hookengine.store.support.StoreArguments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link SigningKeyStore} of {@link InMemoryWebhookStore}: each organization's keys in a list,
 * under a lock of their own, which is what makes "insert unless one is current" and a rotation atomic.
 */
final class InMemorySigningKeys implements SigningKeyStore {

    private static final Comparator<SigningKey> NEWEST_KEY_FIRST =
            Comparator.comparing(SigningKey::createdAt).reversed().thenComparing(SigningKey::keyId);

    private final ReentrantLock keyLock = new ReentrantLock();
    private final Map<String, List<SigningKey>> keys = new HashMap<>();

    @Override
    public SigningKey insertKeyIfNoneCurrent(SigningKey candidate) {
        Objects.requireNonNull(candidate, "candidate");
        StoreArguments.requireCurrentKey(candidate);
        return locked(keyLock, () -> {
            List<SigningKey> ofOrg = keys.computeIfAbsent(candidate.orgId(), org -> new ArrayList<>());
            for (SigningKey key : ofOrg) {
                if (key.expiresAt() == null) {
                    return key;
                }
            }
            ofOrg.add(candidate);
            return candidate;
        });
    }

    @Override
    public List<SigningKey> activeKeys(String orgId, Instant now) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(now, "now");
        return locked(
                keyLock,
                () -> keys.getOrDefault(orgId, List.of()).stream()
                        .filter(key -> key.isActiveAt(now))
                        .sorted(NEWEST_KEY_FIRST)
                        .toList());
    }

    @Override
    public void rotateKey(SigningKey newKey, Instant previousExpiresAt) {
        Objects.requireNonNull(newKey, "newKey");
        Objects.requireNonNull(previousExpiresAt, "previousExpiresAt");
        StoreArguments.requireCurrentKey(newKey);
        locked(keyLock, () -> {
            List<SigningKey> ofOrg = keys.computeIfAbsent(newKey.orgId(), org -> new ArrayList<>());
            for (int i = 0; i < ofOrg.size(); i++) {
                SigningKey key = ofOrg.get(i);
                if (key.expiresAt() == null) {
                    ofOrg.set(
                            i,
                            new SigningKey(
                                    key.orgId(),
                                    key.keyId(),
                                    key.publicKey(),
                                    key.privateKey(),
                                    key.createdAt(),
                                    previousExpiresAt));
                }
            }
            ofOrg.add(newKey);
            return null;
        });
    }

    @Override
    public int purgeExpiredKeys(Instant now) {
        Objects.requireNonNull(now, "now");
        return locked(keyLock, () -> {
            int purged = 0;
            Iterator<List<SigningKey>> orgs = keys.values().iterator();
            while (orgs.hasNext()) {
                List<SigningKey> ofOrg = orgs.next();
                int before = ofOrg.size();
                ofOrg.removeIf(
                        key -> key.expiresAt() != null && !key.expiresAt().isAfter(now));
                purged += before - ofOrg.size();
                if (ofOrg.isEmpty()) {
                    orgs.remove();
                }
            }
            return purged;
        });
    }
}
