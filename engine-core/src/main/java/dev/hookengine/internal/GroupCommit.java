package dev.hookengine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Writes items by group commit: each caller hands in its items and waits for them to be written,
 * and whichever caller gets to write takes every item waiting at that moment into one call of the
 * store. Alone, a caller writes its own items at once (no timer, no added latency); under load, the
 * items that arrive while one write is in flight share the next one, so the store's round trips
 * and commits per item fall as the load grows.
 *
 * <p>No thread of its own: the writer is always one of the waiting callers. A failed write fails
 * every item it carried. A caller's items are written together, in one call, in their order.
 *
 * @param <T> what is written: an attempt's outcome, a published event
 */
public final class GroupCommit<T> {

    private final Function<List<T>, List<Boolean>> write;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending<T>> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    /**
     * @param write    writes a list of items in one call and says, for each, whether it was written
     * @param maxBatch the most items one call carries; a caller's items are never split, so a call
     *                 carries more when one caller hands in more
     */
    public GroupCommit(Function<List<T>, List<Boolean>> write, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.write = write;
        this.maxBatch = maxBatch;
    }

    /**
     * Writes {@code items}, possibly together with other callers' items, and returns once they are
     * written.
     *
     * @return for each item, in order, what the store said: whether it was written
     * @throws RuntimeException what the store threw for the write that carried them
     */
    public List<Boolean> write(List<T> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        Pending<T> mine = new Pending<>(List.copyOf(items));
        waiting.add(mine);
        // Every caller that enqueued takes the lock once; the one holding it writes what is waiting.
        // A caller whose items a predecessor already wrote finds them done and leaves at once, so
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

    /** Callers' items handed in and not yet taken into a write; for tests. */
    public int waiting() {
        return waiting.size();
    }

    /** Under {@link #writing}: one store call for the waiting callers' items, up to {@code maxBatch}. */
    private void writeBatch() {
        List<Pending<T>> batch = new ArrayList<>();
        List<T> items = new ArrayList<>();
        Pending<T> next;
        while ((batch.isEmpty() || items.size() + peekSize() <= maxBatch) && (next = waiting.poll()) != null) {
            batch.add(next);
            items.addAll(next.items);
        }
        if (batch.isEmpty()) {
            // Only reachable if a caller's items left the queue without being marked done: never spin on it.
            throw new IllegalStateException("items were taken for writing but never written");
        }
        try {
            List<Boolean> written = write.apply(items);
            int from = 0;
            for (Pending<T> pending : batch) {
                pending.written = List.copyOf(written.subList(from, from + pending.items.size()));
                from += pending.items.size();
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(pending -> pending.failure = e);
        } finally {
            // Whatever happened, every caller taken is done: it must not wait for its items forever.
            batch.forEach(pending -> pending.done = true);
        }
    }

    private int peekSize() {
        Pending<T> head = waiting.peek();
        return head == null ? 0 : head.items.size();
    }

    /** One caller's items waiting to be written; its fields are read and written under {@link #writing}. */
    private static final class Pending<T> {
        final List<T> items;
        boolean done;
        List<Boolean> written;
        Throwable failure;

        Pending(List<T> items) {
            this.items = items;
        }
    }
}
