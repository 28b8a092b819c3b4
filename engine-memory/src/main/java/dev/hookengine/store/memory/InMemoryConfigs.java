package dev.hookengine.store.memory;

import static dev.hookengine.store.memory.Locking.locked;

import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.FailingConfig;
import dev.hookengine.spi.RetiredSecret;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.store.support.StoreArguments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link ConfigStore} of {@link InMemoryWebhookStore}: each organization's configs in a map of
 * its own, under a lock of their own (no other part of the store reads or writes configs). Pausing
 * and resuming a config also moves its jobs in the {@link InMemoryLog}, under the log's lock taken
 * inside this one (never the other way round). Deleting a config forgets its rate permits, after the
 * config is gone (the permits' lock is never taken while the configs' is held). Its delivery health
 * ({@link InMemoryConfigHealth}) is forgotten under this lock when a replace enables it again, so that
 * no sweep sees the config enabled with its old streak, and when it is deleted.
 */
final class InMemoryConfigs implements ConfigStore {

    private static final Comparator<StoredConfig> CONFIG_ORDER = Comparator.comparing(
                    (StoredConfig stored) -> stored.config().creationTime(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(StoredConfig::id);

    private final ReentrantLock configLock = new ReentrantLock();
    private final Map<String, Map<String, StoredConfig>> configs = new HashMap<>();
    private final InMemoryLog jobs;
    private final InMemoryRatePermits permits;
    private final InMemoryConfigHealth health;

    InMemoryConfigs(InMemoryLog jobs, InMemoryRatePermits permits, InMemoryConfigHealth health) {
        this.jobs = jobs;
        this.permits = permits;
        this.health = health;
    }

    @Override
    public boolean insertConfig(String orgId, WebhookConfig config) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.computeIfAbsent(orgId, org -> new HashMap<>());
            if (ofOrg.containsKey(config.id())) {
                return false;
            }
            ofOrg.put(config.id(), new StoredConfig(orgId, config, 1L));
            return true;
        });
    }

    @Override
    public Optional<StoredConfig> findConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        return locked(
                configLock,
                () -> Optional.ofNullable(configs.getOrDefault(orgId, Map.of()).get(configId)));
    }

    @Override
    public List<StoredConfig> listConfigs(String orgId, String eventName) {
        Objects.requireNonNull(orgId, "orgId");
        return locked(
                configLock,
                () -> configs.getOrDefault(orgId, Map.of()).values().stream()
                        .filter(stored -> eventName == null
                                || eventName.equals(stored.config().eventName()))
                        .sorted(CONFIG_ORDER)
                        .toList());
    }

    @Override
    public Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.get(orgId);
            StoredConfig current = ofOrg == null ? null : ofOrg.get(config.id());
            if (current == null || current.revision() != expectedRevision) {
                return Optional.empty();
            }
            StoredConfig replaced = new StoredConfig(
                    orgId, config, current.revision() + 1, current.retiredSecrets(), current.controls());
            ofOrg.put(config.id(), replaced);
            if (Boolean.FALSE.equals(current.config().enabled()) && !Boolean.FALSE.equals(config.enabled())) {
                health.forget(orgId, config.id());
            }
            return Optional.of(replaced);
        });
    }

    @Override
    public Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        StoreArguments.requireSecretRotation(orgId, configId, newSecret, previousExpiresAt, now);
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.get(orgId);
            StoredConfig current = ofOrg == null ? null : ofOrg.get(configId);
            if (current == null) {
                return Optional.empty();
            }
            List<RetiredSecret> retired = new ArrayList<>();
            Secret previous = current.config().signingSecret();
            if (previous != null && !previous.isCleared()) {
                retired.add(new RetiredSecret(previous, previousExpiresAt));
            }
            current.retiredSecrets().stream()
                    .filter(secret -> secret.isActiveAt(now))
                    .forEach(retired::add);
            StoredConfig rotated = new StoredConfig(
                    orgId,
                    current.config().toBuilder().signingSecret(newSecret).build(),
                    current.revision() + 1,
                    retired,
                    current.controls());
            ofOrg.put(configId, rotated);
            return Optional.of(rotated);
        });
    }

    @Override
    public Optional<StoredConfig> replaceControls(
            String orgId, String configId, ConfigControls controls, long expectedRevision, Instant now) {
        StoreArguments.requireControls(orgId, configId, controls, now);
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.get(orgId);
            StoredConfig current = ofOrg == null ? null : ofOrg.get(configId);
            if (current == null || current.revision() != expectedRevision) {
                return Optional.empty();
            }
            StoredConfig replaced = new StoredConfig(
                    orgId, current.config(), current.revision() + 1, current.retiredSecrets(), controls);
            ofOrg.put(configId, replaced);
            if (controls.paused() != current.controls().paused()) {
                jobs.locked(() -> {
                    if (controls.paused()) {
                        jobs.pause(orgId, configId);
                    } else {
                        jobs.resume(orgId, configId, now);
                    }
                    return null;
                });
            }
            return Optional.of(replaced);
        });
    }

    @Override
    public boolean deleteConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        boolean deleted = locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.get(orgId);
            StoredConfig removed = ofOrg == null ? null : ofOrg.remove(configId);
            if (removed == null) {
                return false;
            }
            if (removed.controls().paused()) {
                // its parked jobs go to the workers, which end them: the config is gone
                jobs.locked(() -> {
                    jobs.resume(orgId, configId, Instant.EPOCH);
                    return null;
                });
            }
            if (ofOrg.isEmpty()) {
                configs.remove(orgId);
            }
            health.forget(orgId, configId);
            return true;
        });
        if (deleted) {
            permits.forget(orgId, configId);
        }
        return deleted;
    }

    /**
     * The failing configs of {@link InMemoryConfigHealth}, less those disabled or deleted: the health
     * is read first, then each config under this lock.
     */
    @Override
    public List<FailingConfig> failingConfigs(Instant failingSince, int minAttempts, int limit) {
        StoreArguments.requireFailingConfigs(failingSince, minAttempts, limit);
        List<FailingConfig> candidates = health.failing(failingSince, minAttempts);
        return locked(
                configLock,
                () -> candidates.stream()
                        .filter(failing -> {
                            StoredConfig stored = configs.getOrDefault(failing.orgId(), Map.of())
                                    .get(failing.configId());
                            return stored != null
                                    && !Boolean.FALSE.equals(stored.config().enabled());
                        })
                        .limit(limit)
                        .toList());
    }
}
