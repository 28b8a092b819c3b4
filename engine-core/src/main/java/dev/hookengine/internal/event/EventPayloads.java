package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.model.PayloadConfiguration;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.EntityHydrator;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Builds the payloads of one event, one per config: {@code {metadata, entity, relations?, activity?,
 * changed_attributes?, ...}} as each config's {@code payloadConfiguration} asks.
 *
 * <ul>
 *   <li>{@code metadata}: the event's metadata, with {@code webhook_id} and {@code webhook_name} of
 *       the config, {@code organization_id}, and, unless the event set them, {@code creation_timestamp}
 *       (when the engine accepted the event) and {@code correlation_id} (one per event, shared by all
 *       its configs).</li>
 *   <li>{@code entity}: as the event carries it, or from {@link EntityHydrator#hydrateEntity} with
 *       {@code hydrate_entity}; with {@code apply_changesets}, the event's {@code changesets} laid over
 *       its top-level attributes.</li>
 *   <li>{@code relations} with {@code include_relations} (through the hydrator), {@code activity} with
 *       {@code include_activity}, {@code changed_attributes} with {@code include_changed_attributes},
 *       each when the event has it.</li>
 *   <li>Every other property of the event, unchanged; {@code changesets} is never sent.</li>
 * </ul>
 *
 * <p>The hydrator is called at most once per event for each thing it provides, whatever the number of
 * configs. Payloads share the event's unchanged parts instead of copying them; nothing here changes
 * a node once built. One instance serves one event on one thread.
 */
public final class EventPayloads {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> GOVERNED =
            Set.of("metadata", "entity", "relations", "activity", "changed_attributes", "changesets");

    private final DomainEvent event;
    private final EntityHydrator hydrator;
    private final String creationTimestamp;
    private final String correlationId;
    private ObjectNode hydrated;
    private ObjectNode hydratedWithChangesets;
    private ObjectNode plainWithChangesets;
    private ArrayNode relationsOfHydrated;
    private ArrayNode relationsOfPlain;

    public EventPayloads(DomainEvent event, EntityHydrator hydrator, Instant acceptedAt, String correlationId) {
        this.event = event;
        this.hydrator = hydrator;
        this.creationTimestamp = Timestamps.format(acceptedAt);
        this.correlationId = correlationId;
    }

    /**
     * The payload for {@code config}.
     *
     * @throws HydrationException when the hydrator fails
     */
    public ObjectNode payloadFor(WebhookConfig config) {
        PayloadConfiguration options = config.payloadConfiguration();
        boolean hydrate = options != null && Boolean.TRUE.equals(options.hydrateEntity());
        boolean changesets = options != null && Boolean.TRUE.equals(options.applyChangesets());
        ObjectNode body = event.body();
        ObjectNode payload = NODES.objectNode();
        payload.set("metadata", metadata(config));
        ObjectNode entity = entity(hydrate, changesets);
        if (entity != null) {
            payload.set("entity", entity);
        }
        if (options != null) {
            if (Boolean.TRUE.equals(options.includeRelations())) {
                payload.set("relations", relations(hydrate, entity));
            }
            copyIf(options.includeActivity(), "activity", body, payload);
            copyIf(options.includeChangedAttributes(), "changed_attributes", body, payload);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!GOVERNED.contains(field.getKey())) {
                payload.set(field.getKey(), field.getValue());
            }
        }
        return payload;
    }

    private ObjectNode metadata(WebhookConfig config) {
        JsonNode given = event.body().get("metadata");
        ObjectNode metadata = given instanceof ObjectNode object ? object.deepCopy() : NODES.objectNode();
        metadata.put("webhook_id", config.id());
        metadata.put("webhook_name", config.name());
        metadata.put("organization_id", event.orgId());
        if (!metadata.hasNonNull("creation_timestamp")) {
            metadata.put("creation_timestamp", creationTimestamp);
        }
        if (!metadata.hasNonNull("correlation_id")) {
            metadata.put("correlation_id", correlationId);
        }
        return metadata;
    }

    private ObjectNode entity(boolean hydrate, boolean applyChangesets) {
        if (hydrate) {
            if (hydrated == null) {
                hydrated = hydrate(() -> hydrator.hydrateEntity(event), "entity");
            }
            if (!applyChangesets) {
                return hydrated;
            }
            if (hydratedWithChangesets == null) {
                hydratedWithChangesets = withChangesets(hydrated);
            }
            return hydratedWithChangesets;
        }
        JsonNode given = event.body().get("entity");
        ObjectNode plain = given instanceof ObjectNode object ? object : null;
        if (!applyChangesets || plain == null) {
            return plain;
        }
        if (plainWithChangesets == null) {
            plainWithChangesets = withChangesets(plain);
        }
        return plainWithChangesets;
    }

    private ObjectNode withChangesets(ObjectNode entity) {
        JsonNode changesets = event.body().get("changesets");
        if (!(changesets instanceof ObjectNode proposed) || proposed.isEmpty()) {
            return entity;
        }
        ObjectNode merged = entity.deepCopy();
        proposed.fields().forEachRemaining(change -> merged.set(change.getKey(), change.getValue()));
        return merged;
    }

    private ArrayNode relations(boolean hydrated, ObjectNode entity) {
        ObjectNode of = entity == null ? NODES.objectNode() : entity;
        if (hydrated) {
            if (relationsOfHydrated == null) {
                relationsOfHydrated = hydrate(() -> hydrator.relations(event, of), "relations");
            }
            return relationsOfHydrated;
        }
        if (relationsOfPlain == null) {
            relationsOfPlain = hydrate(() -> hydrator.relations(event, of), "relations");
        }
        return relationsOfPlain;
    }

    private static void copyIf(Boolean wanted, String name, ObjectNode from, ObjectNode to) {
        if (Boolean.TRUE.equals(wanted) && from.has(name)) {
            to.set(name, from.get(name));
        }
    }

    private static <T extends JsonNode> T hydrate(java.util.function.Supplier<T> call, String what) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            throw new HydrationException("the entity hydrator failed to provide " + what + ": " + e.getMessage(), e);
        }
        if (result == null) {
            throw new HydrationException("the entity hydrator returned no " + what, null);
        }
        return result;
    }

    /**
     * The {@link EntityHydrator} failed; the event fails for the configs that needed it
     * ({@link dev.hookengine.OutcomeCode#HYDRATION_ERROR}).
     */
    public static final class HydrationException extends RuntimeException {
        HydrationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
