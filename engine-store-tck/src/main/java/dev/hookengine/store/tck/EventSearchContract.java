package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.NEWEST_FIRST;
import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.isAfter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventStore#searchEvents}: the listing order ({@code created_at} descending,
 * then {@code event_id} descending), keyset paging that neither skips nor repeats an event through
 * groups of equal timestamps, the last page without more or cursor, a cursor that names no stored
 * event, and every filter alone and combined with paging.
 *
 * <p>Part of {@link EventStoreContract}.
 */
public abstract class EventSearchContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    EventSearchContract() {}

    private static List<String> ids(List<WebhookEvent> events) {
        return events.stream().map(WebhookEvent::eventId).toList();
    }

    /** Appends events in a shuffled order, so that insertion order says nothing about listing order. */
    private List<WebhookEvent> appendShuffled(List<WebhookEvent> events) {
        List<WebhookEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(20260101));
        shuffled.forEach(event -> append(event));
        return events;
    }

    /**
     * 40 events of {@code ORG_A} over 7 distinct instants (so up to 6 share a {@code created_at}),
     * three configs and every status, with ids whose order is unrelated to time.
     */
    private List<WebhookEvent> mixedDataset() {
        List<Integer> idNumbers = IntStream.range(0, 40).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(idNumbers, new Random(7));
        EventStatus[] statuses = EventStatus.values();
        List<WebhookEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(event(
                    ORG_A,
                    String.format("evt%03d", idNumbers.get(i)),
                    "cfg-" + (i % 3),
                    at((i % 7) * 1000L),
                    statuses[i % statuses.length]));
        }
        return appendShuffled(events);
    }

    private List<WebhookEvent> expected(List<WebhookEvent> all, Predicate<WebhookEvent> filter) {
        return all.stream().filter(filter).sorted(NEWEST_FIRST).toList();
    }

    /**
     * Pages through {@code query} with {@link EventPage#nextCursor()}, checking every page
     * against the slice of {@code expected} it must hold, and returns the concatenated pages.
     */
    private List<WebhookEvent> pageThrough(EventQuery query, List<WebhookEvent> expected) {
        List<WebhookEvent> seen = new ArrayList<>();
        EventQuery next = query;
        for (int pageNumber = 0; pageNumber <= expected.size() + 1; pageNumber++) {
            EventPage page = store.searchEvents(ORG_A, next);
            int from = seen.size();
            int to = Math.min(from + query.limit(), expected.size());
            assertThat(page.events())
                    .as("page %d of %s", pageNumber, query)
                    .containsExactlyElementsOf(expected.subList(from, to));
            boolean more = to < expected.size();
            assertThat(page.hasMore())
                    .as("hasMore of page %d of %s", pageNumber, query)
                    .isEqualTo(more);
            seen.addAll(page.events());
            if (!more) {
                assertThat(page.nextCursor()).as("nextCursor of the last page").isNull();
                return seen;
            }
            WebhookEvent last = page.events().get(page.events().size() - 1);
            assertThat(page.nextCursor()).isEqualTo(new EventCursor(last.createdAt(), last.eventId()));
            next = query.after(page.nextCursor());
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void anOrganizationWithoutEventsGivesAnEmptyLastPage() {
        EventPage page = store.searchEvents(ORG_A, everything(25));

        assertThat(page.events()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void aQueryMatchingNothingGivesAnEmptyLastPage() {
        List<WebhookEvent> all = mixedDataset();

        EventPage noConfig = store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-none", 25));
        EventPage beforeEverything = store.searchEvents(ORG_A, everything(25).after(new EventCursor(at(-1), "zzz")));
        EventPage emptyRange = store.searchEvents(ORG_A, new EventQuery(null, null, null, at(500), at(999), null, 25));

        for (EventPage page : List.of(noConfig, beforeEverything, emptyRange)) {
            assertThat(page.events()).isEmpty();
            assertThat(page.hasMore()).isFalse();
            assertThat(page.nextCursor()).isNull();
        }
        assertThat(all).hasSize(40);
    }

    @Test
    void eventsComeNewestFirstWithTiesBrokenByIdDescending() {
        List<WebhookEvent> all = mixedDataset();

        EventPage page = store.searchEvents(ORG_A, everything(100));

        assertThat(page.events()).containsExactlyElementsOf(expected(all, event -> true));
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void pagingThroughATieGroupNeitherSkipsNorRepeats() {
        List<WebhookEvent> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(event(ORG_A, "old" + i, "cfg-1", at(1000 + i), EventStatus.SUCCEEDED));
            all.add(event(ORG_A, "new" + i, "cfg-1", at(9000 + i), EventStatus.SUCCEEDED));
        }
        for (int i = 0; i < 12; i++) {
            // 12 events sharing one created_at, ids deliberately not in insertion order
            all.add(event(ORG_A, String.format("tie%02d", (i * 5) % 12), "cfg-1", at(5000), EventStatus.FAILED));
        }
        appendShuffled(all);
        List<WebhookEvent> expected = expected(all, event -> true);
        assertThat(expected).hasSize(22);

        for (int pageSize : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 21, 22, 23}) {
            List<WebhookEvent> paged = pageThrough(everything(pageSize), expected);

            assertThat(paged).as("page size %d", pageSize).containsExactlyElementsOf(expected);
            assertThat(new HashSet<>(ids(paged))).as("page size %d", pageSize).hasSize(22);
        }
    }

    @Test
    void theLastPageHasNoMoreAndNoCursor() {
        List<WebhookEvent> all = appendShuffled(IntStream.range(0, 5)
                .mapToObj(i -> event(ORG_A, "evt" + i, "cfg-1", at(i * 10L), EventStatus.SUCCEEDED))
                .toList());

        EventPage first = store.searchEvents(ORG_A, everything(2));
        EventPage second = store.searchEvents(ORG_A, everything(2).after(first.nextCursor()));
        EventPage third = store.searchEvents(ORG_A, everything(2).after(second.nextCursor()));

        assertThat(ids(first.events())).containsExactly("evt4", "evt3");
        assertThat(first.hasMore()).isTrue();
        assertThat(first.nextCursor()).isEqualTo(new EventCursor(at(30), "evt3"));
        assertThat(ids(second.events())).containsExactly("evt2", "evt1");
        assertThat(second.hasMore()).isTrue();
        assertThat(ids(third.events())).containsExactly("evt0");
        assertThat(third.hasMore()).isFalse();
        assertThat(third.nextCursor()).isNull();
        assertThat(all).hasSize(5);
    }

    @Test
    void aPageExactlyFilledByTheLastEventsHasNoMore() {
        appendShuffled(IntStream.range(0, 6)
                .mapToObj(i -> event(ORG_A, "evt" + i, "cfg-1", at(i < 3 ? 0 : 1000), EventStatus.SUCCEEDED))
                .toList());

        EventPage first = store.searchEvents(ORG_A, everything(3));
        EventPage second = store.searchEvents(ORG_A, everything(3).after(first.nextCursor()));
        EventPage whole = store.searchEvents(ORG_A, everything(6));

        assertThat(ids(first.events())).containsExactly("evt5", "evt4", "evt3");
        assertThat(first.hasMore()).isTrue();
        assertThat(ids(second.events())).containsExactly("evt2", "evt1", "evt0");
        assertThat(second.hasMore()).isFalse();
        assertThat(second.nextCursor()).isNull();
        assertThat(whole.events()).hasSize(6);
        assertThat(whole.hasMore()).isFalse();
        assertThat(whole.nextCursor()).isNull();
    }

    @Test
    void aCursorNeedNotNameAStoredEvent() {
        List<WebhookEvent> all = mixedDataset();
        List<EventCursor> cursors = List.of(
                new EventCursor(at(3000), "evt020"), // inside a tie group, between stored ids
                new EventCursor(at(3000), "evt999"), // before the whole tie group
                new EventCursor(at(3000), "aaa"), // after the whole tie group
                new EventCursor(at(2500), "evt020"), // between two instants
                new EventCursor(at(99_000), "evt000")); // newer than every event

        for (EventCursor cursor : cursors) {
            List<WebhookEvent> expected = expected(all, event -> isAfter(event, cursor));

            EventPage page = store.searchEvents(ORG_A, everything(100).after(cursor));

            assertThat(page.events()).as("after %s", cursor).containsExactlyElementsOf(expected);
            assertThat(page.hasMore()).isFalse();
        }
    }

    @Test
    void statusFilterCombinesWithTheCursor() {
        List<WebhookEvent> all = mixedDataset();

        for (EventStatus status : EventStatus.values()) {
            List<WebhookEvent> expected = expected(all, event -> event.status() == status);
            assertThat(expected).isNotEmpty();

            List<WebhookEvent> paged = pageThrough(new EventQuery(null, status, null, null, null, null, 3), expected);

            assertThat(paged).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void configFilterCombinesWithTheCursor() {
        List<WebhookEvent> all = mixedDataset();

        for (String configId : List.of("cfg-0", "cfg-1", "cfg-2")) {
            List<WebhookEvent> expected =
                    expected(all, event -> event.webhookConfigId().equals(configId));
            assertThat(expected).hasSizeGreaterThan(10);

            List<WebhookEvent> paged = pageThrough(EventQuery.ofConfig(configId, 4), expected);

            assertThat(paged).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void eventIdFilterFindsOnlyThatEvent() {
        List<WebhookEvent> all = mixedDataset();
        WebhookEvent target = all.get(17);
        EventStatus otherStatus = target.status() == EventStatus.FAILED ? EventStatus.SUCCEEDED : EventStatus.FAILED;

        EventPage byId = store.searchEvents(ORG_A, new EventQuery(null, null, target.eventId(), null, null, null, 5));
        EventPage byIdAndConfig = store.searchEvents(
                ORG_A,
                new EventQuery(target.webhookConfigId(), target.status(), target.eventId(), null, null, null, 5));
        EventPage byIdWrongStatus =
                store.searchEvents(ORG_A, new EventQuery(null, otherStatus, target.eventId(), null, null, null, 5));
        EventPage byIdWrongConfig =
                store.searchEvents(ORG_A, new EventQuery("cfg-none", null, target.eventId(), null, null, null, 5));
        EventPage byIdOutOfRange = store.searchEvents(
                ORG_A,
                new EventQuery(null, null, target.eventId(), target.createdAt().plusMillis(1), null, null, 5));
        EventPage cursorPastIt = store.searchEvents(
                ORG_A,
                new EventQuery(
                        null,
                        null,
                        target.eventId(),
                        null,
                        null,
                        new EventCursor(target.createdAt(), target.eventId()),
                        5));
        EventPage cursorBeforeIt = store.searchEvents(
                ORG_A,
                new EventQuery(
                        null,
                        null,
                        target.eventId(),
                        null,
                        null,
                        new EventCursor(target.createdAt().plusMillis(1), "evt000"),
                        5));
        EventPage unknown = store.searchEvents(ORG_A, new EventQuery(null, null, "evt-unknown", null, null, null, 5));

        assertThat(byId.events()).containsExactly(target);
        assertThat(byId.hasMore()).isFalse();
        assertThat(byIdAndConfig.events()).containsExactly(target);
        assertThat(byIdWrongStatus.events()).isEmpty();
        assertThat(byIdWrongConfig.events()).isEmpty();
        assertThat(byIdOutOfRange.events()).isEmpty();
        assertThat(cursorPastIt.events()).isEmpty();
        assertThat(cursorBeforeIt.events()).containsExactly(target);
        assertThat(unknown.events()).isEmpty();
        assertThat(unknown.hasMore()).isFalse();
    }

    @Test
    void fromAndToAreInclusiveBounds() {
        List<WebhookEvent> all = mixedDataset();
        Instant from = at(2000);
        Instant to = at(5000);

        List<WebhookEvent> expected = expected(
                all,
                event -> !event.createdAt().isBefore(from) && !event.createdAt().isAfter(to));
        assertThat(expected).extracting(WebhookEvent::createdAt).contains(from, to);

        assertThat(pageThrough(new EventQuery(null, null, null, from, to, null, 2), expected))
                .containsExactlyElementsOf(expected);
        assertThat(pageThrough(
                        new EventQuery(null, null, null, from, null, null, 5),
                        expected(all, event -> !event.createdAt().isBefore(from))))
                .extracting(WebhookEvent::createdAt)
                .allMatch(createdAt -> !createdAt.isBefore(from));
        assertThat(pageThrough(
                        new EventQuery(null, null, null, null, to, null, 5),
                        expected(all, event -> !event.createdAt().isAfter(to))))
                .extracting(WebhookEvent::createdAt)
                .allMatch(createdAt -> !createdAt.isAfter(to));
        EventCursor newerThanTo = new EventCursor(to.plusMillis(1500), "evt000");
        assertThat(all)
                .as("events between the upper bound and the cursor")
                .anyMatch(event -> event.createdAt().isAfter(to) && isAfter(event, newerThanTo));
        assertThat(pageThrough(new EventQuery(null, null, null, from, to, newerThanTo, 3), expected))
                .as("a cursor newer than the upper bound")
                .containsExactlyElementsOf(expected);
        assertThat(pageThrough(
                        new EventQuery(null, null, null, to, to, null, 2),
                        expected(all, event -> event.createdAt().equals(to))))
                .isNotEmpty()
                .extracting(WebhookEvent::createdAt)
                .containsOnly(to);
    }

    @Test
    void everyFilterCombinesWithPaging() {
        List<WebhookEvent> all = mixedDataset();
        Instant from = at(1000);
        Instant to = at(5000);
        int checkedQueries = 0;

        for (String configId : List.of("cfg-0", "cfg-2")) {
            for (EventStatus status : List.of(EventStatus.SUCCEEDED, EventStatus.IN_PROGRESS)) {
                List<WebhookEvent> expected = expected(
                        all,
                        event -> event.webhookConfigId().equals(configId)
                                && event.status() == status
                                && !event.createdAt().isBefore(from)
                                && !event.createdAt().isAfter(to));
                EventQuery query = new EventQuery(configId, status, null, from, to, null, 1);

                assertThat(pageThrough(query, expected)).containsExactlyElementsOf(expected);
                checkedQueries += expected.isEmpty() ? 0 : 1;
            }
        }
        assertThat(checkedQueries).as("queries with a non-empty result").isGreaterThan(1);
    }

    @Test
    void searchSeesUpdatedStatuses() {
        WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
        append(event, attemptCarrier(event, 0));
        WebhookEvent done = event.toBuilder().status(EventStatus.SUCCEEDED).build();

        recordOutcome(attempt(ORG_A, "evt-1", 1, at(10), 200), done);

        assertThat(store.searchEvents(ORG_A, new EventQuery(null, EventStatus.IN_PROGRESS, null, null, null, null, 5))
                        .events())
                .isEmpty();
        assertThat(store.searchEvents(ORG_A, new EventQuery(null, EventStatus.SUCCEEDED, null, null, null, null, 5))
                        .events())
                .containsExactly(done);
    }
}
