package dev.hookengine.spi;

import dev.hookengine.model.EventCursor;
import dev.hookengine.model.WebhookEvent;
import java.util.List;

/**
 * One page of an event search.
 *
 * @param events  at most the query's limit, newest first
 * @param hasMore whether events matching the query exist past the last one returned
 */
public record EventPage(List<WebhookEvent> events, boolean hasMore) {

    public EventPage {
        events = List.copyOf(events);
    }

    /** The cursor that continues after this page, or {@code null} when there is nothing more. */
    public EventCursor nextCursor() {
        if (!hasMore || events.isEmpty()) {
            return null;
        }
        WebhookEvent last = events.get(events.size() - 1);
        return new EventCursor(last.createdAt(), last.eventId());
    }
}
