package dev.hookengine.internal.delivery;

import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.DeliveryQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes attempt outcomes by group commit: each delivery thread hands in its outcome and waits for it
 * to be written, and whichever thread gets to write takes every outcome waiting at that moment into
 * one {@link DeliveryQueue#recordOutcomes} call. Alone, a thread writes its own outcome at once (no
 * timer, no added latency); under load, the outcomes that arrive while one write is in flight share
 * the next one, so the store's round trips per delivery fall as the load grows.
 *
 * <p>No thread of its own: the writer is always one of the waiting callers. A failed write fails
 * every outcome it carried.
 */
public final class OutcomeWriter {

    private final DeliveryQueue queue;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    public OutcomeWriter(DeliveryQueue queue, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.queue = queue;
        this.maxBatch = maxBatch;
    }

    /**
     * Writes {@code outcome}, possibly together with other threads' outcomes, and returns once it is
     * written.
     *
     * @return whether it was written: {@code false} when its claim no longer held the job
     * @throws RuntimeException what the store threw for the write that carried it
     */
    public boolean write(AttemptOutcome outcome) {
        Pending mine = new Pending(outcome);
        waiting.add(mine);
        // Every thread that enqueued takes the lock once; the one holding it writes what is waiting.
        // A thread whose outcome a predecessor already wrote finds it done and leaves at once, so
        // nothing waits on a signal that could be missed.
        writing.lock();
        try {
            while (!mine.done) {
                writeBatch();
            }
        } finally {
            writing.unlock();
        }
        if (mine.failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (mine.failure instanceof Error error) {
            throw error;
        }
        return mine.written;
    }

    /** Outcomes handed in and not yet taken into a write; for tests. */
    int waiting() {
        return waiting.size();
    }

    /** Under {@link #writing}: one store call for up to {@code maxBatch} waiting outcomes. */
    private void writeBatch() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            // Only reachable if an outcome left the queue without being marked done: never spin on it.
            throw new IllegalStateException("an outcome was taken for writing but never written");
        }
        List<AttemptOutcome> outcomes = new ArrayList<>(batch.size());
        batch.forEach(pending -> outcomes.add(pending.outcome));
        try {
            List<Boolean> written = queue.recordOutcomes(outcomes);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).written = written.get(i);
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(pending -> pending.failure = e);
        } finally {
            // Whatever happened, every outcome taken is done: its thread must not wait for it forever.
            batch.forEach(pending -> pending.done = true);
        }
    }

    /** One outcome waiting to be written; its fields are read and written under {@link #writing}. */
    private static final class Pending {
        final AttemptOutcome outcome;
        boolean done;
        boolean written;
        Throwable failure;

        Pending(AttemptOutcome outcome) {
            this.outcome = outcome;
        }
    }
}
