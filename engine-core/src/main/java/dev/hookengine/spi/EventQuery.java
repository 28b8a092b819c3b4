package dev.hookengine.spi;

import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventStatus;
import java.time.Instant;

/**
 * What {@link EventStore#searchEvents} looks for. Every filter is optional ({@code null}); the
 * filters that are set must all hold.
 *
 * @param configId only events of this config
 * @param status   only events with this status
 * @param eventId  only the event with this id
 * @param from     only events created at or after this instant
 * @param to       only events created at or before this instant
 * @param after    only events after this position in the listing order ({@code created_at}
 *                 descending, then {@code event_id} descending): created strictly before
 *                 {@code after.createdAt}, or at the same instant with a smaller {@code event_id}
 * @param limit    the most events to return, at least 1
 */
public record EventQuery(
        String configId, EventStatus status, String eventId, Instant from, Instant to, EventCursor after, int limit) {

    public EventQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (after != null && (after.createdAt() == null || after.eventId() == null)) {
            throw new IllegalArgumentException("a cursor needs both created_at and event_id");
        }
    }

    /** The first page of one config's events, unfiltered. */
    public static EventQuery ofConfig(String configId, int limit) {
        return new EventQuery(configId, null, null, null, null, null, limit);
    }

    /** The same query, continuing after {@code cursor}. */
    public EventQuery after(EventCursor cursor) {
        return new EventQuery(configId, status, eventId, from, to, cursor, limit);
    }
}
