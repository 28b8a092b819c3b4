package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Keyset position in an event listing (spec: {@code SearchOptions.cursor},
 * {@code EventListResponse.next_cursor}): the {@code created_at} and {@code event_id} of the last
 * event of the previous page. Events are listed newest first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventCursor(
        @JsonProperty("created_at") @IsoInstant Instant createdAt,
        @JsonProperty("event_id") String eventId) {}
