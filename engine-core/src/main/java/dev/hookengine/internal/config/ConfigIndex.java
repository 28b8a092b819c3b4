package dev.hookengine.internal.config;

import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.StoredConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The configs of each organization, compiled, in memory, the active ones by event name: what
 * {@code publish} and delivery read instead of the store.
 *
 * <p>An organization's entry is loaded on first use and dropped on every config change made through
 * this engine ({@link #invalidate}), so that the next read on this node loads it again and sees the
 * change. An entry that a read finds older than the refresh interval (by the engine's clock) is
 * reloaded, so that changes made by other engine nodes on a shared store are seen within about one
 * interval plus one reload. A reload reuses the compiled form of every config whose revision did not
 * change.
 *
 * <p>A refresh blocks no one but the reader that makes it. A reload is a store query plus the
 * decryption of secrets, tens of milliseconds under load; made under a lock, it would stall every
 * request and delivery thread that needs the organization, once every interval. So the first reader
 * to find an entry due reloads it, outside any lock, while every other reader keeps getting the
 * current entry, older than the interval by at most that one reload. Only readers that find no entry
 * at all wait, for the one first load in flight, so that they do not all query the store at once.
 *
 * <p>A load installs its result only if the map still holds what it held when the load began
 * (compare-and-set on identity). A change made through this engine while the store was read has
 * removed that, and the load's result, which may predate the change, is dropped: it can never
 * overwrite a newer state. The reader that made it still gets it, as a read concurrent with the
 * change may.
 */
public final class ConfigIndex {

    private final ConfigStore store;
    private final long refreshMillis;
    private final Clock clock;
    /** Each organization's {@link OrgEntry} or, while its first load runs, its {@link FirstLoad}. */
    private final ConcurrentMap<String, Slot> orgs = new ConcurrentHashMap<>();

    /**
     * @param refreshInterval how old an entry may be before a read reloads it; zero reloads on
     *                        every read
     * @param clock           what entries' ages are measured by: the engine's clock, so that tests
     *                        make entries due by moving it
     */
    public ConfigIndex(ConfigStore store, Duration refreshInterval, Clock clock) {
        this.store = store;
        this.refreshMillis = refreshInterval.toMillis();
        this.clock = clock;
    }

    /** An index whose entries age by the system clock. */
    public ConfigIndex(ConfigStore store, Duration refreshInterval) {
        this(store, refreshInterval, Clock.systemUTC());
    }

    /** The organization's active configs for {@code eventName}, oldest first; empty when none. */
    public List<CompiledConfig> activeConfigs(String orgId, String eventName) {
        return entry(orgId).byEvent().getOrDefault(eventName, List.of());
    }

    /**
     * One of the organization's configs, active or not, as of the last load: what delivery reads
     * instead of the store (a config changed by another node is seen within about one refresh
     * interval plus one reload).
     */
    public Optional<StoredConfig> find(String orgId, String configId) {
        CompiledConfig config = entry(orgId).byId().get(configId);
        return config == null ? Optional.empty() : Optional.of(config.stored());
    }

    /** Forgets every organization's configs, after a change made outside the config operations. */
    public void invalidateAll() {
        orgs.clear();
    }

    /**
     * Forgets what is known of the organization's configs; the next read loads them again. A load
     * already running when this is called does not bring them back.
     */
    public void invalidate(String orgId) {
        orgs.remove(orgId);
    }

    private OrgEntry entry(String orgId) {
        while (true) {
            Slot slot = orgs.get(orgId);
            if (slot instanceof OrgEntry current) {
                if (!current.isDueAt(clock.millis()) || !current.claimRefresh()) {
                    return current;
                }
                return refresh(orgId, current);
            }
            if (slot instanceof FirstLoad running) {
                return running.await();
            }
            FirstLoad mine = new FirstLoad();
            if (orgs.putIfAbsent(orgId, mine) == null) {
                return firstLoad(orgId, mine);
            }
            // Another reader began the first load since the get: go round and wait for it.
        }
    }

    private OrgEntry firstLoad(String orgId, FirstLoad mine) {
        OrgEntry loaded;
        try {
            loaded = load(orgId, null);
        } catch (Throwable failure) {
            // Cleared so that the next reader tries again; the readers waiting now fail with this one.
            orgs.remove(orgId, mine);
            mine.result.completeExceptionally(failure);
            throw failure;
        }
        orgs.replace(orgId, mine, loaded);
        mine.result.complete(loaded);
        return loaded;
    }

    private OrgEntry refresh(String orgId, OrgEntry stale) {
        OrgEntry fresh;
        try {
            fresh = load(orgId, stale);
        } catch (Throwable failure) {
            // The stale entry stays and is still served; the next reader to find it due tries again.
            stale.releaseRefresh();
            throw failure;
        }
        orgs.replace(orgId, stale, fresh);
        return fresh;
    }

    private OrgEntry load(String orgId, OrgEntry previous) {
        // Read before the query, so that an entry's age counts from no later than its snapshot.
        long loadedAt = clock.millis();
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
        return new OrgEntry(Map.copyOf(byEvent), Map.copyOf(compiled), loadedAt, refreshMillis);
    }

    /** What the map holds for an organization. */
    private sealed interface Slot permits OrgEntry, FirstLoad {}

    /**
     * An organization's loaded configs. A class, not a record: installing a reload compares entries
     * by identity, and two loads that read equal configs at equal times must still differ.
     */
    private static final class OrgEntry implements Slot {

        private final Map<String, List<CompiledConfig>> byEvent;
        private final Map<String, CompiledConfig> byId;
        private final long loadedAt;
        private final long refreshMillis;
        /** Set by the one reader that reloads this entry; never cleared once the reload succeeded. */
        private final AtomicBoolean refreshing = new AtomicBoolean();

        OrgEntry(
                Map<String, List<CompiledConfig>> byEvent,
                Map<String, CompiledConfig> byId,
                long loadedAt,
                long refreshMillis) {
            this.byEvent = byEvent;
            this.byId = byId;
            this.loadedAt = loadedAt;
            this.refreshMillis = refreshMillis;
        }

        Map<String, List<CompiledConfig>> byEvent() {
            return byEvent;
        }

        Map<String, CompiledConfig> byId() {
            return byId;
        }

        /**
         * Whether a reader at {@code now} should reload this entry. A clock set back before the load
         * counts as due too, or a wall clock stepped back would stop refreshes for as long.
         */
        boolean isDueAt(long now) {
            return now - loadedAt >= refreshMillis || now < loadedAt;
        }

        /** Whether the caller is the one reader to reload this entry. */
        boolean claimRefresh() {
            return refreshing.compareAndSet(false, true);
        }

        void releaseRefresh() {
            refreshing.set(false);
        }
    }

    /** A first load in flight, which the organization's other first readers wait for. */
    private static final class FirstLoad implements Slot {

        final CompletableFuture<OrgEntry> result = new CompletableFuture<>();

        OrgEntry await() {
            try {
                return result.join();
            } catch (CompletionException e) {
                // The loader's own failure, unwrapped, so that waiters see what the store threw.
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }
}
