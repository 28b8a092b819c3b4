package dev.hookengine.spi;

import java.util.List;
import java.util.Optional;

/**
 * The events an embedding service can emit: their names, labels and example entities. Read by
 * {@code getConfiguredEvents} and {@code getWebhookExample}; the embedding service fills it.
 *
 * <p>Implementations are thread-safe and fast: the engine does not cache what they return.
 */
@FunctionalInterface
public interface EventCatalog {

    /** A catalog with no events. */
    EventCatalog EMPTY = orgId -> List.of();

    /**
     * The events configs of {@code orgId} can subscribe to, in the order to show them; empty when none.
     */
    List<CatalogEvent> events(String orgId);

    /** The event of that name, or empty. */
    default Optional<CatalogEvent> find(String orgId, String eventName) {
        return events(orgId).stream()
                .filter(event -> event.eventName().equals(eventName))
                .findFirst();
    }

    /** The same events for every organization. */
    static EventCatalog of(List<CatalogEvent> events) {
        List<CatalogEvent> copy = List.copyOf(events);
        return orgId -> copy;
    }
}
