package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Filters and position of an event search (spec: {@code SearchOptions}). {@code limit} is
 * {@value #MIN_LIMIT} to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}; {@code status} is one of
 * {@code succeeded}, {@code failed}, {@code skipped}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchOptions(
        Integer limit,
        EventCursor cursor,
        TimestampRange timestamp,
        @JsonProperty("event_id") String eventId,
        EventStatus status) {

    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 25;
    public static final int DEFAULT_LIMIT = 25;

    /** No filters, the first page. */
    public static SearchOptions firstPage() {
        return new SearchOptions(null, null, null, null, null);
    }
}
