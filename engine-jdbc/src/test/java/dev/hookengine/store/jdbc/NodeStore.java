package dev.hookengine.store.jdbc;

import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.tck.ForwardingWebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node's view of the shared database in the multi-node tests: it counts every claim per event
 * (into a map all nodes share, so a test can tell which jobs were leased more than once) and can
 * lose the database the way a crashing machine does: after its next claim, its first write and
 * every call after it fail, while the requests of that claim are already on their way.
 */
final class NodeStore extends ForwardingWebhookStore {

    private final Map<String, AtomicInteger> claimsPerEvent;
    private volatile boolean dieOnNextWrite;
    private volatile boolean armed;
    private volatile boolean dead;

    NodeStore(WebhookStore delegate, Map<String, AtomicInteger> claimsPerEvent) {
        super(delegate);
        this.claimsPerEvent = claimsPerEvent;
    }

    /** Loses the database right after the next claim that returns jobs: its outcomes are never written. */
    void crashAfterNextClaim() {
        armed = true;
    }

    boolean isDead() {
        return dead;
    }

    private void requireAlive() {
        if (dead) {
            throw new IllegalStateException("this node lost its database");
        }
    }

    @Override
    public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
        requireAlive();
        List<ClaimedJob> claims = super.claim(now, max, lease, nodeId);
        claims.forEach(claim -> claimsPerEvent
                .computeIfAbsent(claim.job().eventId(), id -> new AtomicInteger())
                .incrementAndGet());
        if (armed && !claims.isEmpty()) {
            dieOnNextWrite = true;
        }
        return claims;
    }

    @Override
    public List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes) {
        if (dieOnNextWrite) {
            dead = true;
        }
        requireAlive();
        return super.recordOutcomes(outcomes);
    }

    @Override
    public Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease) {
        if (dieOnNextWrite) {
            dead = true;
        }
        requireAlive();
        return super.renewLease(claim, now, lease);
    }

    @Override
    public Optional<WebhookEvent> findEvent(String orgId, String eventId) {
        requireAlive();
        return super.findEvent(orgId, eventId);
    }

    @Override
    public List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds) {
        requireAlive();
        return super.findEvents(orgId, eventIds);
    }

    @Override
    public Optional<StoredConfig> findConfig(String orgId, String configId) {
        requireAlive();
        return super.findConfig(orgId, configId);
    }

    @Override
    public QueueStats stats(Instant now) {
        requireAlive();
        return super.stats(now);
    }

    @Override
    public boolean release(ClaimedJob claim) {
        requireAlive();
        return super.release(claim);
    }

    @Override
    public boolean complete(ClaimedJob claim) {
        requireAlive();
        return super.complete(claim);
    }

    @Override
    public boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        requireAlive();
        return super.reschedule(claim, attempt, dueAt);
    }
}
