package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.NewEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@code EventStore#appendEventsOnce} and {@code EventStore#purgeIdempotencyRecords}:
 * the first write of a key stores its record with its events, atomically; a later one returns that
 * record exactly and stores nothing; an expired key is free again; organizations are separate; a
 * refused write leaves the key free; of concurrent writers with one key exactly one wins and the
 * others get its record; the purge takes expired records only, a bounded batch per call.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class IdempotencyContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    IdempotencyContract() {}

    private static final Duration WINDOW = Duration.ofHours(24);

    private static IdempotencyRecord record(String orgId, String key, String tag, Instant createdAt) {
        return new IdempotencyRecord(
                orgId, key, "fingerprint-" + tag, "{\"result\":\"" + tag + "\"}", createdAt, createdAt.plus(WINDOW));
    }

    /** An event of {@code orgId} with one job, as a publish records a delivery. */
    private static NewEvent delivery(String orgId, String eventId, Instant createdAt) {
        WebhookEvent event = event(orgId, eventId, "cfg-1", createdAt, EventStatus.IN_PROGRESS);
        return new NewEvent(event, List.of(job(orgId + "-" + eventId + "-job", event, 0, createdAt)));
    }

    /** An event without a job, as a publish records a skip. */
    private static NewEvent skip(String orgId, String eventId, Instant createdAt) {
        return new NewEvent(event(orgId, eventId, "cfg-2", createdAt, EventStatus.SKIPPED), List.of());
    }

    private boolean exists(NewEvent event) {
        return store.findEvent(event.event().orgId(), event.event().eventId()).isPresent();
    }

    @Test
    void theFirstWriteOfAKeyStoresItsEventsAndJobs() {
        NewEvent delivered = delivery(ORG_A, "evt-1", T0);
        NewEvent skipped = skip(ORG_A, "evt-2", T0);

        assertThat(store.appendEventsOnce(record(ORG_A, "key-1", "first", T0), List.of(delivered, skipped)))
                .isEmpty();

        assertThat(store.findEvent(ORG_A, "evt-1")).contains(delivered.event());
        assertThat(store.findEvent(ORG_A, "evt-2")).contains(skipped.event());
        assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEqualTo(delivered.jobs());
    }

    @Test
    void aLaterWriteOfTheKeyReturnsTheStoredRecordExactlyAndStoresNothing() {
        IdempotencyRecord first = record(ORG_A, "key-1", "first", T0);
        store.appendEventsOnce(first, List.of(delivery(ORG_A, "evt-1", T0)));

        NewEvent second = delivery(ORG_A, "evt-2", at(1_000));
        Optional<IdempotencyRecord> answer =
                store.appendEventsOnce(record(ORG_A, "key-1", "second", at(1_000)), List.of(second));

        assertThat(answer).contains(first);
        assertThat(exists(second)).isFalse();
        assertThat(store.jobsOfEvent(ORG_A, "evt-2")).isEmpty();
        assertThat(store.claim(at(1_000), 10, LEASE, "node")).hasSize(1); // the first event's job only
    }

    @Test
    void aKeyIsTakenUntilItsExpiryAndFreeFromThen() {
        IdempotencyRecord first = record(ORG_A, "key-1", "first", T0);
        store.appendEventsOnce(first, List.of(skip(ORG_A, "evt-1", T0)));
        Instant lastLiveMilli = first.expiresAt().minusMillis(1);

        assertThat(store.appendEventsOnce(
                        record(ORG_A, "key-1", "late", lastLiveMilli), List.of(skip(ORG_A, "evt-2", lastLiveMilli))))
                .contains(first);

        IdempotencyRecord again = record(ORG_A, "key-1", "again", first.expiresAt());
        NewEvent reused = delivery(ORG_A, "evt-3", first.expiresAt());
        assertThat(store.appendEventsOnce(again, List.of(reused))).isEmpty();
        assertThat(exists(reused)).isTrue();
        assertThat(store.findEvent(ORG_A, "evt-1"))
                .as("the first key's events stay")
                .isPresent();
        assertThat(store.appendEventsOnce(
                        record(ORG_A, "key-1", "third", first.expiresAt().plusMillis(1)), List.of()))
                .contains(again);
    }

    @Test
    void organizationsHoldTheSameKeyApart() {
        IdempotencyRecord ofA = record(ORG_A, "shared-key", "a", T0);
        IdempotencyRecord ofB = record(ORG_B, "shared-key", "b", T0);

        assertThat(store.appendEventsOnce(ofA, List.of(delivery(ORG_A, "evt-1", T0))))
                .isEmpty();
        assertThat(store.appendEventsOnce(ofB, List.of(delivery(ORG_B, "evt-1", T0))))
                .isEmpty();

        assertThat(store.appendEventsOnce(record(ORG_A, "shared-key", "x", at(1)), List.of()))
                .contains(ofA);
        assertThat(store.appendEventsOnce(record(ORG_B, "shared-key", "x", at(1)), List.of()))
                .contains(ofB);
    }

    @Test
    void aPublishWithoutEventsTakesItsKeyAllTheSame() {
        IdempotencyRecord empty = record(ORG_A, "key-1", "nothing matched", T0);

        assertThat(store.appendEventsOnce(empty, List.of())).isEmpty();

        assertThat(store.appendEventsOnce(record(ORG_A, "key-1", "x", at(1)), List.of()))
                .contains(empty);
    }

    @Test
    void keysAndResultsComeBackCharacterForCharacter() {
        // 255 UTF-16 code units: accents, characters outside the BMP (two units each), quotes, spaces
        StringBuilder text = new StringBuilder();
        int[] codePoints = " é\"'😀 key/ünïcode".codePoints().toArray();
        for (int i = 0; text.length() + 2 <= IdempotencyRecord.MAX_KEY_LENGTH; i++) {
            text.appendCodePoint(codePoints[i % codePoints.length]);
        }
        String key = text.append("z".repeat(IdempotencyRecord.MAX_KEY_LENGTH - text.length()))
                .toString();
        assertThat(key).hasSize(IdempotencyRecord.MAX_KEY_LENGTH);
        String result = "{\"payload\":\"" + "ü😀\\n\\u0000".repeat(20_000) + "\"}";
        IdempotencyRecord stored =
                new IdempotencyRecord(ORG_A, key, "f".repeat(64), result, at(123), at(123).plus(WINDOW));

        store.appendEventsOnce(stored, List.of());

        assertThat(store.appendEventsOnce(record(ORG_A, key, "x", at(124)), List.of()))
                .contains(stored);
    }

    @Test
    void aRefusedWriteStoresNothingAndLeavesTheKeyFree() {
        NewEvent taken = delivery(ORG_A, "evt-taken", T0);
        append(taken.event(), taken.jobs().toArray(new DeliveryJob[0]));
        NewEvent fresh = delivery(ORG_A, "evt-fresh", T0);

        assertThatThrownBy(() -> store.appendEventsOnce(
                        record(ORG_A, "key-1", "first", T0), List.of(fresh, skip(ORG_A, "evt-taken", T0))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.appendEventsOnce(
                        record(ORG_A, "key-1", "first", T0), List.of(skip(ORG_B, "evt-other-org", T0))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(exists(fresh)).as("an event of the refused write").isFalse();
        assertThat(store.jobsOfEvent(ORG_A, "evt-fresh")).isEmpty();
        assertThat(store.appendEventsOnce(record(ORG_A, "key-1", "retry", at(1)), List.of(fresh)))
                .as("the key is still free")
                .isEmpty();
        assertThat(exists(fresh)).isTrue();
    }

    @Test
    void ofConcurrentWritersWithOneKeyExactlyOneStoresAndTheOthersGetItsRecord() throws Exception {
        int threads = 8;
        for (int round = 0; round < 10; round++) {
            String key = "key-" + round;
            List<Optional<IdempotencyRecord>> answers = runConcurrently(
                    threads,
                    thread -> () -> store.appendEventsOnce(
                            record(ORG_A, key, "writer-" + thread, T0),
                            List.of(delivery(ORG_A, key + "-evt-" + thread, T0))));

            List<Integer> winners = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                if (answers.get(thread).isEmpty()) {
                    winners.add(thread);
                }
            }
            assertThat(winners).as("writers that stored key %s", key).hasSize(1);
            IdempotencyRecord won = record(ORG_A, key, "writer-" + winners.get(0), T0);
            for (int thread = 0; thread < threads; thread++) {
                String eventId = key + "-evt-" + thread;
                if (thread == winners.get(0)) {
                    assertThat(store.findEvent(ORG_A, eventId))
                            .as("the winner's event")
                            .isPresent();
                } else {
                    assertThat(answers.get(thread))
                            .as("writer %d's answer", thread)
                            .contains(won);
                    assertThat(store.findEvent(ORG_A, eventId))
                            .as("writer %d's event", thread)
                            .isEmpty();
                }
            }
        }
    }

    @Test
    void thePurgeDeletesExpiredRecordsOnlyInBoundedBatches() {
        for (int i = 0; i < 5; i++) {
            store.appendEventsOnce(record(ORG_A, "old-" + i, "old", at(i)), List.of(skip(ORG_A, "old-" + i, at(i))));
        }
        store.appendEventsOnce(record(ORG_B, "old-b", "old", at(5)), List.of());
        IdempotencyRecord live = record(ORG_A, "live", "live", at(60_000));
        store.appendEventsOnce(live, List.of());
        Instant now = at(59_999).plus(WINDOW); // every "old" one expired, "live" not

        assertThat(store.purgeIdempotencyRecords(now, 0)).isZero();
        assertThat(store.purgeIdempotencyRecords(now, 4)).isEqualTo(4);
        assertThat(store.purgeIdempotencyRecords(now, 4)).isEqualTo(2);
        assertThat(store.purgeIdempotencyRecords(now, 4)).isZero();

        assertThat(store.appendEventsOnce(record(ORG_A, "live", "x", now), List.of()))
                .as("the live record survives the purge")
                .contains(live);
        assertThat(store.findEvent(ORG_A, "old-0"))
                .as("the purge leaves events to their own retention")
                .isPresent();
    }
}
