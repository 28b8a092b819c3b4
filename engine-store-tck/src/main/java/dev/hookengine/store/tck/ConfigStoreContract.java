package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.RetiredSecret;
import dev.hookengine.spi.StoredConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link ConfigStore}: a config comes back exactly as stored, secrets included, at
 * revision 1; listing order and the event-name filter; the revision compare-and-set of
 * {@code replaceConfig}, also under concurrent writers; signing secret rotation; and deletion, which
 * leaves the config's events and queued jobs alone.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class ConfigStoreContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    ConfigStoreContract() {}

    @Test
    void insertedConfigIsFoundAtRevisionOneWithEveryFieldAndSecret() {
        WebhookConfig config = config("cfg-1", "order.created", at(1));

        assertThat(store.insertConfig(ORG_A, config)).isTrue();

        Optional<StoredConfig> found = store.findConfig(ORG_A, "cfg-1");
        assertThat(found).isPresent();
        assertThat(found.get().orgId()).isEqualTo(ORG_A);
        assertThat(found.get().id()).isEqualTo("cfg-1");
        assertThat(found.get().config()).isEqualTo(config);
        assertThat(found.get().config().signingSecret()).isEqualTo(config.signingSecret());
        assertThat(found.get().config().auth().basicAuthConfig().password()).isEqualTo(Secret.of("password-cfg-1"));
        assertThat(found.get().revision()).isEqualTo(1L);
    }

    @Test
    void rotatingTheSigningSecretRetiresTheOldOneUntilItExpires() {
        WebhookConfig config = config("cfg-1", "order.created", at(0));
        store.insertConfig(ORG_A, config);
        Secret first = config.signingSecret();

        StoredConfig once = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_second"), at(100), at(10))
                .orElseThrow();

        assertThat(once.config().signingSecret()).isEqualTo(Secret.of("whsec_second"));
        assertThat(once.config().toBuilder().signingSecret(first).build())
                .as("nothing else changes")
                .isEqualTo(config);
        assertThat(once.retiredSecrets()).containsExactly(new RetiredSecret(first, at(100)));
        assertThat(once.revision()).isEqualTo(2L);
        assertThat(store.findConfig(ORG_A, "cfg-1")).contains(once);

        StoredConfig twice = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_third"), at(200), at(50))
                .orElseThrow();
        assertThat(twice.retiredSecrets())
                .as("newest first, both still active at the rotation")
                .containsExactly(
                        new RetiredSecret(Secret.of("whsec_second"), at(200)), new RetiredSecret(first, at(100)));

        StoredConfig thrice = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_fourth"), at(300), at(100))
                .orElseThrow();
        assertThat(thrice.retiredSecrets())
                .as("a secret expiring at the rotation instant is dropped")
                .containsExactly(
                        new RetiredSecret(Secret.of("whsec_third"), at(300)),
                        new RetiredSecret(Secret.of("whsec_second"), at(200)));
    }

    @Test
    void replacingAConfigKeepsItsRetiredSecrets() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        StoredConfig rotated = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_new"), at(100), at(10))
                .orElseThrow();

        StoredConfig replaced = store.replaceConfig(
                        ORG_A, rotated.config().toBuilder().name("renamed").build(), rotated.revision())
                .orElseThrow();

        assertThat(replaced.retiredSecrets()).isEqualTo(rotated.retiredSecrets());
        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().retiredSecrets())
                .isEqualTo(rotated.retiredSecrets());
    }

    @Test
    void rotatingAnUnknownOrForeignConfigChangesNothing() {
        WebhookConfig config = config("cfg-1", "order.created", at(0));
        store.insertConfig(ORG_A, config);

        assertThat(store.rotateSigningSecret(ORG_A, "cfg-2", Secret.of("whsec_x"), at(100), at(10)))
                .isEmpty();
        assertThat(store.rotateSigningSecret(ORG_B, "cfg-1", Secret.of("whsec_x"), at(100), at(10)))
                .isEmpty();

        StoredConfig stored = store.findConfig(ORG_A, "cfg-1").orElseThrow();
        assertThat(stored.config()).isEqualTo(config);
        assertThat(stored.retiredSecrets()).isEmpty();
        assertThat(stored.revision()).isEqualTo(1L);
    }

    @Test
    void findingAnUnknownIdGivesEmpty() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));

        assertThat(store.findConfig(ORG_A, "cfg-2")).isEmpty();
    }

    @Test
    void insertingADuplicateIdReturnsFalseAndStoresNothing() {
        WebhookConfig original = config("cfg-1", "order.created", at(0));
        WebhookConfig duplicate =
                config("cfg-1", "invoice.paid", at(5)).toBuilder().name("other").build();
        assertThat(store.insertConfig(ORG_A, original)).isTrue();

        assertThat(store.insertConfig(ORG_A, duplicate)).isFalse();

        StoredConfig stored = store.findConfig(ORG_A, "cfg-1").orElseThrow();
        assertThat(stored.config()).isEqualTo(original);
        assertThat(stored.revision()).isEqualTo(1L);
        assertThat(store.listConfigs(ORG_A, null))
                .extracting(StoredConfig::config)
                .containsExactly(original);
        assertThat(store.listConfigs(ORG_A, "invoice.paid")).isEmpty();
    }

    @Test
    void listIsOldestFirstWithTiesBrokenById() {
        WebhookConfig newest = config("cfg-a", "order.created", at(3000));
        WebhookConfig tieB = config("cfg-c", "order.created", at(2000));
        WebhookConfig tieA = config("cfg-b", "invoice.paid", at(2000));
        WebhookConfig oldest = config("cfg-z", "order.created", at(1000));
        for (WebhookConfig config : List.of(tieB, newest, oldest, tieA)) {
            assertThat(store.insertConfig(ORG_A, config)).isTrue();
        }

        List<StoredConfig> listed = store.listConfigs(ORG_A, null);

        assertThat(listed).extracting(StoredConfig::id).containsExactly("cfg-z", "cfg-b", "cfg-c", "cfg-a");
        assertThat(listed).extracting(StoredConfig::config).containsExactly(oldest, tieA, tieB, newest);
        assertThat(listed).allSatisfy(stored -> {
            assertThat(stored.orgId()).isEqualTo(ORG_A);
            assertThat(stored.revision()).isEqualTo(1L);
        });
    }

    @Test
    void listFiltersByEventName() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(1)));
        store.insertConfig(ORG_A, config("cfg-2", "invoice.paid", at(2)));
        store.insertConfig(ORG_A, config("cfg-3", "order.created", at(3)));

        assertThat(store.listConfigs(ORG_A, "order.created"))
                .extracting(StoredConfig::id)
                .containsExactly("cfg-1", "cfg-3");
        assertThat(store.listConfigs(ORG_A, "invoice.paid"))
                .extracting(StoredConfig::id)
                .containsExactly("cfg-2");
        assertThat(store.listConfigs(ORG_A, "order")).isEmpty();
        assertThat(store.listConfigs(ORG_A, "nobody.listens")).isEmpty();
        assertThat(store.listConfigs(ORG_A, null))
                .extracting(StoredConfig::id)
                .containsExactly("cfg-1", "cfg-2", "cfg-3");
    }

    @Test
    void listIsEmptyForAnOrganizationWithoutConfigs() {
        assertThat(store.listConfigs(ORG_A, null)).isEmpty();
        assertThat(store.listConfigs(ORG_A, "order.created")).isEmpty();
    }

    @Test
    void replaceWithTheCurrentRevisionStoresTheNewContentAtAHigherRevision() {
        WebhookConfig original = config("cfg-1", "order.created", at(0));
        store.insertConfig(ORG_A, original);
        long revision1 = store.findConfig(ORG_A, "cfg-1").orElseThrow().revision();
        WebhookConfig changed = original.toBuilder()
                .name("renamed")
                .url("https://elsewhere.example.com/")
                .enabled(false)
                .signingSecret(null)
                .updatedTime(at(60_000))
                .build();

        Optional<StoredConfig> replaced = store.replaceConfig(ORG_A, changed, revision1);

        assertThat(replaced).isPresent();
        assertThat(replaced.get().orgId()).isEqualTo(ORG_A);
        assertThat(replaced.get().config()).isEqualTo(changed);
        long revision2 = replaced.get().revision();
        assertThat(revision2).isGreaterThan(revision1);
        assertThat(store.findConfig(ORG_A, "cfg-1")).contains(replaced.get());

        WebhookConfig changedAgain = changed.toBuilder()
                .name("renamed twice")
                .updatedTime(at(120_000))
                .build();
        Optional<StoredConfig> replacedAgain = store.replaceConfig(ORG_A, changedAgain, revision2);
        assertThat(replacedAgain).isPresent();
        assertThat(replacedAgain.get().config()).isEqualTo(changedAgain);
        assertThat(replacedAgain.get().revision()).isGreaterThan(revision2);
        assertThat(store.findConfig(ORG_A, "cfg-1")).contains(replacedAgain.get());
        assertThat(store.listConfigs(ORG_A, null)).containsExactly(replacedAgain.get());
    }

    @Test
    void replaceWithAStaleRevisionReturnsEmptyAndChangesNothing() {
        WebhookConfig original = config("cfg-1", "order.created", at(0));
        store.insertConfig(ORG_A, original);
        long revision1 = store.findConfig(ORG_A, "cfg-1").orElseThrow().revision();
        StoredConfig current = store.replaceConfig(
                        ORG_A, original.toBuilder().name("first writer").build(), revision1)
                .orElseThrow();

        Optional<StoredConfig> stale = store.replaceConfig(
                ORG_A, original.toBuilder().name("second writer").build(), revision1);
        Optional<StoredConfig> future = store.replaceConfig(
                ORG_A, original.toBuilder().name("from the future").build(), current.revision() + 1000);

        assertThat(stale).isEmpty();
        assertThat(future).isEmpty();
        assertThat(store.findConfig(ORG_A, "cfg-1")).contains(current);
        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().config().name())
                .isEqualTo("first writer");
    }

    @Test
    void replaceOfAnUnknownConfigReturnsEmptyAndCreatesNothing() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));

        Optional<StoredConfig> replaced = store.replaceConfig(ORG_A, config("cfg-2", "order.created", at(0)), 1L);

        assertThat(replaced).isEmpty();
        assertThat(store.findConfig(ORG_A, "cfg-2")).isEmpty();
        assertThat(store.listConfigs(ORG_A, null)).extracting(StoredConfig::id).containsExactly("cfg-1");
    }

    @Test
    @Timeout(value = 2 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void concurrentReplacesOfTheSameRevisionLetExactlyOneWin() throws Exception {
        WebhookConfig original = config("cfg-1", "order.created", at(0));
        store.insertConfig(ORG_A, original);
        long revision = store.findConfig(ORG_A, "cfg-1").orElseThrow().revision();

        List<Optional<StoredConfig>> results = runConcurrently(
                8,
                i -> () -> store.replaceConfig(
                        ORG_A, original.toBuilder().name("writer-" + i).build(), revision));

        List<StoredConfig> winners = results.stream().flatMap(Optional::stream).toList();
        assertThat(winners).hasSize(1);
        assertThat(store.findConfig(ORG_A, "cfg-1")).contains(winners.get(0));
        assertThat(winners.get(0).revision()).isGreaterThan(revision);
    }

    @Test
    void deleteRemovesTheConfigOnce() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        store.insertConfig(ORG_A, config("cfg-2", "order.created", at(1)));

        assertThat(store.deleteConfig(ORG_A, "cfg-1")).isTrue();
        assertThat(store.deleteConfig(ORG_A, "cfg-1")).isFalse();
        assertThat(store.deleteConfig(ORG_A, "cfg-unknown")).isFalse();

        assertThat(store.findConfig(ORG_A, "cfg-1")).isEmpty();
        assertThat(store.findConfig(ORG_A, "cfg-2")).isPresent();
        assertThat(store.listConfigs(ORG_A, null)).extracting(StoredConfig::id).containsExactly("cfg-2");
        assertThat(store.listConfigs(ORG_A, "order.created"))
                .extracting(StoredConfig::id)
                .containsExactly("cfg-2");
        assertThat(store.replaceConfig(ORG_A, config("cfg-1", "order.created", at(0)), 1L))
                .isEmpty();
    }

    @Test
    void aDeletedIdCanBeInsertedAgain() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        store.deleteConfig(ORG_A, "cfg-1");
        WebhookConfig again = config("cfg-1", "invoice.paid", at(10));

        assertThat(store.insertConfig(ORG_A, again)).isTrue();

        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().config()).isEqualTo(again);
        assertThat(store.listConfigs(ORG_A, "invoice.paid"))
                .extracting(StoredConfig::id)
                .containsExactly("cfg-1");
    }

    @Test
    void deleteLeavesTheConfigsEventsAndQueuedJobsAlone() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(10), EventStatus.IN_PROGRESS);
        DeliveryJob job = job("job-1", event, 0, at(10));
        append(event, job, attemptCarrier(event, 0));
        recordAttempt(attempt(ORG_A, "evt-1", 1, at(20), 500));

        assertThat(store.deleteConfig(ORG_A, "cfg-1")).isTrue();

        assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
        assertThat(store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-1", 10)).events())
                .containsExactly(event);
        assertThat(store.attemptsOf(ORG_A, "evt-1")).hasSize(1);
        assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
        assertThat(jobIds(store.claim(at(10), 10, LEASE, "node-1"))).containsExactly("job-1");
    }
}
