package dev.hookengine.internal.delivery;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.ForwardingWebhookStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit of attempt outcomes, waited for and handed in to be written soon, over the real in-memory store. */
class OutcomeWriterTest {

    private static final int THREADS = 16;

    private final InMemoryWebhookStore memory = new InMemoryWebhookStore();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** {@code count} queued events, claimed, each with the outcome "delivered". */
    private List<AttemptOutcome> deliveredOutcomes(int count) {
        for (int i = 0; i < count; i++) {
            WebhookEvent event = event(ORG_A, "evt-" + i, "cfg-1", T0, EventStatus.IN_PROGRESS);
            memory.appendEvent(event, List.of(job("job-" + i, event, 0, T0)));
        }
        List<AttemptOutcome> outcomes = new ArrayList<>();
        for (ClaimedJob claim : memory.claim(at(10), count, Duration.ofMinutes(5), "node-1")) {
            WebhookEvent stored = memory.findEvent(ORG_A, claim.job().eventId()).orElseThrow();
            outcomes.add(new AttemptOutcome(
                    claim,
                    attempt(ORG_A, stored.eventId(), 1, at(20), 200),
                    stored.toBuilder().status(EventStatus.SUCCEEDED).build(),
                    null));
        }
        assertThat(outcomes).hasSize(count);
        return outcomes;
    }

