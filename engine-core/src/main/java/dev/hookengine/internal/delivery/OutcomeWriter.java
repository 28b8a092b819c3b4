package dev.hookengine.internal.delivery;

import dev.hookengine.internal.GroupCommit;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.DeliveryQueue;
import java.util.List;

/**
 * Writes attempt outcomes by group commit: each delivery thread hands in its outcome and waits for it
 * to be written, and whichever thread gets to write takes every outcome waiting at that moment into
 * one {@link DeliveryQueue#recordOutcomes} call. Alone, a thread writes its own outcome at once (no
 * timer, no added latency); under load, the outcomes that arrive while one write is in flight share
 * the next one, so the store's round trips per delivery fall as the load grows.
 *
 * <p>No thread of its own: the writer is always one of the waiting callers ({@link GroupCommit}). A
 * failed write fails every outcome it carried.
 */
public final class OutcomeWriter {

    private final GroupCommit<AttemptOutcome> commits;

    public OutcomeWriter(DeliveryQueue queue, int maxBatch) {
        this.commits = new GroupCommit<>(queue::recordOutcomes, maxBatch);
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

    /** Outcomes handed in and not yet taken into a write; for tests. */
    int waiting() {
        return commits.waiting();
    }
}
