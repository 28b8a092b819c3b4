package dev.hookengine.store.memory;

import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.support.ComposedWebhookStore;

/**
 * A {@link WebhookStore} that keeps everything in the heap of one JVM.
 *
 * <p>Meant for tests, demos and a single-node engine that can afford to lose its state: nothing
 * survives a restart, and two processes never share it. It honours every contract of the storage
 * SPI, including the lease semantics of the delivery queue, and passes {@code WebhookStoreContract}.
 *
 * <p>Thread-safe. Each concern has its own lock: configs; the event log together with attempts and
 * the delivery queue (so that {@link #appendEvent} stores an event and its jobs atomically and
 * {@link #claim} is atomic); rate permits; the configs' delivery health; signing keys; variables. Every operation holds one lock for a bounded
 * amount of work proportional to what it reads or returns.
 *
 * <p>Data is kept per organization, so reads of one organization never scan another's. Mutable
 * parts of events (JSON response bodies, extra metadata properties) are copied on the way in and on
 * the way out, so a caller that changes a returned object does not change the store.
 *
 * <p>Behaviour where the SPI leaves room for choice:
 * <ul>
 *   <li>A claim holds its job until the job is completed, rescheduled, released or claimed again;
 *       an expired lease that nobody has claimed again still lets its holder complete the job.</li>
 *   <li>Claims of jobs with the same {@code dueAt} come in the order the jobs were queued.</li>
 *   <li>Job ids are unique across the store: {@link #appendEvent} refuses, with
 *       {@link IllegalArgumentException} and storing nothing, jobs whose id is already queued or that
 *       belong to another event. {@link #reschedule} refuses an {@code attempt} lower than the
 *       claimed job's.</li>
 *   <li>Attempts are recorded even for an event the store does not hold; they go when an event of
 *       that id is purged.</li>
 *   <li>Purging deletes the jobs of nothing: a purged event's leftover jobs (normally none, since
 *       only ended events are purged) stay until completed.</li>
 * </ul>
 *
 * <p>The store is a facade over one part per concern: {@code InMemoryConfigs},
 * {@code InMemoryEvents} and {@code InMemoryQueue} (which share one {@code InMemoryLog} and its
 * lock), {@code InMemoryRatePermits} (which the queue answers {@link #takePermit} with and the configs
 * tell when a config is deleted), {@code InMemoryConfigHealth} (which the queue's outcomes write and
 * the configs read), {@code InMemorySigningKeys} and {@code InMemoryVariables}.
 */
public final class InMemoryWebhookStore extends ComposedWebhookStore {

    /** An empty store. */
    public InMemoryWebhookStore() {
        this(new InMemoryLog(), new InMemoryRatePermits(), new InMemoryConfigHealth());
    }

    private InMemoryWebhookStore(InMemoryLog log, InMemoryRatePermits permits, InMemoryConfigHealth health) {
        super(
                new InMemoryConfigs(log, permits, health),
                new InMemoryEvents(log),
                new InMemoryQueue(log, permits, health),
                new InMemorySigningKeys(),
                new InMemoryVariables());
    }
}
