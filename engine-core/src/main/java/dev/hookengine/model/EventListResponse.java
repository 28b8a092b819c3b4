package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A page of events, newest first (spec: {@code EventListResponse}). {@code next_cursor} is written
 * as {@code null}, not left out, on the last page.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventListResponse(
        List<WebhookEvent> data,

        @JsonProperty("next_cursor") @JsonInclude(JsonInclude.Include.ALWAYS)
        EventCursor nextCursor,

        @JsonProperty("has_more") Boolean hasMore) {

    public EventListResponse {
        data = Models.listCopy(data);
    }
}
