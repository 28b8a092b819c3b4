package dev.hookengine.internal.event;

import dev.hookengine.model.Timestamps;
import dev.hookengine.spi.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Retention: deletes ended events older than the retention period, a bounded batch per store call
 * until none is left, then the expired idempotency keys likewise, then the signing keys that
 * expired after a rotation. The workers run it
 * hourly; {@code purgeExpiredEvents} runs it on demand.
 */
public final class EventRetention {

    private static final int PURGE_BATCH = 1_000;

    private final WebhookStore store;
    private final Clock clock;
    private final Duration retention;

    public EventRetention(WebhookStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** @return how many events were deleted */
    public int purge() {
        Instant now = Timestamps.now(clock);
        Instant cutoff = now.minus(retention);
        int total = 0;
        int deleted;
        do {
            deleted = store.purgeEvents(cutoff, PURGE_BATCH);
            total += deleted;
        } while (deleted == PURGE_BATCH);
        // Expired idempotency keys, a bounded batch per call as well. Their events are not touched:
        // those follow the events' retention above.
        int keys;
        do {
            keys = store.purgeIdempotencyRecords(now, PURGE_BATCH);
        } while (keys == PURGE_BATCH);
        store.purgeExpiredKeys(now);
        return total;
    }
}
