package dev.hookengine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;

/**
 * Fetches what an event refers to but does not carry, for configs whose
 * {@code payloadConfiguration} asks for it: the full current entity ({@code hydrate_entity}) and its
 * relations ({@code include_relations}). The embedding service implements it against its own data.
 *
 * <p>The engine calls each method at most once per published event (and per version form of it, for
 * configs pinned at different {@code eventVersion}s), however many configs need the result, failures
 * included, and never changes what it returns. Implementations are thread-safe. An
 * {@link EntityUnavailableException} (the source cannot answer for now) leaves the event
 * {@code in_progress} with code {@code HYDRATION_UNAVAILABLE}: its dispatch is made again later, per
 * the config's {@code retryPolicy}, and each such retry calls the hydrator again for that config's
 * event. Any other exception fails the event for the configs that needed the result, with code
 * {@code HYDRATION_ERROR}. {@code engine-http}'s {@code HttpEntityHydrator} fetches from an HTTP
 * service.
 *
 * <p>{@link #PASS_THROUGH}, the default, uses what the event carries.
 */
public interface EntityHydrator {

    /** Uses the event's own {@code entity} and {@code relations}. */
    EntityHydrator PASS_THROUGH = new EntityHydrator() {};

    /**
     * The full current entity of {@code event}.
     *
     * @return the entity; the default returns the event's {@code entity}, or an empty object when it has none
     */
    default ObjectNode hydrateEntity(DomainEvent event) {
        JsonNode entity = event.body().get("entity");
        return entity instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }

    /**
     * The relations of the event's entity.
     *
     * @param entity the entity as the payload carries it (hydrated when the config asked for that)
     * @return the relations; the default returns the event's {@code relations}, or an empty array
     */
    default ArrayNode relations(DomainEvent event, ObjectNode entity) {
        JsonNode relations = event.body().get("relations");
        return relations instanceof ArrayNode array ? array : JsonNodeFactory.instance.arrayNode();
    }
}
