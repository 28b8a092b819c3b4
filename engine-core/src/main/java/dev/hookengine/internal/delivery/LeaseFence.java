package dev.hookengine.internal.delivery;

import dev.hookengine.EngineConfig;
import dev.hookengine.model.Timestamps;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryQueue;
import java.time.Instant;

/**
 * The lease fence of one attempt: before each exchange with the receiver, it makes sure the claim's
 * lease lasts until that exchange must have ended, renewing the lease first when it would not. A
 * live node therefore never sends a job that another node may have claimed since; an attempt that
 * cannot renew sends nothing ({@link LeaseLost}).
 *
 * <p>One instance per attempt, used by the attempt's thread only.
 */
public final class LeaseFence {

    private final DeliveryQueue queue;
    private final DeliverySettings settings;
    private ClaimedJob held;

    LeaseFence(DeliveryQueue queue, DeliverySettings settings, ClaimedJob claim) {
        this.queue = queue;
        this.settings = settings;
        this.held = claim;
    }

    /**
     * Renews the claim when its lease would end before an exchange started now must have ended, so
     * that no exchange outlives the lease it runs under.
     *
     * @throws LeaseLost when the store does not renew it (lease expired or taken over, or the store failed)
     */
    void beforeExchange() {
        Instant now = Timestamps.now(settings.clock());
        if (!held.leaseExpiresAt().isBefore(now.plus(settings.attemptDeadline()).plus(EngineConfig.EXCHANGE_GRACE))) {
            return;
        }
        try {
            held = queue.renewLease(held, now, settings.lease()).orElseThrow(LeaseLost::new);
        } catch (RuntimeException storeFailed) {
            throw storeFailed instanceof LeaseLost lost ? lost : new LeaseLost();
        }
    }

    /** The claim's lease does not cover another exchange and could not be renewed; nothing is sent. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }
}
