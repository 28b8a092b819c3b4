package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Answer to a trigger (spec: {@code TriggerWebhookResp}). A synchronous trigger carries the first
 * attempt's outcome; an asynchronous one only {@code event_id}. {@code status_code} is a string here,
 * as the spec has it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerWebhookResp(
        @JsonProperty("status_code") String statusCode,
        String message,
        JsonNode body,
        String code,
        EventStatus status,
        @JsonProperty("start_date") @IsoInstant Instant startDate,
        @JsonProperty("end_date") @IsoInstant Instant endDate,
        @JsonProperty("event_id") String eventId) {

    /** The answer of an asynchronous trigger: the id of the event it queued. */
    public static TriggerWebhookResp queued(String eventId) {
        return new TriggerWebhookResp(null, null, null, null, null, null, null, eventId);
    }
}
