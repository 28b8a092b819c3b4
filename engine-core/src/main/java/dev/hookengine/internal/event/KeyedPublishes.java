package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.PublishResult;
import dev.hookengine.internal.Digests;
import dev.hookengine.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine keeps of a publish made with an idempotency key, in the two opaque texts of an
 * {@link dev.hookengine.spi.IdempotencyRecord}: the event's fingerprint, and the publish's result.
 *
 * <p><b>Fingerprint</b>: SHA-256, in hex, of the event's organization, name and body as JSON with
 * every object's properties sorted by name, so that a retry whose JSON lists the same properties in
 * another order is the same event. Values are compared as JSON writes them: {@code 1} and
 * {@code 1.0} are different events.
 *
 * <p><b>Result</b>: the {@link PublishResult} as JSON, each dispatch with its kind, config, payload
 * and body, reason or code and message. The publish that stored it answers with the result read back
 * from that JSON too, so that every caller of one key gets equal results, whichever stored it.
 */
final class KeyedPublishes {

    private static final ObjectWriter SORTED = Json.MAPPER.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);

    private KeyedPublishes() {}

    /** The event's fingerprint: hex SHA-256 of its organization, name and body, properties sorted. */
    static String fingerprint(DomainEvent event) {
        ObjectNode identity = Json.MAPPER.createObjectNode();
        identity.put("orgId", event.orgId()).put("eventName", event.eventName()).set("body", event.body());
        String canonical;
        try {
            canonical = SORTED.writeValueAsString(identity);
        } catch (Exception e) {
            throw new IllegalArgumentException("the event's body cannot be written as JSON", e);
        }
        return Digests.sha256Hex(canonical);
    }

    /** The result as the record keeps it. */
    static String write(PublishResult result) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        ArrayNode eventIds = json.putArray("eventIds");
        result.eventIds().forEach(eventIds::add);
        ArrayNode dispatches = json.putArray("dispatches");
        for (Dispatch dispatch : result.dispatches()) {
            ObjectNode item = dispatches.addObject();
            item.put("configId", dispatch.configId()).set("payload", dispatch.payload());
            if (dispatch instanceof Dispatch.Deliver deliver) {
                item.put("kind", "deliver")
                        .put("orderingKey", deliver.orderingKey())
                        .set("body", deliver.body());
            } else if (dispatch instanceof Dispatch.Skip skip) {
                item.put("kind", "skip").put("reason", skip.reason());
            } else if (dispatch instanceof Dispatch.Fail fail) {
                item.put("kind", "fail").put("code", fail.code()).put("message", fail.message());
            }
        }
        return json.toString();
    }

    /** A result as {@link #write} wrote it. */
    static PublishResult read(String stored) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(stored);
        } catch (Exception e) {
            throw new IllegalStateException("a stored publish result is not readable JSON", e);
        }
        List<String> eventIds = new ArrayList<>();
        json.path("eventIds").forEach(id -> eventIds.add(id.asText()));
        List<Dispatch> dispatches = new ArrayList<>();
        for (JsonNode item : json.path("dispatches")) {
            String configId = item.path("configId").asText();
            ObjectNode payload = item.get("payload") instanceof ObjectNode object ? object : null;
            String kind = item.path("kind").asText();
            dispatches.add(
                    switch (kind) {
                        case "deliver" ->
                            new Dispatch.Deliver(
                                    configId,
                                    payload,
                                    item.get("body"),
                                    item.path("orderingKey").textValue());
                        case "skip" ->
                            new Dispatch.Skip(
                                    configId, payload, item.path("reason").asText());
                        case "fail" ->
                            new Dispatch.Fail(
                                    configId,
                                    payload,
                                    item.path("code").asText(),
                                    item.path("message").asText());
                        default -> throw new IllegalStateException("a stored dispatch of unknown kind: " + kind);
                    });
        }
        return new PublishResult(dispatches, eventIds);
    }
}
