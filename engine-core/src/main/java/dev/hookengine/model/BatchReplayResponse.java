package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Answer to a batch replay (spec: the 202 body of {@code batchReplayEvents}): the ids of the events replayed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchReplayResponse(
        @JsonProperty("replayed_event_ids") List<String> replayedEventIds) {

    public BatchReplayResponse {
        replayedEventIds = Models.listCopy(replayedEventIds);
    }
}
