package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An example payload of a config (spec: {@code ExampleResponse}): metadata, an example entity,
 * example relations, and whatever else the payload would carry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExampleResponse(
        Metadata metadata,
        ObjectNode entity,
        List<ObjectNode> relations,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

    public ExampleResponse {
        relations = Models.listCopy(relations);
        additionalProperties = Models.orderedCopy(additionalProperties);
    }
}