    private List<Boolean> writeConcurrently(OutcomeWriter writer, List<AttemptOutcome> outcomes) throws Exception {
        List<Future<Boolean>> futures = new ArrayList<>();
        outcomes.forEach(outcome -> futures.add(threads.submit(() -> writer.write(outcome))));
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void outcomesArrivingDuringAWriteShareTheNextOne() throws Exception {
        List<AttemptOutcome> outcomes = deliveredOutcomes(THREADS);
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        OutcomeWriter[] writer = new OutcomeWriter[1];
        writer[0] = new OutcomeWriter(
                new ForwardingWebhookStore(memory) {
                    @Override
                    public List<Boolean> recordOutcomes(List<AttemptOutcome> batch) {
                        batchSizes.add(batch.size());
                        if (batchSizes.size() == 1) {
                            // Hold the first write until every other thread has handed in its outcome.
                            while (writer[0].waiting() < THREADS - batch.size()) {
                                Thread.onSpinWait();
                            }
                        }
                        return super.recordOutcomes(batch);
                    }
                },
                THREADS,
                THREADS);

        List<Boolean> written = writeConcurrently(writer[0], outcomes);

        assertThat(written).hasSize(THREADS).containsOnly(true);
        assertThat(batchSizes)
                .as("the first write, then one for everything that arrived during it")
                .hasSize(2);
        assertThat(batchSizes.get(0) + batchSizes.get(1)).isEqualTo(THREADS);
        for (int i = 0; i < THREADS; i++) {
            assertThat(memory.findEvent(ORG_A, "evt-" + i).orElseThrow().status())
                    .isEqualTo(EventStatus.SUCCEEDED);
        }
        assertThat(memory.stats(at(10)).depth()).isZero();
    }

    @Test
    void aBatchNeverExceedsTheMaximum() throws Exception {
        List<AttemptOutcome> outcomes = deliveredOutcomes(THREADS);
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        OutcomeWriter writer = new OutcomeWriter(recording(batchSizes, batch -> null), 4, 4);

        assertThat(writeConcurrently(writer, outcomes)).containsOnly(true);

        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 4));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(THREADS);
    }

    @Test
    void aFailedWriteFailsTheOutcomesItCarriedAndTheNextWriteStillWorks() throws Exception {
        List<AttemptOutcome> outcomes = deliveredOutcomes(2);
        OutcomeWriter writer = new OutcomeWriter(firstWriteFails(), 4, 4);

        assertThatThrownBy(() -> writer.write(outcomes.get(0))).hasMessage("database unavailable");
        assertThat(writer.write(outcomes.get(1))).isTrue();

        assertThat(memory.findEvent(ORG_A, "evt-0").orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(memory.findEvent(ORG_A, "evt-1").orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
    }

    @Test
    void writeSoonReturnsWhileAnotherWriteIsInFlightAndThatWriterWritesItNext() throws Exception {
        List<AttemptOutcome> outcomes = deliveredOutcomes(2);
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        List<String> writtenBy = new CopyOnWriteArrayList<>();
        OutcomeWriter writer = new OutcomeWriter(
                new ForwardingWebhookStore(memory) {
                    @Override
                    public List<Boolean> recordOutcomes(List<AttemptOutcome> batch) {
                        writtenBy.add(Thread.currentThread().getName());
                        if (writtenBy.size() == 1) {
                            firstWriteStarted.countDown();
                            await(releaseFirstWrite);
                        }
                        return super.recordOutcomes(batch);
                    }
                },
                THREADS,
                THREADS);
        List<Boolean> told = new CopyOnWriteArrayList<>();
        Future<?> first = threads.submit(() -> {
            Thread.currentThread().setName("first-writer");
            writer.writeSoon(outcomes.get(0), told::add);
        });
        assertThat(firstWriteStarted.await(30, TimeUnit.SECONDS)).isTrue();

        Future<?> second = threads.submit(() -> writer.writeSoon(outcomes.get(1), told::add));

        second.get(30, TimeUnit.SECONDS); // returned while the first write is still held
        assertThat(first.isDone()).isFalse();
        assertThat(memory.findEvent(ORG_A, "evt-1").orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        releaseFirstWrite.countDown();
        first.get(30, TimeUnit.SECONDS);
        assertThat(writtenBy).containsExactly("first-writer", "first-writer");
        assertThat(told).containsExactly(true, true);
        assertThat(memory.findEvent(ORG_A, "evt-1").orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(memory.stats(at(10)).depth()).isZero();
    }

    @Test
    void writeSoonWaitsForRoomWhenTheMostOutcomesWaitAlready() throws Exception {
        List<AttemptOutcome> outcomes = deliveredOutcomes(2);
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        OutcomeWriter writer = new OutcomeWriter(
                new ForwardingWebhookStore(memory) {
                    @Override
                    public List<Boolean> recordOutcomes(List<AttemptOutcome> batch) {
                        if (firstWriteStarted.getCount() == 1) {
                            firstWriteStarted.countDown();
                            await(releaseFirstWrite);
                        }
                        return super.recordOutcomes(batch);
                    }
                },
                THREADS,
                1);
        Future<?> first = threads.submit(() -> writer.writeSoon(outcomes.get(0), written -> {}));
        assertThat(firstWriteStarted.await(30, TimeUnit.SECONDS)).isTrue();

        Future<?> second = threads.submit(() -> writer.writeSoon(outcomes.get(1), written -> {}));

        assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS))
                .as("no room while the one outcome allowed waits")
                .isInstanceOf(TimeoutException.class);
        releaseFirstWrite.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        assertThat(memory.stats(at(10)).depth()).isZero();
    }

    @Test
    void aFailedSoonWriteLeavesItsJobsLeasedAndGivesBackItsRoom() throws Exception {
        List<AttemptOutcome> outcomes = deliveredOutcomes(2);
        OutcomeWriter writer = new OutcomeWriter(firstWriteFails(), 4, 1);
        List<Boolean> told = new CopyOnWriteArrayList<>();

        writer.writeSoon(outcomes.get(0), told::add);
        writer.writeSoon(outcomes.get(1), told::add); // would wait forever had the failure kept its room

        assertThat(told).as("only the written one is told").containsExactly(true);
        assertThat(memory.findEvent(ORG_A, "evt-0").orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(memory.jobsOfEvent(ORG_A, "evt-0"))
                .as("left leased for another attempt")
                .hasSize(1);
        assertThat(memory.findEvent(ORG_A, "evt-1").orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the write");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The in-memory store, whose first {@code recordOutcomes} fails as an unreachable database would. */
    private ForwardingWebhookStore firstWriteFails() {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        return recording(
                batchSizes, batch -> batchSizes.size() == 1 ? new IllegalStateException("database unavailable") : null);
    }

    /** The in-memory store, noting each write's size and throwing what {@code failure} says, if anything. */
    private ForwardingWebhookStore recording(
            List<Integer> batchSizes, Function<List<AttemptOutcome>, RuntimeException> failure) {
        return new ForwardingWebhookStore(memory) {
            @Override
            public List<Boolean> recordOutcomes(List<AttemptOutcome> batch) {
                batchSizes.add(batch.size());
                RuntimeException thrown = failure.apply(batch);
                if (thrown != null) {
                    throw thrown;
                }
                return super.recordOutcomes(batch);
            }
        };
    }
}
