package dev.hookengine.store.memory;

import static dev.hookengine.store.memory.Locking.locked;

import dev.hookengine.spi.RatePermit;
import dev.hookengine.store.support.StoreArguments;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rate permits of {@link InMemoryWebhookStore} ({@link dev.hookengine.spi.DeliveryQueue#takePermit}):
 * per config, a ring of slots, one per permit of a second, each holding the instant it was last
 * granted. A call with limit {@code n} looks at slots {@code 0 .. n-1}: it takes the one granted
 * longest ago when that was at least a second before {@code now} (a slot never used counts as free),
 * else it is refused until that slot's grant is a second old.
 *
 * <p>Why the window holds: a slot is granted again only a second or more after its previous grant,
 * so two grants within one second are on two slots, and a call with limit {@code n} uses only
 * {@code n} slots. The instants are kept exactly (no rounding). One lock for every config: a take is
 * a scan of at most {@code n} slots. A ring grows to the largest limit asked and keeps the slots
 * above a lowered limit, so that their grants still count when the limit is raised again.
 */
final class InMemoryRatePermits {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ConfigKey, Instant[]> rings = new HashMap<>();

    RatePermit take(String orgId, String configId, int perSecond, Instant now) {
        StoreArguments.requirePermit(orgId, configId, perSecond, now);
        ConfigKey key = new ConfigKey(orgId, configId);
        return locked(lock, () -> {
            Instant[] ring = rings.get(key);
            if (ring == null || ring.length < perSecond) {
                // a slot never granted is null: free
                ring = ring == null ? new Instant[perSecond] : Arrays.copyOf(ring, perSecond);
                rings.put(key, ring);
            }
            int oldest = 0;
            for (int slot = 0; slot < perSecond; slot++) {
                if (ring[slot] == null) {
                    oldest = slot;
                    break;
                }
                if (ring[slot].isBefore(ring[oldest])) {
                    oldest = slot;
                }
            }
            Instant freesAt = ring[oldest] == null ? null : ring[oldest].plus(WINDOW);
            if (freesAt != null && freesAt.isAfter(now)) {
                return RatePermit.refuseUntil(freesAt);
            }
            ring[oldest] = now;
            return RatePermit.grant();
        });
    }

    /** Forgets a config's permits; for {@link InMemoryConfigs#deleteConfig}. */
    void forget(String orgId, String configId) {
        ConfigKey key = new ConfigKey(orgId, configId);
        locked(lock, () -> rings.remove(key));
    }

    private record ConfigKey(String orgId, String configId) {}
}
