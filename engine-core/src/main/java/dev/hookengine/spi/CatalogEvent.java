package dev.hookengine.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * An event that can trigger webhooks, as the {@link EventCatalog} describes it.
 *
 * @param eventName     unique name that configs subscribe to
 * @param eventLabel    a label for people; the name when {@code null}
 * @param exampleEntity an example entity of the event, for example payloads, or {@code null}
 */
public record CatalogEvent(String eventName, String eventLabel, ObjectNode exampleEntity) {
    public CatalogEvent {
        Objects.requireNonNull(eventName, "eventName");
        exampleEntity = exampleEntity == null ? null : exampleEntity.deepCopy();
    }

    /** The label, or the name when there is no label. */
    public String labelOrName() {
        return eventLabel != null ? eventLabel : eventName;
    }

    @Override
    public ObjectNode exampleEntity() {
        return exampleEntity == null ? null : exampleEntity.deepCopy();
    }
}
