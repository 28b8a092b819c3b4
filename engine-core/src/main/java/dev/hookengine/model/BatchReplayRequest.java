package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Replay of {@value #MIN_EVENTS} to {@value #MAX_EVENTS} events of one config (spec: {@code BatchReplayRequest}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchReplayRequest(
        List<String> eventIds,
        @JsonProperty("reapply_transform") Boolean reapplyTransform) {

    public static final int MIN_EVENTS = 1;
    public static final int MAX_EVENTS = 100;

    public BatchReplayRequest {
        eventIds = Models.listCopy(eventIds);
    }
}
