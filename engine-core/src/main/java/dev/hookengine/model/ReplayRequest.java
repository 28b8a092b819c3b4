package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Options of a replay (spec: {@code ReplayRequest}): with {@code reapply_transform} the pipeline runs
 * again on the original payload with the config as it is now; without, the delivered payload is sent again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayRequest(
        @JsonProperty("reapply_transform") Boolean reapplyTransform) {}
