package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A page of the deprecated v1 event listing ({@code getWehookEvents}): the events and an opaque
 * base64 {@code cursor} for the next page, absent on the last one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LegacyEventListResponse(List<WebhookEvent> data, String cursor) {

    public LegacyEventListResponse {
        data = Models.listCopy(data);
    }
}
