package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The payload of a trigger (spec: {@code ExecutionPayload}): {@code metadata} plus any other
 * properties ({@code entity}, {@code relations}, ...), which are kept as given.
 *
 * <p>Their order is not: Jackson 2 hands a record's any-setter its properties in reverse order
 * (jackson-databind#5353, fixed in Jackson 3.2). JSON objects are unordered, so no receiver may
 * depend on it; the signature covers the bytes as sent, whatever their order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionPayload(
        Metadata metadata, @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

    public ExecutionPayload {
        additionalProperties = Models.orderedCopy(additionalProperties);
    }
}
