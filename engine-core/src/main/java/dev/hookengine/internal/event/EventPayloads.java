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
import dev.hookengine.spi.EntityUnavailableException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
 * <p>Each config gets the event in the form of its pinned {@code eventVersion} ({@link EventVersions}:
 * as it is, or its downgrade; the dispatch fails with {@code EVENT_VERSION_UNAVAILABLE} when there is
 * none). The hydrator sees the event in that form, and is called at most once per event and form for
 * each thing it provides, whatever the number of configs: a failure is kept and answered again too,
 * so that a hydrator that fails is not asked again by every config of the event. Payloads share the
 * event's unchanged parts instead of copying them; nothing here changes a node once built. One
 * instance serves one event on one thread.
 */
public final class EventPayloads {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> GOVERNED =
            Set.of("metadata", "entity", "relations", "activity", "changed_attributes", "changesets");

    private final DomainEvent event;
    private final EntityHydrator hydrator;
    private final String creationTimestamp;
    private final String correlationId;
    /** The event's forms by the pin they were built for ({@code ""}: no pin); most events have one. */
    private final Map<String, Form> forms = new HashMap<>(2);

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
     * @throws EventVersions.Unavailable when the event has no form for the config's {@code eventVersion}
     */
    public ObjectNode payloadFor(WebhookConfig config) {
        PayloadConfiguration options = config.payloadConfiguration();
        boolean hydrate = options != null && Boolean.TRUE.equals(options.hydrateEntity());
        boolean changesets = options != null && Boolean.TRUE.equals(options.applyChangesets());
        Form form = formFor(config.eventVersion());
        ObjectNode body = form.event.body();
        ObjectNode payload = NODES.objectNode();
        payload.set("metadata", metadata(config, body));
        ObjectNode entity = form.entity(hydrate, changesets);
        if (entity != null) {
            payload.set("entity", entity);
        }
        if (options != null) {
            if (Boolean.TRUE.equals(options.includeRelations())) {
                payload.set("relations", form.relations(hydrate, entity));
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

    /**
     * The event as recorded for a dispatch made again later ({@link Redispatches}): its body as
     * published, with the {@code creation_timestamp} and {@code correlation_id} this publish gave it
     * in its metadata, so that the payload built later carries the same ones as its siblings'.
     */
    ObjectNode source() {
        ObjectNode source = event.body().deepCopy();
        JsonNode given = source.get("metadata");
        ObjectNode metadata = given instanceof ObjectNode object ? object : source.putObject("metadata");
        if (!metadata.hasNonNull("creation_timestamp")) {
            metadata.put("creation_timestamp", creationTimestamp);
        }
        if (!metadata.hasNonNull("correlation_id")) {
            metadata.put("correlation_id", correlationId);
        }
        return source;
    }

    private Form formFor(String pin) {
        String key = pin == null ? "" : pin;
        Form form = forms.get(key);
        if (form == null) {
            ObjectNode body = EventVersions.bodyFor(event, pin);
            form = new Form(body == event.body() ? event : new DomainEvent(event.orgId(), event.eventName(), body));
            forms.put(key, form);
        }
        return form;
    }

    private ObjectNode metadata(WebhookConfig config, ObjectNode body) {
        JsonNode given = body.get("metadata");
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

    /** One form of the event (as published, or a downgrade) and what the hydrator said of it. */
    private final class Form {
        private final DomainEvent event;
        private Hydrated<ObjectNode> hydrated;
        private ObjectNode hydratedWithChangesets;
        private ObjectNode plainWithChangesets;
        private Hydrated<ArrayNode> relationsOfHydrated;
        private Hydrated<ArrayNode> relationsOfPlain;

        Form(DomainEvent event) {
            this.event = event;
        }

        ObjectNode entity(boolean hydrate, boolean applyChangesets) {
            if (hydrate) {
                if (hydrated == null) {
                    hydrated = hydrate(() -> hydrator.hydrateEntity(event), "entity");
                }
                ObjectNode entity = hydrated.get();
                if (!applyChangesets) {
                    return entity;
                }
                if (hydratedWithChangesets == null) {
                    hydratedWithChangesets = withChangesets(entity);
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

        ArrayNode relations(boolean ofHydrated, ObjectNode entity) {
            ObjectNode of = entity == null ? NODES.objectNode() : entity;
            if (ofHydrated) {
                if (relationsOfHydrated == null) {
                    relationsOfHydrated = hydrate(() -> hydrator.relations(event, of), "relations");
                }
                return relationsOfHydrated.get();
            }
            if (relationsOfPlain == null) {
                relationsOfPlain = hydrate(() -> hydrator.relations(event, of), "relations");
            }
            return relationsOfPlain.get();
        }
    }

    private static void copyIf(Boolean wanted, String name, ObjectNode from, ObjectNode to) {
        if (Boolean.TRUE.equals(wanted) && from.has(name)) {
            to.set(name, from.get(name));
        }
    }

    /** What one call of the hydrator gave: a result, or the failure to answer again. */
    private record Hydrated<T>(T result, HydrationException failure) {
        T get() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    private static <T extends JsonNode> Hydrated<T> hydrate(Supplier<T> call, String what) {
        T result;
        try {
            result = call.get();
        } catch (EntityUnavailableException e) {
            return new Hydrated<>(
                    null,
                    new HydrationException(
                            "the entity hydrator could not provide " + what + " for now: " + e.getMessage(), e, true));
        } catch (RuntimeException e) {
            return new Hydrated<>(
                    null,
                    new HydrationException(
                            "the entity hydrator failed to provide " + what + ": " + e.getMessage(), e, false));
        }
        if (result == null) {
            return new Hydrated<>(null, new HydrationException("the entity hydrator returned no " + what, null, false));
        }
        return new Hydrated<>(result, null);
    }

    /**
     * The {@link EntityHydrator} failed; the event fails for the configs that needed it
     * ({@link dev.hookengine.OutcomeCode#HYDRATION_ERROR}), or, when it could not answer for now
     * ({@link #unavailable()}), waits for its dispatch to be made again
     * ({@link dev.hookengine.OutcomeCode#HYDRATION_UNAVAILABLE}).
     */
    public static final class HydrationException extends RuntimeException {
        private final boolean unavailable;

        HydrationException(String message, Throwable cause, boolean unavailable) {
            super(message, cause);
            this.unavailable = unavailable;
        }

        /** Whether a later call may succeed ({@link EntityUnavailableException}). */
        public boolean unavailable() {
            return unavailable;
        }
    }
}
