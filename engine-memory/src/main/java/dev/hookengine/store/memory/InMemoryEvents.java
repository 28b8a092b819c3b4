package dev.hookengine.store.memory;

import static dev.hookengine.store.memory.InMemoryLog.LISTING_ORDER;

import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.EventStats;
import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.spi.StatsQuery;
import dev.hookengine.store.memory.InMemoryLog.EventKey;
import dev.hookengine.store.memory.InMemoryLog.OrgLog;
import dev.hookengine.store.support.StoreArguments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link EventStore} of {@link InMemoryWebhookStore}: each organization's events in the
 * {@link InMemoryLog} it shares with the queue part, by id and in listing order, so that a search
 * walks from its cursor or its time bound instead of sorting. Events are copied on the way in and
 * on the way out ({@link EventCopies}).
 */
final class InMemoryEvents implements EventStore {

    private final InMemoryLog shared;

    InMemoryEvents(InMemoryLog shared) {
        this.shared = shared;
    }

    @Override
    public boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs) {
        StoreArguments.requireAppendable(event, jobs);
        WebhookEvent copy = EventCopies.storedForm(event);
        return shared.locked(() -> shared.append(copy, jobs));
    }

    @Override
    public Optional<WebhookEvent> findEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        WebhookEvent found = shared.locked(() -> {
            OrgLog log = shared.logs.get(orgId);
            return log == null ? null : log.events.get(eventId);
        });
        return Optional.ofNullable(found).map(EventCopies::copy);
    }

    @Override
    public List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventIds, "eventIds");
        List<WebhookEvent> found = shared.locked(() -> {
            OrgLog log = shared.logs.get(orgId);
            List<WebhookEvent> events = new ArrayList<>();
            if (log != null) {
                for (String eventId : eventIds) {
                    WebhookEvent event = log.events.get(eventId);
                    if (event != null) {
                        events.add(event);
                    }
                }
            }
            return events;
        });
        found.replaceAll(EventCopies::copy);
        return found;
    }

    @Override
    public EventPage searchEvents(String orgId, EventQuery query) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(query, "query");
        List<WebhookEvent> found = shared.locked(() -> {
            OrgLog log = shared.logs.get(orgId);
            if (log == null) {
                return List.of();
            }
            List<WebhookEvent> matches = new ArrayList<>();
            if (query.eventId() != null) {
                WebhookEvent event = log.events.get(query.eventId());
                if (event != null && matches(event, query)) {
                    matches.add(event);
                }
                return matches;
            }
            // start at the later (in listing order) of the cursor and the upper time bound
            NavigableMap<EventKey, WebhookEvent> view = log.listing;
            EventKey start = null;
            boolean inclusive = false;
            if (query.after() != null) {
                start = new EventKey(query.after().createdAt(), query.after().eventId());
            }
            if (query.to() != null) {
                EventKey upper = new EventKey(query.to(), null);
                if (start == null || LISTING_ORDER.compare(upper, start) > 0) {
                    start = upper;
                    inclusive = true;
                }
            }
            if (start != null) {
                view = view.tailMap(start, inclusive);
            }
            for (WebhookEvent event : view.values()) {
                if (query.from() != null && event.createdAt().isBefore(query.from())) {
                    break;
                }
                if (matches(event, query)) {
                    matches.add(event);
                    if (matches.size() > query.limit()) {
                        break;
                    }
                }
            }
            return matches;
        });
        boolean hasMore = found.size() > query.limit();
        List<WebhookEvent> page = hasMore ? found.subList(0, query.limit()) : found;
        return new EventPage(page.stream().map(EventCopies::copy).toList(), hasMore);
    }

    /** Whether {@code event} satisfies every filter of {@code query}, the cursor included. */
    private static boolean matches(WebhookEvent event, EventQuery query) {
        if (query.configId() != null && !query.configId().equals(event.webhookConfigId())) {
            return false;
        }
        if (query.status() != null && query.status() != event.status()) {
            return false;
        }
        if (query.eventId() != null && !query.eventId().equals(event.eventId())) {
            return false;
        }
        if (query.from() != null && event.createdAt().isBefore(query.from())) {
            return false;
        }
        if (query.to() != null && event.createdAt().isAfter(query.to())) {
            return false;
        }
        EventCursor after = query.after();
        return after == null
                || LISTING_ORDER.compare(EventKey.of(event), new EventKey(after.createdAt(), after.eventId())) > 0;
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return shared.locked(() -> {
            OrgLog log = shared.logs.get(orgId);
            return log == null ? List.of() : List.copyOf(log.attempts.getOrDefault(eventId, List.of()));
        });
    }

    @Override
    public EventStats deliveryStats(String orgId, StatsQuery query) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(query, "query");
        int count = query.intervalCount();
        long[][] byStatus = new long[count][EventStatus.values().length];
        List<List<Long>> durations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            durations.add(new ArrayList<>());
        }
        shared.locked(() -> {
            OrgLog log = shared.logs.get(orgId);
            if (log == null) {
                return null;
            }
            // Listing order is newest first: start just before the last millisecond of the range
            // (a key without id stands before every event of its instant), stop before `from`.
            EventKey newest = new EventKey(query.to().minusMillis(1), null);
            for (WebhookEvent event : log.listing.tailMap(newest, true).values()) {
                if (event.createdAt().isBefore(query.from())) {
                    break;
                }
                if (!query.configId().equals(event.webhookConfigId())) {
                    continue;
                }
                int interval = query.intervalOf(event.createdAt());
                byStatus[interval][event.status().ordinal()]++;
                for (DeliveryAttempt attempt : log.attempts.getOrDefault(event.eventId(), List.of())) {
                    durations.get(interval).add(attempt.durationMillis());
                }
            }
            return null;
        });
        List<EventStats.Interval> intervals = new ArrayList<>();
        List<Long> allDurations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (Arrays.stream(byStatus[i]).sum() == 0) {
                continue;
            }
            allDurations.addAll(durations.get(i));
            intervals.add(EventStats.Interval.of(query.intervalStart(i), byStatus[i], latencyOf(durations.get(i))));
        }
        return EventStats.of(intervals, query.from(), latencyOf(allDurations));
    }

    private static EventStats.Latency latencyOf(List<Long> durations) {
        return EventStats.Latency.ofSorted(
                durations.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    @Override
    public int purgeEvents(Instant cutoff, int max) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (max < 1) {
            return 0;
        }
        return shared.locked(() -> {
            int purged = 0;
            Iterator<Map.Entry<String, OrgLog>> orgs = shared.logs.entrySet().iterator();
            while (orgs.hasNext() && purged < max) {
                OrgLog log = orgs.next().getValue();
                // oldest first
                Iterator<WebhookEvent> oldest =
                        log.listing.descendingMap().values().iterator();
                while (oldest.hasNext() && purged < max) {
                    WebhookEvent event = oldest.next();
                    if (!event.createdAt().isBefore(cutoff)) {
                        break;
                    }
                    if (hasEnded(event)) {
                        oldest.remove();
                        log.events.remove(event.eventId());
                        log.attempts.remove(event.eventId());
                        purged++;
                    }
                }
                if (log.isEmpty()) {
                    orgs.remove();
                }
            }
            return purged;
        });
    }

    @Override
    public Optional<IdempotencyRecord> appendEventsOnce(IdempotencyRecord record, List<NewEvent> events) {
        StoreArguments.requireKeyedAppend(record, events);
        List<NewEvent> copies = events.stream()
                .map(event -> new NewEvent(EventCopies.storedForm(event.event()), event.jobs()))
                .toList();
        return shared.locked(() -> {
            IdempotencyRecord live = shared.keys.live(record.orgId(), record.key(), record.createdAt());
            if (live != null) {
                return Optional.of(live);
            }
            shared.appendAll(copies);
            shared.keys.put(record);
            return Optional.empty();
        });
    }

    @Override
    public int purgeIdempotencyRecords(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        return max < 1 ? 0 : shared.locked(() -> shared.keys.purge(now, max));
    }

    private static boolean hasEnded(WebhookEvent event) {
        return event.status() == EventStatus.SUCCEEDED
                || event.status() == EventStatus.FAILED
                || event.status() == EventStatus.SKIPPED;
    }
}
