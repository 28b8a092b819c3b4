package dev.hookengine.store.memory;

import static dev.hookengine.store.memory.Locking.locked;

import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.FailingConfig;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The delivery health of every config of {@link InMemoryWebhookStore}
 * ({@link dev.hookengine.spi.ConfigStore#failingConfigs}): for each config in a failure streak, when
 * the streak began and its failed attempts; a healthy config has no entry. Under a lock of its own,
 * taken inside the log's ({@link InMemoryQueue#recordOutcomes}) or the configs'
 * ({@link InMemoryConfigs#replaceConfig}), never the other way round.
 */
final class InMemoryConfigHealth {

    private static final Comparator<FailingConfig> LONGEST_FAILING_FIRST = Comparator.comparing(
                    FailingConfig::failingSince)
            .thenComparing(FailingConfig::orgId)
            .thenComparing(FailingConfig::configId);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ConfigKey, Streak> streaks = new HashMap<>();

    /** Counts the written outcomes, in list order, toward their configs' health. */
    void record(List<AttemptOutcome> written) {
        locked(lock, () -> {
            for (AttemptOutcome outcome : written) {
                ConfigKey key = new ConfigKey(
                        outcome.claim().job().orgId(), outcome.claim().job().configId());
                switch (outcome.health()) {
                    case SUCCEEDED -> streaks.remove(key);
                    case FAILED -> {
                        Streak streak = streaks.get(key);
                        streaks.put(
                                key,
                                streak == null
                                        ? new Streak(outcome.attempt().endedAt(), 1)
                                        : new Streak(streak.since(), streak.failed() + 1));
                    }
                    case NONE -> {
                        // nothing was sent: the health stays
                    }
                }
            }
            return null;
        });
    }

    /** Configs whose streak began at or before {@code since} with at least {@code minAttempts}, longest failing first. */
    List<FailingConfig> failing(Instant since, int minAttempts) {
        return locked(
                lock,
                () -> streaks.entrySet().stream()
                        .filter(entry -> !entry.getValue().since().isAfter(since)
                                && entry.getValue().failed() >= minAttempts)
                        .map(entry -> new FailingConfig(
                                entry.getKey().orgId(),
                                entry.getKey().configId(),
                                entry.getValue().since(),
                                entry.getValue().failed()))
                        .sorted(LONGEST_FAILING_FIRST)
                        .toList());
    }

    /** Forgets a config's health: it was enabled again, or deleted. */
    void forget(String orgId, String configId) {
        ConfigKey key = new ConfigKey(orgId, configId);
        locked(lock, () -> streaks.remove(key));
    }

    private record ConfigKey(String orgId, String configId) {}

    private record Streak(Instant since, int failed) {}
}
