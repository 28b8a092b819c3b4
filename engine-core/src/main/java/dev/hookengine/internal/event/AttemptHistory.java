package dev.hookengine.internal.event;

import dev.hookengine.AttemptPage;
import dev.hookengine.EventAttempt;
import dev.hookengine.FieldError;
import dev.hookengine.NotFoundException;
import dev.hookengine.ValidationException;
import dev.hookengine.internal.config.ConfigService;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.EventStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an event's attempts back a page at a time, oldest first ({@code getEventAttempts}).
 *
 * <p>The page is cut here, from {@link EventStore#attemptsOf}, not in the store: an event has at most
 * {@code 1 + RetryPolicy.MAX_ATTEMPTS} attempts (six), so its whole history is a few KiB, and no
 * store needs a paged read for it. The cursor names the last attempt number given out (base64url of
 * {@code after:<n>}, opaque to callers); the next page holds the attempts numbered above it. Attempt
 * numbers of one event are distinct and grow: each is the job's count plus one, written only under
 * the lease that made the attempt ({@code DeliveryQueue.recordOutcomes}), which moves the count on.
 */
public final class AttemptHistory {

    private static final String SUBJECT = "attempt listing";
    private static final String CURSOR_PREFIX = "after:";
    private static final Pattern CURSOR = Pattern.compile("after:([1-9][0-9]{0,8})");

    private final EventStore store;

    public AttemptHistory(EventStore store) {
        this.store = store;
    }

    /**
     * A page of the attempts of the organization's event {@code eventId} of config {@code configId}.
     *
     * @param limit  attempts at most, {@link AttemptPage#MIN_LIMIT} to {@link AttemptPage#MAX_LIMIT};
     *               {@code null} for {@link AttemptPage#DEFAULT_LIMIT}
     * @param cursor a {@code next_cursor} this method gave out, or {@code null} for the first page
     * @throws ValidationException naming {@code limit} and {@code cursor} when they are wrong
     * @throws NotFoundException   when the organization has no such event of this config
     */
    public AttemptPage page(String orgId, String configId, String eventId, Integer limit, String cursor) {
        ConfigService.requireOrg(orgId);
        List<FieldError> errors = new ArrayList<>();
        int size = limit == null ? AttemptPage.DEFAULT_LIMIT : limit;
        if (size < AttemptPage.MIN_LIMIT || size > AttemptPage.MAX_LIMIT) {
            errors.add(new FieldError(
                    "limit",
                    "must be an integer from " + AttemptPage.MIN_LIMIT + " to " + AttemptPage.MAX_LIMIT + ", was "
                            + size));
        }
        int after = 0;
        if (cursor != null) {
            after = afterAttempt(cursor);
            if (after < 0) {
                errors.add(new FieldError("cursor", "is not a cursor this API gave out"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(SUBJECT, errors);
        }
        // Like getEventById: another config's event, or another organization's, is not found.
        store.findEvent(orgId, eventId)
                .filter(found -> found.webhookConfigId().equals(configId))
                .orElseThrow(() -> new NotFoundException("webhook event", eventId));
        List<EventAttempt> page = new ArrayList<>(size);
        boolean hasMore = false;
        for (DeliveryAttempt attempt : store.attemptsOf(orgId, eventId)) {
            if (attempt.attempt() <= after) {
                continue;
            }
            if (page.size() == size) {
                hasMore = true;
                break;
            }
            page.add(EventAttempt.of(attempt));
        }
        String next = hasMore ? cursorAfter(page.get(page.size() - 1).attempt()) : null;
        return new AttemptPage(page, next, hasMore);
    }

    private static String cursorAfter(int attempt) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + attempt).getBytes(StandardCharsets.US_ASCII));
    }

    /** The attempt number a cursor names, or -1 when it is not a cursor {@link #cursorAfter} made. */
    private static int afterAttempt(String cursor) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException notBase64) {
            return -1;
        }
        Matcher matcher = CURSOR.matcher(decoded);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
