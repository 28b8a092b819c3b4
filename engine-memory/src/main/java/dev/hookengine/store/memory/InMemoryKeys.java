package dev.hookengine.store.memory;

import dev.hookengine.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The idempotency records of the in-memory store, by organization and key, and by expiry for the
 * purge. Not thread-safe: it lives in the {@link InMemoryLog} and is used under its lock, so that a
 * record and its publish's events are stored as one step.
 */
final class InMemoryKeys {

    private static final Comparator<IdempotencyRecord> BY_EXPIRY = Comparator.comparing(IdempotencyRecord::expiresAt)
            .thenComparing(IdempotencyRecord::orgId)
            .thenComparing(IdempotencyRecord::key);

    private final Map<String, Map<String, IdempotencyRecord>> byOrg = new HashMap<>();
    private final TreeSet<IdempotencyRecord> byExpiry = new TreeSet<>(BY_EXPIRY);

    /** The organization's record of {@code key} while it is live at {@code now}, or {@code null}. */
    IdempotencyRecord live(String orgId, String key, Instant now) {
        IdempotencyRecord stored = byOrg.getOrDefault(orgId, Map.of()).get(key);
        return stored != null && stored.isLiveAt(now) ? stored : null;
    }

    /** Stores {@code record}, replacing the organization's record of the same key. */
    void put(IdempotencyRecord record) {
        IdempotencyRecord replaced =
                byOrg.computeIfAbsent(record.orgId(), org -> new HashMap<>()).put(record.key(), record);
        if (replaced != null) {
            byExpiry.remove(replaced);
        }
        byExpiry.add(record);
    }

    /** Deletes up to {@code max} records expired at {@code now}, earliest expiry first; returns how many. */
    int purge(Instant now, int max) {
        int purged = 0;
        while (purged < max && !byExpiry.isEmpty() && !byExpiry.first().isLiveAt(now)) {
            IdempotencyRecord expired = byExpiry.pollFirst();
            Map<String, IdempotencyRecord> ofOrg = byOrg.get(expired.orgId());
            ofOrg.remove(expired.key());
            if (ofOrg.isEmpty()) {
                byOrg.remove(expired.orgId());
            }
            purged++;
        }
        return purged;
    }
}
