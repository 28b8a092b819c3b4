package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What the payload of a delivery includes, and extra request headers (spec:
 * {@code PayloadConfiguration}). {@code custom_headers} is the spec's {@code CustomHeader}: header
 * name to value, in the order given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PayloadConfiguration(
        @JsonProperty("hydrate_entity") Boolean hydrateEntity,
        @JsonProperty("include_relations") Boolean includeRelations,
        @JsonProperty("include_activity") Boolean includeActivity,
        @JsonProperty("include_changed_attributes") Boolean includeChangedAttributes,
        @JsonProperty("apply_changesets") Boolean applyChangesets,
        @JsonProperty("custom_headers") Map<String, String> customHeaders) {

    public PayloadConfiguration {
        customHeaders = Models.orderedCopy(customHeaders);
    }
}
