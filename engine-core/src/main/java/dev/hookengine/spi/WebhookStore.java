package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the engine keeps: configs, the event log, the delivery queue, signing keys and
 * organization variables. A store implements all of it over one backing storage, so that an
 * event and its delivery jobs can be written together.
 *
 * <p>Each part's contract is on its own interface. {@code engine-store-tck}'s
 * {@code WebhookStoreContract} is the executable form of those contracts, one contract per part: a
 * store is correct when it passes it. {@code dev.hookengine.store.support} holds helpers for store
 * authors.
 */
public interface WebhookStore extends ConfigStore, EventStore, DeliveryQueue, SigningKeyStore, VariableStore {

    /**
     * Claims due jobs as {@link #claim} does and reads their events as {@link #findEvents} does, in one
     * call: a delivery round's reads. The default makes those calls, one {@code findEvents} per
     * organization; a store that can do both in one round trip overrides it (the JDBC store on
     * PostgreSQL does).
     *
     * <p>The claims are made exactly as {@link #claim} makes them, with the same contract; if reading
     * the events fails, the claims are released before the failure is thrown, so that another round
     * takes them at once rather than after their lease.
     *
     * @return the claimed jobs in {@link #claim}'s order, each with its event, or with none when the
     *         organization no longer has it; empty when no job is claimable
     * @throws IllegalArgumentException when {@code max < 1} or {@code lease} is not positive
     */
    default List<ClaimedDelivery> claimDeliveries(Instant now, int max, Duration lease, String nodeId) {
        List<ClaimedJob> claims = claim(now, max, lease, nodeId);
        if (claims.isEmpty()) {
            return List.of();
        }
        Map<String, WebhookEvent> events = new HashMap<>();
        try {
            Map<String, Set<String>> eventIdsByOrg = new HashMap<>();
            for (ClaimedJob claim : claims) {
                eventIdsByOrg
                        .computeIfAbsent(claim.job().orgId(), org -> new HashSet<>())
                        .add(claim.job().eventId());
            }
            eventIdsByOrg.forEach((orgId, eventIds) -> {
                for (WebhookEvent event : findEvents(orgId, eventIds)) {
                    events.put(orgId + '\u0000' + event.eventId(), event);
                }
            });
        } catch (RuntimeException e) {
            for (ClaimedJob claim : claims) {
                try {
                    release(claim);
                } catch (RuntimeException again) {
                    e.addSuppressed(again); // its lease expires instead
                }
            }
            throw e;
        }
        List<ClaimedDelivery> deliveries = new ArrayList<>(claims.size());
        for (ClaimedJob claim : claims) {
            WebhookEvent event =
                    events.get(claim.job().orgId() + '\u0000' + claim.job().eventId());
            deliveries.add(new ClaimedDelivery(claim, Optional.ofNullable(event)));
        }
        return deliveries;
    }
}
