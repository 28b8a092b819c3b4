package dev.hookengine.benchmarks.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.benchmarks.Payloads;
import dev.hookengine.model.Timestamps;
import java.time.Instant;

/**
 * The events of a load run and, for the baseline, the bodies the engine would make of them.
 *
 * <p>Every event is the ~2 KiB order of {@link Payloads} plus a top-level {@code load_seq}, which the
 * engine passes through to the payload and the {@link DeliveryCounter} reads back. The baseline body
 * is built the way the engine builds a payload for a config without {@code payloadConfiguration}:
 * the event's {@code metadata} with the webhook, organization, creation time and correlation id
 * added, the {@code entity}, then the other properties; so both runs send the same bytes but for the
 * values of ids and times. The runs through the standalone server publish the same event as JSON
 * ({@link #publishBody}).
 */
final class LoadPayloads {

    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectNode eventMetadata = Payloads.eventMetadata();
    private final ObjectNode entity = Payloads.entity();

    /** The event for sequence number {@code seq}, addressed to {@code target}'s config only. */
    DomainEvent event(LoadTarget target, long seq) {
        return DomainEvent.builder(target.orgId(), target.eventName())
                .property("metadata", eventMetadata)
                .entity(entity)
                .property(DeliveryCounter.SEQ_FIELD, LongNode.valueOf(seq))
                .build();
    }

    /**
     * The body of {@code POST /v1/webhooks/events} for sequence number {@code seq}: {@code eventName},
     * the same {@code metadata} and {@code entity} as {@link #event}, and {@code load_seq} last, which the
     * server passes through to the webhook's payload.
     */
    byte[] publishBody(String eventName, long seq) {
        ObjectNode body = mapper.createObjectNode();
        body.put("eventName", eventName);
        body.set("metadata", eventMetadata);
        body.set("entity", entity);
        body.put(DeliveryCounter.SEQ_FIELD, seq);
        return bytes(body);
    }

    /** The body the engine would send to {@code target} for sequence number {@code seq}. */
    byte[] body(LoadTarget target, String configId, long seq, Instant acceptedAt, String correlationId) {
        ObjectNode metadata = eventMetadata.deepCopy();
        metadata.put("webhook_id", configId);
        metadata.put("webhook_name", target.name());
        metadata.put("organization_id", target.orgId());
        metadata.put("creation_timestamp", Timestamps.format(acceptedAt));
        metadata.put("correlation_id", correlationId);
        ObjectNode payload = mapper.createObjectNode();
        payload.set("metadata", metadata);
        payload.set("entity", entity);
        payload.put(DeliveryCounter.SEQ_FIELD, seq);
        return bytes(payload);
    }

    private byte[] bytes(ObjectNode tree) {
        try {
            return mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
