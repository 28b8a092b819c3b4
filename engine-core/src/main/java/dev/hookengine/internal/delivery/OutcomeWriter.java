package dev.hookengine.internal.delivery;

import dev.hookengine.internal.GroupCommit;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.DeliveryQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt outcomes in groups, two ways, neither with a thread of its own:
 *
 * <ul>
 *   <li>{@link #write}: the caller waits for its outcome to be written (a synchronous trigger, which
 *       answers with the event as recorded). Whichever waiting caller gets to write takes every
 *       outcome waiting at that moment into one {@link DeliveryQueue#recordOutcomes} call
 *       ({@link GroupCommit}).
 *   <li>{@link #writeSoon}: the caller hands its outcome in and goes on with its next job while the
 *       outcome waits for the next write; whichever caller finds no write in progress writes
 *       everything waiting, again and again until nothing is. A delivery thread so spends its time
 *       sending rather than waiting for the store's commit, which on PostgreSQL with durable commits
 *       took more of a delivery's time than the request. At most {@code maxPending} outcomes wait:
 *       a caller beyond that waits for room, so a slow store slows delivery instead of filling memory.
 * </ul>
 *
 * <p>An outcome not yet written leaves its job leased: if the process dies first, the job is
 * attempted again once its lease expires, as it would be had the process died during the request.
 * A failed write fails every outcome it carried.
 */
public final class OutcomeWriter {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);

    private final DeliveryQueue queue;
    private final int maxBatch;
    private final GroupCommit<AttemptOutcome> commits;
    private final ConcurrentLinkedQueue<Soon> soon = new ConcurrentLinkedQueue<>();
    private final Semaphore room;
    private final ReentrantLock draining = new ReentrantLock();

    /**
     * @param maxBatch   the most outcomes one write carries
     * @param maxPending the most outcomes {@link #writeSoon} lets wait for a write
     */
    public OutcomeWriter(DeliveryQueue queue, int maxBatch, int maxPending) {
        this.queue = queue;
        this.maxBatch = maxBatch;
        this.commits = new GroupCommit<>(queue::recordOutcomes, maxBatch);
        this.room = new Semaphore(maxPending);
    }

    /**
     * Writes {@code outcome}, possibly together with other threads' outcomes, and returns once it is
     * written.
     *
     * @return whether it was written: {@code false} when its claim no longer held the job
     * @throws RuntimeException what the store threw for the write that carried it
     */
    public boolean write(AttemptOutcome outcome) {
        return commits.write(List.of(outcome)).get(0);
    }

    /**
     * Hands {@code outcome} in to be written with the next write, and returns at once, unless
     * {@code maxPending} outcomes wait already (then it waits for room), or no write is in progress
     * (then this caller writes everything waiting before it returns).
     *
     * @param whenWritten told whether the outcome was written ({@code false}: its claim no longer held
     *                    the job), on the thread that wrote it; not called when the write failed,
     *                    which is logged: the job's lease then expires and it is attempted again
     */
    public void writeSoon(AttemptOutcome outcome, Consumer<Boolean> whenWritten) {
        room.acquireUninterruptibly();
        soon.add(new Soon(outcome, whenWritten));
        // Whoever holds the lock writes what is waiting; it looks again after letting go, so an outcome
        // handed in just as it finished is never left behind.
        while (!soon.isEmpty() && draining.tryLock()) {
            try {
                List<Soon> batch;
                while (!(batch = takeBatch()).isEmpty()) {
                    writeBatch(batch);
                }
            } finally {
                draining.unlock();
            }
        }
    }

    /** Outcomes handed in and not yet taken into a write, both ways; for tests. */
    int waiting() {
        return commits.waiting() + soon.size();
    }

    private List<Soon> takeBatch() {
        List<Soon> batch = new ArrayList<>();
        Soon next;
        while (batch.size() < maxBatch && (next = soon.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    private void writeBatch(List<Soon> batch) {
        try {
            List<Boolean> written =
                    queue.recordOutcomes(batch.stream().map(Soon::outcome).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).whenWritten().accept(written.get(i));
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "writing the outcomes of {} attempts failed; their jobs are attempted again once their leases"
                            + " expire",
                    batch.size(),
                    e);
        } finally {
            room.release(batch.size());
        }
    }

    private record Soon(AttemptOutcome outcome, Consumer<Boolean> whenWritten) {}
}
