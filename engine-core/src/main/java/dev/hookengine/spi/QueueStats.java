package dev.hookengine.spi;

import java.time.Instant;

/**
 * The delivery queue at one instant, for metrics.
 *
 * @param depth       jobs in the queue, leased or not
 * @param due         jobs due and not leased, or leased with an expired lease: work waiting for a worker
 * @param oldestDueAt the earliest {@code dueAt} of the due jobs, or {@code null} when none is due;
 *                    {@code now - oldestDueAt} is the queue's lag
 */
public record QueueStats(long depth, long due, Instant oldestDueAt) {}
