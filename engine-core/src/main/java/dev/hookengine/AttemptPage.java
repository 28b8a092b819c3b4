package dev.hookengine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A page of an event's attempts, oldest first ({@link WebhookEngine#getEventAttempts}; a hookengine
 * extension). Shaped like the spec's {@code EventListResponse}: {@code data}, {@code next_cursor}
 * (written as {@code null}, not left out, on the last page) and {@code has_more}. The cursor is
 * opaque: pass it back as it came.
 *
 * @param data       the attempts, by attempt number ascending
 * @param nextCursor where the next page starts, or {@code null} when this is the last page
 * @param hasMore    whether more attempts follow this page; {@code true} exactly when there is a {@code nextCursor}
 */
public record AttemptPage(
        List<EventAttempt> data,

        @JsonProperty("next_cursor") @JsonInclude(JsonInclude.Include.ALWAYS)
        String nextCursor,

        @JsonProperty("has_more") boolean hasMore) {

    /** Attempts a page holds when the caller names no {@code limit}. */
    public static final int DEFAULT_LIMIT = 25;
    /** The fewest attempts a caller may ask a page for. */
    public static final int MIN_LIMIT = 1;
    /** The most attempts a caller may ask a page for. */
    public static final int MAX_LIMIT = 100;

    public AttemptPage {
        data = List.copyOf(data);
    }
}
