package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.fullEvent;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.OutcomeCode;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.spi.QueueStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventStore}: an event comes back exactly as appended, with the jobs it was
 * appended with, and a duplicate id stores nothing ({@link Events}); the attempt history
 * ({@link Attempts}); keyset search ({@link Search}, a contract of its own:
 * {@link EventSearchContract}); and retention ({@link Retention}).
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class EventStoreContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    EventStoreContract() {}

    /** {@link EventStore#appendEvent}, {@link EventStore#findEvent} and {@link EventStore#findEvents}. */
    @Nested
    class Events {

        @Test
        void appendedEventRoundTripsEveryFieldExactly() {
            WebhookEvent event = fullEvent(ORG_A, "evt-1", "cfg-1", at(123));

            assertThat(store.appendEvent(event, List.of())).isTrue();

            Optional<WebhookEvent> found = store.findEvent(ORG_A, "evt-1");
            assertThat(found).contains(event);
            assertThat(found.get().createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
        }

        @Test
        void findingAnUnknownEventGivesEmpty() {
            append(event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.SUCCEEDED));

            assertThat(store.findEvent(ORG_A, "evt-2")).isEmpty();
        }

        @Test
        void findingSeveralEventsGivesThoseOfTheOrganizationThatExist() {
            WebhookEvent first = fullEvent(ORG_A, "evt-1", "cfg-1", at(1));
            WebhookEvent second = event(ORG_A, "evt-2", "cfg-2", at(2), EventStatus.IN_PROGRESS);
            append(first);
            append(second);
            append(event(ORG_B, "evt-3", "cfg-1", at(3), EventStatus.IN_PROGRESS));

            assertThat(store.findEvents(ORG_A, List.of("evt-2", "evt-unknown", "evt-3", "evt-1")))
                    .containsExactlyInAnyOrder(first, second);
            assertThat(store.findEvents(ORG_B, List.of("evt-1", "evt-2")))
                    .as("another organization's ids")
                    .isEmpty();
            assertThat(store.findEvents(ORG_A, List.of())).isEmpty();
        }

        @Test
        void appendQueuesTheEventsJobs() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob late = job("job-late", event, 0, at(300));
            DeliveryJob early = job("job-early", event, 0, at(100));
            DeliveryJob middle = job("job-middle", event, 1, at(200));

            assertThat(store.appendEvent(event, List.of(late, early, middle))).isTrue();

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(early, middle, late);
            assertThat(store.stats(at(1000))).isEqualTo(new QueueStats(3, 3, at(100)));
        }

        @Test
        void anEventWithoutJobsQueuesNothing() {
            WebhookEvent skipped = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.SKIPPED);

            assertThat(store.appendEvent(skipped, List.of())).isTrue();

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(skipped);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
            assertThat(store.stats(at(1000))).isEqualTo(new QueueStats(0, 0, null));
            assertThat(store.claim(at(1000), 10, LEASE, "node-1")).isEmpty();
        }

        @Test
        void appendingADuplicateIdReturnsFalseAndStoresNeitherEventNorJobs() {
            WebhookEvent original = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob originalJob = job("job-1", original, 0, at(0));
            append(original, originalJob);
            WebhookEvent duplicate = event(ORG_A, "evt-1", "cfg-2", at(50), EventStatus.SKIPPED).toBuilder()
                    .payload("{\"other\":true}")
                    .build();

            boolean appended = store.appendEvent(duplicate, List.of(job("job-2", duplicate, 0, at(50))));

            assertThat(appended).isFalse();
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(original);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(originalJob);
            assertThat(store.stats(at(1000)).depth()).isEqualTo(1);
            assertThat(store.searchEvents(ORG_A, everything(10)).events()).containsExactly(original);
        }
    }

    /** {@link EventStore#appendEvents}: several events at once, each a unit of its own. */
    @Nested
    class EventBatches {

        @Test
        void eachEventIsStoredWithItsJobsAndJobsDueAtOnceAreQueuedInListOrder() {
            WebhookEvent first = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            WebhookEvent skipped = event(ORG_A, "evt-2", "cfg-1", at(0), EventStatus.SKIPPED);
            WebhookEvent third = fullEvent(ORG_B, "evt-3", "cfg-2", at(0));
            WebhookEvent fourth = event(ORG_A, "evt-4", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob firstJob = job("job-z", first, 0, at(10));
            DeliveryJob thirdJob = job("job-a", third, 0, at(10));
            DeliveryJob fourthJob = job("job-m", fourth, 0, at(10));

            List<Boolean> appended = store.appendEvents(List.of(
                    new NewEvent(first, List.of(firstJob)),
                    new NewEvent(skipped, List.of()),
                    new NewEvent(third, List.of(thirdJob)),
                    new NewEvent(fourth, List.of(fourthJob))));

            assertThat(appended).containsExactly(true, true, true, true);
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(first);
            assertThat(store.findEvent(ORG_A, "evt-2")).contains(skipped);
            assertThat(store.findEvent(ORG_B, "evt-3")).contains(third);
            assertThat(store.jobsOfEvent(ORG_B, "evt-3")).containsExactly(thirdJob);
            assertThat(store.jobsOfEvent(ORG_A, "evt-2")).isEmpty();
            assertThat(jobIds(store.claim(at(10), 10, LEASE, "node-1")))
                    .as("equal due times: the order of the list, not of the ids")
                    .containsExactly("job-z", "job-a", "job-m");
        }

        @Test
        void anEventWhoseIdIsTakenIsRefusedAloneAndTheOthersAreStored() {
            WebhookEvent original = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob originalJob = job("job-1", original, 0, at(0));
            append(original, originalJob);
            WebhookEvent before = event(ORG_A, "evt-0", "cfg-1", at(5), EventStatus.IN_PROGRESS);
            WebhookEvent duplicate = event(ORG_A, "evt-1", "cfg-2", at(5), EventStatus.SKIPPED);
            WebhookEvent after = event(ORG_A, "evt-2", "cfg-1", at(5), EventStatus.IN_PROGRESS);
            WebhookEvent sameIdElsewhere = event(ORG_B, "evt-1", "cfg-1", at(5), EventStatus.IN_PROGRESS);

            List<Boolean> appended = store.appendEvents(List.of(
                    new NewEvent(before, List.of(job("job-before", before, 0, at(5)))),
                    new NewEvent(duplicate, List.of(job("job-duplicate", duplicate, 0, at(5)))),
                    new NewEvent(after, List.of(job("job-after", after, 0, at(5)))),
                    new NewEvent(sameIdElsewhere, List.of())));

            assertThat(appended).containsExactly(true, false, true, true);
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(original);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(originalJob);
            assertThat(store.findEvent(ORG_A, "evt-0")).contains(before);
            assertThat(store.findEvent(ORG_A, "evt-2")).contains(after);
            assertThat(store.findEvent(ORG_B, "evt-1")).contains(sameIdElsewhere);
            assertThat(store.stats(at(1000)).depth()).isEqualTo(3);
        }

        @Test
        void aLargeBatchIsStoredWhole() {
            int count = 2_500; // more than one statement's parameters can carry: a JDBC store splits it
            List<NewEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                WebhookEvent event = event(ORG_A, "evt-" + i, "cfg-1", at(0), EventStatus.IN_PROGRESS);
                events.add(new NewEvent(event, List.of(job(String.format("job-%05d", count - i), event, 0, at(0)))));
            }

            List<Boolean> appended = store.appendEvents(events);

            assertThat(appended).hasSize(count).containsOnly(true);
            assertThat(store.findEvent(ORG_A, "evt-" + (count - 1))).isPresent();
            assertThat(store.stats(at(1000)).depth()).isEqualTo(count);
            assertThat(jobIds(store.claim(at(0), 3, LEASE, "node-1")))
                    .as("queued in list order, not id order")
                    .containsExactly("job-02500", "job-02499", "job-02498");
        }

        @Test
        void anEmptyListStoresNothing() {
            assertThat(store.appendEvents(List.of())).isEmpty();
            assertThat(store.stats(at(1000)).depth()).isZero();
        }

        @Test
        void aJobIdAlreadyQueuedIsRefusedNamingIt() {
            WebhookEvent queued = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(queued, job("job-1", queued, 0, at(0)));
            WebhookEvent clashing = event(ORG_A, "evt-2", "cfg-1", at(5), EventStatus.IN_PROGRESS);

            assertThatThrownBy(() -> store.appendEvents(
                            List.of(new NewEvent(clashing, List.of(job("job-1", clashing, 0, at(5)))))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("job-1");

            assertThat(store.findEvent(ORG_A, "evt-2")).isEmpty();
            assertThat(store.stats(at(1000)).depth()).isEqualTo(1);
        }

        @Test
        void ofConcurrentBatchesNamingOneIdExactlyOneStoresIt() throws Exception {
            int threads = 8;
            List<List<Boolean>> results = runConcurrently(threads, i -> () -> {
                WebhookEvent contested = event(ORG_A, "evt-contested", "cfg-" + i, at(i), EventStatus.IN_PROGRESS);
                WebhookEvent own = event(ORG_A, "evt-own-" + i, "cfg-" + i, at(i), EventStatus.IN_PROGRESS);
                return store.appendEvents(List.of(
                        new NewEvent(contested, List.of(job("job-contested-" + i, contested, 0, at(i)))),
                        new NewEvent(own, List.of(job("job-own-" + i, own, 0, at(i))))));
            });

            assertThat(results).allSatisfy(result -> assertThat(result.get(1)).isTrue());
            assertThat(results.stream().filter(result -> result.get(0))).hasSize(1);
            assertThat(store.jobsOfEvent(ORG_A, "evt-contested")).hasSize(1);
            assertThat(store.stats(at(1000)).depth()).isEqualTo(threads + 1);
        }
    }

    /** {@link EventStore#attemptsOf}: the history that {@code recordOutcomes} writes. */
    @Nested
    class Attempts {

        @Test
        void attemptsComeBackByAttemptNumberExactlyAsAppended() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(event, attemptCarrier(event, 0), attemptCarrier(event, 1), attemptCarrier(event, 2));
            DeliveryAttempt first = attempt(ORG_A, "evt-1", 1, at(1_001), null);
            DeliveryAttempt second = attempt(ORG_A, "evt-1", 2, at(6_002), 503);
            DeliveryAttempt third = new DeliveryAttempt(
                    ORG_A,
                    "evt-1",
                    3,
                    at(306_003),
                    at(306_004),
                    413,
                    OutcomeCode.INTERNAL_RESPONSE_TOO_LARGE.code(),
                    "response over 64 KiB");

            recordAttempt(third);
            recordAttempt(first);
            recordAttempt(second);

            assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(first, second, third);
        }

        @Test
        void anAttemptKeepsItsResponseExcerptAndEveryFieldExactly() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(event, attemptCarrier(event, 0), attemptCarrier(event, 1), attemptCarrier(event, 2));
            // The longest excerpt there is, in characters of one, two and three UTF-8 bytes and in
            // surrogate pairs, with what SQL and JSON escape.
            StringBuilder text = new StringBuilder();
            String pieces = "a'\"\\\n\té€😀<%_;";
            while (text.length() + pieces.length() <= DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS) {
                text.append(pieces);
            }
            while (text.length() < DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS) {
                text.append('x');
            }
            String longest = text.toString();
            DeliveryAttempt answered =
                    new DeliveryAttempt(ORG_A, "evt-1", 1, at(1_001), at(1_734), 503, null, null, longest);
            DeliveryAttempt emptyBody =
                    new DeliveryAttempt(ORG_A, "evt-1", 2, at(6_002), at(6_002), 204, null, null, "");
            DeliveryAttempt noResponse = new DeliveryAttempt(
                    ORG_A,
                    "evt-1",
                    3,
                    at(306_003),
                    at(336_003),
                    null,
                    OutcomeCode.TIMEOUT.code(),
                    "the exchange did not end within 30 s",
                    null);

            recordAttempt(noResponse);
            recordAttempt(answered);
            recordAttempt(emptyBody);

            List<DeliveryAttempt> read = store.attemptsOf(ORG_A, "evt-1");
            assertThat(read).containsExactly(answered, emptyBody, noResponse);
            assertThat(read.get(0).responseExcerpt())
                    .hasSize(DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS)
                    .isEqualTo(longest);
            assertThat(read.get(1).responseExcerpt())
                    .as("an empty body is not a missing one")
                    .isEmpty();
            assertThat(read.get(2).responseExcerpt()).isNull();
        }

        @Test
        void anEventWithoutAttemptsHasNone() {
            append(event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS));

            assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
            assertThat(store.attemptsOf(ORG_A, "evt-unknown")).isEmpty();
        }

        @Test
        void attemptsBelongToTheirEvent() {
            WebhookEvent first = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            WebhookEvent second = event(ORG_A, "evt-2", "cfg-1", at(1), EventStatus.IN_PROGRESS);
            append(first, attemptCarrier(first, 0));
            append(second, attemptCarrier(second, 0), attemptCarrier(second, 1));
            DeliveryAttempt ofFirst = attempt(ORG_A, "evt-1", 1, at(10), 500);
            DeliveryAttempt ofSecond1 = attempt(ORG_A, "evt-2", 1, at(11), 200);
            DeliveryAttempt ofSecond2 = attempt(ORG_A, "evt-2", 2, at(12), 200);

            recordAttempt(ofSecond2);
            recordAttempt(ofFirst);
            recordAttempt(ofSecond1);

            assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(ofFirst);
            assertThat(store.attemptsOf(ORG_A, "evt-2")).containsExactly(ofSecond1, ofSecond2);
        }
    }

    /** {@link EventStore#purgeEvents}: what retention deletes, and how much per call. */
    @Nested
    class Retention {

        @Test
        void purgeDeletesEndedEventsCreatedBeforeTheCutoffInEveryOrganization() {
            Instant cutoff = at(10_000);
            WebhookEvent oldSucceeded = event(ORG_A, "old-succeeded", "cfg-1", at(1), EventStatus.SUCCEEDED);
            WebhookEvent oldFailed = event(ORG_A, "old-failed", "cfg-1", at(2), EventStatus.FAILED);
            WebhookEvent oldSkipped = event(ORG_B, "old-skipped", "cfg-1", cutoff.minusMillis(1), EventStatus.SKIPPED);
            WebhookEvent oldInProgress = event(ORG_A, "old-in-progress", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            WebhookEvent atCutoff = event(ORG_A, "at-cutoff", "cfg-1", cutoff, EventStatus.SUCCEEDED);
            WebhookEvent recent = event(ORG_B, "recent", "cfg-1", at(20_000), EventStatus.FAILED);
            for (WebhookEvent event : List.of(oldSucceeded, oldFailed, oldSkipped, oldInProgress, atCutoff, recent)) {
                append(event);
            }

            assertThat(store.purgeEvents(cutoff, 100)).isEqualTo(3);

            assertThat(store.findEvent(ORG_A, "old-succeeded")).isEmpty();
            assertThat(store.findEvent(ORG_A, "old-failed")).isEmpty();
            assertThat(store.findEvent(ORG_B, "old-skipped")).isEmpty();
            assertThat(store.findEvent(ORG_A, "old-in-progress")).contains(oldInProgress);
            assertThat(store.findEvent(ORG_A, "at-cutoff")).contains(atCutoff);
            assertThat(store.findEvent(ORG_B, "recent")).contains(recent);
            assertThat(store.searchEvents(ORG_A, everything(25)).events()).containsExactly(atCutoff, oldInProgress);
            assertThat(store.searchEvents(ORG_B, everything(25)).events()).containsExactly(recent);
            assertThat(store.purgeEvents(cutoff, 100)).isZero();
        }

        @Test
        void purgeDeletesTheAttemptsOfPurgedEventsOnly() {
            for (WebhookEvent event : List.of(
                    event(ORG_A, "purged", "cfg-1", at(0), EventStatus.FAILED),
                    event(ORG_A, "running", "cfg-1", at(0), EventStatus.IN_PROGRESS),
                    event(ORG_A, "recent", "cfg-1", at(50_000), EventStatus.FAILED))) {
                append(event, attemptCarrier(event, 0), attemptCarrier(event, 1));
            }
            for (String eventId : List.of("purged", "running", "recent")) {
                recordAttempt(attempt(ORG_A, eventId, 1, at(60_000), 500));
                recordAttempt(attempt(ORG_A, eventId, 2, at(70_000), 500));
            }

            assertThat(store.purgeEvents(at(10_000), 100)).isEqualTo(1);

            assertThat(store.attemptsOf(ORG_A, "purged")).isEmpty();
            assertThat(store.attemptsOf(ORG_A, "running")).hasSize(2);
            assertThat(store.attemptsOf(ORG_A, "recent")).hasSize(2);
            // an event appended later under the purged id starts without history
            append(event(ORG_A, "purged", "cfg-1", at(80_000), EventStatus.IN_PROGRESS));
            assertThat(store.attemptsOf(ORG_A, "purged")).isEmpty();
        }

        @Test
        void purgeDeletesAtMostMaxEventsPerCall() {
            assertThat(store.purgeEvents(at(100_000), 5)).as("an empty store").isZero();
            for (int i = 0; i < 10; i++) {
                append(event(i % 2 == 0 ? ORG_A : ORG_B, "ended" + i, "cfg-1", at(i), EventStatus.SUCCEEDED));
            }
            append(event(ORG_A, "running", "cfg-1", at(0), EventStatus.IN_PROGRESS));
            append(event(ORG_B, "recent", "cfg-1", at(200_000), EventStatus.SUCCEEDED));

            List<Integer> purged = new ArrayList<>();
            for (int call = 0; call < 4; call++) {
                purged.add(store.purgeEvents(at(100_000), 4));
            }

            assertThat(purged).containsExactly(4, 4, 2, 0);
            assertThat(store.searchEvents(ORG_A, everything(25)).events())
                    .extracting(WebhookEvent::eventId)
                    .containsExactly("running");
            assertThat(store.searchEvents(ORG_B, everything(25)).events())
                    .extracting(WebhookEvent::eventId)
                    .containsExactly("recent");
        }
    }

    /** {@link EventStore#searchEvents}, a contract of its own. */
    @Nested
    class Search extends EventSearchContract {}
}
