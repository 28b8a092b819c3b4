package dev.hookengine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit behind outcomes and publishes, over a write function that records its calls (the
 * stores' own batches are tested by the store contract).
 */
class GroupCommitTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWriting = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** Writes every item but those starting with "taken", as a store refuses a duplicate id. */
    private List<Boolean> record(List<String> items) {
        calls.add(List.copyOf(items));
        return items.stream().map(item -> !item.startsWith("taken")).toList();
    }

    /** A group commit over {@link #record} whose write of the item "first" waits for {@link #releaseFirst}. */
    private GroupCommit<String> holdingTheFirstWrite(int maxBatch) {
        return new GroupCommit<>(
                items -> {
                    if (items.contains("first")) {
                        firstWriting.countDown();
                        await(releaseFirst);
                    }
                    return record(items);
                },
                maxBatch);
    }

    /** Writes "first" on another thread and returns once that write is in flight, held. */
    private Future<List<Boolean>> startTheHeldWrite(GroupCommit<String> commits) throws InterruptedException {
        Future<List<Boolean>> first = threads.submit(() -> commits.write(List.of("first")));
        assertThat(firstWriting.await(10, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @Test
    void aLoneCallerWritesItsItemsAtOnceInOneCallInOrder() {
        GroupCommit<String> commits = new GroupCommit<>(this::record, 16);

        assertThat(commits.write(List.of("a", "taken-b", "c"))).containsExactly(true, false, true);

        assertThat(calls).containsExactly(List.of("a", "taken-b", "c"));
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void nothingToWriteCallsNothing() {
        GroupCommit<String> commits = new GroupCommit<>(this::record, 16);

        assertThat(commits.write(List.of())).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void callersWaitingWhileOneWritesShareTheNextCallAndEachGetsItsOwnAnswers() throws Exception {
        GroupCommit<String> commits = holdingTheFirstWrite(16);
        Future<List<Boolean>> first = startTheHeldWrite(commits);
        List<Future<List<Boolean>>> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String caller = "caller-" + i;
            others.add(threads.submit(() -> commits.write(List.of(caller + "-x", "taken-" + caller))));
        }
        while (commits.waiting() < 4) {
            Thread.onSpinWait(); // the four are queued behind the write in flight
        }

        releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(true);
        for (Future<List<Boolean>> other : others) {
            assertThat(other.get(10, TimeUnit.SECONDS)).containsExactly(true, false);
        }
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1))
                .hasSize(8)
                .as("a caller's items stay together, in order")
                .satisfies(items -> {
                    for (int i = 0; i < items.size(); i += 2) {
                        assertThat(items.get(i + 1))
                                .isEqualTo("taken-" + items.get(i).replace("-x", ""));
                    }
                });
    }

    @Test
    void aCallNeverCarriesMoreThanTheMaximumButACallersItemsAreNeverSplit() throws Exception {
        GroupCommit<String> commits = holdingTheFirstWrite(3);
        Future<List<Boolean>> first = startTheHeldWrite(commits);
        Future<List<Boolean>> big = threads.submit(() -> commits.write(List.of("b1", "b2", "b3", "b4")));
        while (commits.waiting() < 1) {
            Thread.onSpinWait();
        }
        Future<List<Boolean>> small = threads.submit(() -> commits.write(List.of("s1")));
        while (commits.waiting() < 2) {
            Thread.onSpinWait();
        }

        releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(true);
        assertThat(big.get(10, TimeUnit.SECONDS)).containsExactly(true, true, true, true);
        assertThat(small.get(10, TimeUnit.SECONDS)).containsExactly(true);
        assertThat(calls).containsExactly(List.of("first"), List.of("b1", "b2", "b3", "b4"), List.of("s1"));
    }

    @Test
    void aFailedWriteFailsEveryCallerItCarried() {
        GroupCommit<String> commits = new GroupCommit<>(
                items -> {
                    throw new IllegalStateException("the store is down");
                },
                16);

        assertThatThrownBy(() -> commits.write(List.of("a")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the store is down");
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void aBatchBelowOneIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new GroupCommit<String>(this::record, 0))
                .withMessageContaining("maxBatch");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
