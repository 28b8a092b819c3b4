package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.expiring;
import static dev.hookengine.store.tck.StoreFixtures.signingKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link SigningKeyStore}: the first candidate becomes current, also when several
 * arrive at once; rotation keeps the previous key signing until it expires; keys list newest first;
 * and purging deletes expired keys in every organization.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class SigningKeyStoreContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    SigningKeyStoreContract() {}

    @Test
    void theFirstCandidateBecomesTheCurrentKey() {
        SigningKey candidate = signingKey(ORG_A, "key-1", at(0));

        SigningKey current = store.insertKeyIfNoneCurrent(candidate);

        assertThat(current).isEqualTo(candidate);
        assertThat(store.activeKeys(ORG_A, at(0))).containsExactly(candidate);
        assertThat(store.activeKeys(ORG_A, at(0)).get(0).privateKey()).isEqualTo(candidate.privateKey());
    }

    @Test
    void aLaterCandidateGetsTheExistingCurrentKey() {
        SigningKey first = signingKey(ORG_A, "key-1", at(0));
        store.insertKeyIfNoneCurrent(first);

        SigningKey current = store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-2", at(1000)));

        assertThat(current).isEqualTo(first);
        assertThat(store.activeKeys(ORG_A, at(2000))).containsExactly(first);
    }

    @Test
    @Timeout(value = 2 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void concurrentFirstKeysAgreeOnOneKey() throws Exception {
        List<SigningKey> results =
                runConcurrently(8, i -> () -> store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-" + i, at(i))));

        assertThat(new HashSet<>(results)).hasSize(1);
        assertThat(store.activeKeys(ORG_A, at(100))).containsExactly(results.get(0));
    }

    @Test
    void anOrganizationWithoutKeysHasNoActiveKeys() {
        assertThat(store.activeKeys(ORG_A, at(0))).isEmpty();
    }

    @Test
    void rotationKeepsThePreviousKeySigningUntilItExpires() {
        SigningKey previous = signingKey(ORG_A, "key-1", at(0));
        store.insertKeyIfNoneCurrent(previous);
        SigningKey next = signingKey(ORG_A, "key-2", at(1000));
        Instant graceEnds = at(1000).plus(Duration.ofHours(24));

        store.rotateKey(next, graceEnds);

        SigningKey expiringPrevious = expiring(previous, graceEnds);
        assertThat(store.activeKeys(ORG_A, at(2000))).containsExactly(next, expiringPrevious);
        assertThat(store.activeKeys(ORG_A, graceEnds.minusMillis(1))).containsExactly(next, expiringPrevious);
        assertThat(store.activeKeys(ORG_A, graceEnds)).containsExactly(next);
        assertThat(store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-3", at(3000))))
                .isEqualTo(next);
    }

    @Test
    void rotationWithoutACurrentKeyInstallsTheNewKey() {
        SigningKey key = signingKey(ORG_A, "key-1", at(0));

        store.rotateKey(key, at(1000));

        assertThat(store.activeKeys(ORG_A, at(5000))).containsExactly(key);
        assertThat(store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-2", at(6000))))
                .isEqualTo(key);
    }

    @Test
    void repeatedRotationsListNewestFirst() {
        SigningKey first = signingKey(ORG_A, "key-1", at(0));
        SigningKey second = signingKey(ORG_A, "key-2", at(1000));
        SigningKey third = signingKey(ORG_A, "key-3", at(2000));
        store.insertKeyIfNoneCurrent(first);
        Instant firstExpires = at(1000).plus(Duration.ofHours(1));
        Instant secondExpires = at(2000).plus(Duration.ofHours(2));

        store.rotateKey(second, firstExpires);
        store.rotateKey(third, secondExpires);

        assertThat(store.activeKeys(ORG_A, at(3000)))
                .containsExactly(third, expiring(second, secondExpires), expiring(first, firstExpires));
        assertThat(store.activeKeys(ORG_A, firstExpires)).containsExactly(third, expiring(second, secondExpires));
        assertThat(store.activeKeys(ORG_A, secondExpires)).containsExactly(third);
    }

    @Test
    void purgeDeletesKeysExpiredAtOrBeforeNowInEveryOrganization() {
        store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-a1", at(0)));
        store.rotateKey(signingKey(ORG_A, "key-a2", at(1000)), at(10_000));
        store.insertKeyIfNoneCurrent(signingKey(ORG_B, "key-b1", at(0)));
        store.rotateKey(signingKey(ORG_B, "key-b2", at(2000)), at(20_000));
        store.rotateKey(signingKey(ORG_B, "key-b3", at(3000)), at(30_000));

        assertThat(store.purgeExpiredKeys(at(9_999))).isZero();
        assertThat(store.purgeExpiredKeys(at(10_000))).isEqualTo(1);
        assertThat(store.purgeExpiredKeys(at(10_000))).isZero();
        assertThat(store.activeKeys(ORG_B, at(10_000)))
                .extracting(SigningKey::keyId)
                .containsExactly("key-b3", "key-b2", "key-b1");
        assertThat(store.purgeExpiredKeys(at(1_000_000))).isEqualTo(2);
        assertThat(store.purgeExpiredKeys(at(1_000_000))).isZero();

        assertThat(store.activeKeys(ORG_A, at(1_000_000)))
                .extracting(SigningKey::keyId)
                .containsExactly("key-a2");
        assertThat(store.activeKeys(ORG_B, at(1_000_000)))
                .extracting(SigningKey::keyId)
                .containsExactly("key-b3");
    }
}
