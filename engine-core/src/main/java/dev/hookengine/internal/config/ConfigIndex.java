package dev.hookengine.internal.config;

import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.StoredConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configs of each organization, compiled, in memory, the active ones by event name: what
 * {@code publish} and delivery read instead of the store.
 *
 * <p>An organization's entry is loaded on first use, dropped on every config change made through
 * this engine ({@link #invalidate}), and reloaded when older than the refresh interval, so that
 * changes made by other engine nodes on a shared store are seen within that interval. A reload
 * reuses the compiled form of every config whose revision did not change.
 */
public final class ConfigIndex {

    private final ConfigStore store;
    private final long refreshNanos;
    private final Map<String, OrgEntry> orgs = new ConcurrentHashMap<>();

    public ConfigIndex(ConfigStore store, Duration refreshInterval) {
        this.store = store;
        this.refreshNanos = refreshInterval.toNanos();
    }

    /** The organization's active configs for {@code eventName}, oldest first; empty when none. */
    public List<CompiledConfig> activeConfigs(String orgId, String eventName) {
        return entry(orgId).byEvent().getOrDefault(eventName, List.of());
    }

    /**
     * One of the organization's configs, active or not, as of the last load: what delivery reads
     * instead of the store (a config changed by another node is seen within the refresh interval).
     */
    public Optional<StoredConfig> find(String orgId, String configId) {
        CompiledConfig config = entry(orgId).byId().get(configId);
        return config == null ? Optional.empty() : Optional.of(config.stored());
    }

    private OrgEntry entry(String orgId) {
        long now = System.nanoTime();
        OrgEntry entry = orgs.get(orgId);
        if (entry == null || now - entry.loadedAt() > refreshNanos) {
            // Re-checked under the entry's lock, so that concurrent readers of a stale entry load it once.
            entry = orgs.compute(
                    orgId,
                    (org, current) -> current != null && now - current.loadedAt() <= refreshNanos
                            ? current
                            : load(org, current, now));
        }
        return entry;
    }

    /** Forgets every organization's configs, after a change made outside the config operations. */
    public void invalidateAll() {
        orgs.clear();
    }

    /** Forgets what is known of the organization's configs; the next read loads them again. */
    public void invalidate(String orgId) {
        orgs.remove(orgId);
    }

    private OrgEntry load(String orgId, OrgEntry previous, long now) {
        Map<String, CompiledConfig> compiled = new HashMap<>();
        Map<String, List<CompiledConfig>> byEvent = new HashMap<>();
        for (StoredConfig stored : store.listConfigs(orgId, null)) {
            CompiledConfig known = previous == null ? null : previous.byId().get(stored.id());
            CompiledConfig config = known != null && known.stored().revision() == stored.revision()
                    ? known
                    : CompiledConfig.compile(stored);
            compiled.put(stored.id(), config);
            if (config.isActive()) {
                byEvent.computeIfAbsent(stored.config().eventName(), name -> new ArrayList<>())
                        .add(config);
            }
        }
        byEvent.replaceAll((name, list) -> List.copyOf(list));
        return new OrgEntry(Map.copyOf(byEvent), Map.copyOf(compiled), now);
    }

    private record OrgEntry(
            Map<String, List<CompiledConfig>> byEvent, Map<String, CompiledConfig> byId, long loadedAt) {}
}
