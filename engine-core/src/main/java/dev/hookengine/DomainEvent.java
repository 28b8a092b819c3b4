package dev.hookengine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.model.Metadata;
import java.util.List;
import java.util.Objects;

/**
 * Something that happened in the embedding service, to be fanned out to every matching config of
 * its organization by {@link WebhookEngine#publish}.
 *
 * <p>The body is a JSON object with these well-known properties, all optional:
 * <ul>
 *   <li>{@code metadata}: the spec's {@code Metadata} ({@code action}, {@code origin},
 *       {@code user_id}, ...); the engine fills in the webhook, organization, creation time and
 *       correlation id;</li>
 *   <li>{@code entity}: the object the event is about;</li>
 *   <li>{@code relations}, {@code activity}, {@code changed_attributes}: included in a payload when
 *       the config's {@code payloadConfiguration} asks for them;</li>
 *   <li>{@code changesets}: proposed attribute values, laid over the entity when the config asks for
 *       {@code apply_changesets}; never sent as such.</li>
 * </ul>
 * Any other property is passed through to the payload unchanged.
 *
 * @param orgId     the organization whose configs receive the event
 * @param eventName the event configs subscribe to
 * @param body      the event's JSON body, copied on construction; the engine never changes it
 */
public record DomainEvent(String orgId, String eventName, ObjectNode body) {

    public DomainEvent {
        if (orgId == null || orgId.isBlank()) {
            throw new IllegalArgumentException("orgId must not be blank");
        }
        if (eventName == null || eventName.isBlank()) {
            throw new IllegalArgumentException("eventName must not be blank");
        }
        body = body == null ? JsonNodeFactory.instance.objectNode() : body.deepCopy();
    }

    /** A builder for an event of {@code eventName} in {@code orgId}. */
    public static Builder builder(String orgId, String eventName) {
        return new Builder(orgId, eventName);
    }

    /** Builds a {@link DomainEvent} property by property. */
    public static final class Builder {
        /**
         * Writes {@link Metadata} as JSON. The API does not reach into the engine's internals for the
         * engine's mapper; both are Jackson's defaults, the model's annotations decide the form.
         */
        private static final ObjectMapper MAPPER = new ObjectMapper();

        private final String orgId;
        private final String eventName;
        private final ObjectNode body = JsonNodeFactory.instance.objectNode();

        private Builder(String orgId, String eventName) {
            this.orgId = orgId;
            this.eventName = eventName;
        }

        public Builder metadata(Metadata metadata) {
            return property("metadata", MAPPER.valueToTree(Objects.requireNonNull(metadata, "metadata")));
        }

        public Builder entity(ObjectNode entity) {
            return property("entity", entity);
        }

        public Builder relations(List<? extends JsonNode> relations) {
            return property("relations", JsonNodeFactory.instance.arrayNode().addAll(relations));
        }

        public Builder activity(JsonNode activity) {
            return property("activity", activity);
        }

        public Builder changedAttributes(JsonNode changedAttributes) {
            return property("changed_attributes", changedAttributes);
        }

        public Builder changesets(ObjectNode changesets) {
            return property("changesets", changesets);
        }

        /** Any other property, passed through to payloads as is. */
        public Builder property(String name, JsonNode value) {
            body.set(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
            return this;
        }

        public DomainEvent build() {
            return new DomainEvent(orgId, eventName, body);
        }
    }
}
