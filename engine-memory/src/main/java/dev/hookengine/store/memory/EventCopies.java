package dev.hookengine.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.WebhookEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of events that share no mutable state with the caller's: the in-memory store keeps events
 * as objects, and a caller that changes a JSON node of an event it gave or got (a response body, an
 * extra metadata property) must not change the stored one.
 */
final class EventCopies {

    private EventCopies() {}

    /**
     * The event as the store keeps it: a {@link #copy}, holding the body once when {@code payload}
     * and {@code original_payload} are equal, as they are for every config without a transform.
     * The body is most of an event's heap: kept twice, a 1.8 KB body made up 70 % of the 5.3 KB
     * that a delivery waiting for its retry cost (benchmarks/README.md, "Load harness").
     */
    static WebhookEvent storedForm(WebhookEvent event) {
        WebhookEvent copy = copy(event);
        String payload = copy.payload();
        String original = copy.originalPayload();
        // (payload == original: already one instance, nothing to share)
        if (payload == null || original == null || payload == original || !payload.equals(original)) {
            return copy;
        }
        return copy.toBuilder().originalPayload(payload).build();
    }

    /**
     * A copy of {@code event} that shares no mutable state with it: the JSON nodes of the response body
     * and of the extra metadata properties are deep-copied.
     */
    static WebhookEvent copy(WebhookEvent event) {
        EventHttpResponse response = event.httpResponse();
        Metadata metadata = event.metadata();
        boolean copyResponse = response != null && response.body() != null;
        boolean copyMetadata = metadata != null
                && metadata.additionalProperties() != null
                && !metadata.additionalProperties().isEmpty();
        if (!copyResponse && !copyMetadata) {
            return event;
        }
        WebhookEvent.Builder builder = event.toBuilder();
        if (copyResponse) {
            builder.httpResponse(new EventHttpResponse(
                    response.statusCode(), response.message(), response.body().deepCopy(), response.code()));
        }
        if (copyMetadata) {
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            metadata.additionalProperties()
                    .forEach((name, value) -> properties.put(name, value == null ? null : value.deepCopy()));
            builder.metadata(
                    metadata.toBuilder().additionalProperties(properties).build());
        }
        return builder.build();
    }
}
