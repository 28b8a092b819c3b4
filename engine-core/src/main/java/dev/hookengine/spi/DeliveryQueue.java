package dev.hookengine.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable queue of {@link DeliveryJob}s shared by every engine node on the same store.
 *
 * <p>Jobs enter the queue with their event, through {@link EventStore#appendEvent}. A worker
 * {@linkplain #claim claims} due jobs under a lease, makes the attempt, then either
 * {@linkplain #complete completes} the job, {@linkplain #reschedule reschedules} it for a retry or
 * {@linkplain #release releases} it untouched; {@link #recordOutcomes} does the first two together with
 * the event's outcome and attempt history. A node that dies holding a lease loses the job when
 * the lease expires; another node then claims it again. Delivery is therefore at-least-once.
 *
 * <p>A claim holds its job until the job is completed, rescheduled, released or claimed again: an
 * expired lease that no node has claimed again still lets its holder finish. Every operation on a
 * claimed job succeeds only for the claim that currently holds it (same
 * {@link ClaimedJob#leaseToken()}); a stale claim gets {@code false} and changes nothing.
 *
 * <p>The queue serves every organization: {@link #claim} and {@link #stats} are not scoped by
 * organization (workers deliver for all of them); {@link #jobsOfEvent} is. Job ids are unique across
 * the store. Implementations are thread-safe and safe across processes that share the store: every
 * operation on a claimed job is atomic, so that of concurrent operations with one claim (a complete
 * racing a release, say) at most one succeeds. Every argument is required: a {@code null} one throws
 * {@link NullPointerException}.
 */
public interface DeliveryQueue {

    /**
     * The due time of a parked job: one of a paused config ({@link ConfigStore#replaceControls}),
     * which no claim reaches until the config is resumed and the job made due. Stores keep parked jobs
     * out of the way of claims this way, so that a paused config's backlog costs a claim nothing.
     */
    Instant PARKED = Instant.parse("9999-01-01T00:00:00Z");

    /**
     * Leases up to {@code max} due jobs to {@code nodeId}.
     *
     * <p>A job is claimable when {@code dueAt <= now} and it is not leased, or its lease expired
     * ({@code leaseExpiresAt <= now}), and its config is not paused ({@link ConfigStore#replaceControls}:
     * the jobs of a paused config are never handed out, whatever their due time, including those
     * appended while it is paused). A job with an {@linkplain DeliveryJob#orderingKey() ordering key}
     * is claimable only while it is the first of its lane: no job of the same organization, config and
     * key that was queued before it is still queued (waiting, due later, leased or parked), so the
     * jobs of one lane are handed out one at a time, in the order they were queued, and one claim
     * never takes two of them. Claimed jobs get {@code leaseExpiresAt = now + lease} and a
     * fresh lease token. Concurrent calls, from this process or others, never hand out the same job
     * while its lease holds, nor a job while an earlier one of its lane is queued.
     *
     * @param now     the current time
     * @param max     the most jobs to return, at least 1
     * @param lease   how long the claim holds; must outlive the attempt's deadline
     * @param nodeId  the claiming node
     * @return the claimed jobs, earliest {@code dueAt} first; empty when none is claimable
     * @throws IllegalArgumentException when {@code max < 1} or {@code lease} is not positive
     */
    List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId);

    /**
     * Leases one named job of one organization to {@code nodeId} at once, whatever its {@code dueAt},
     * unless a live lease holds it, its config is paused or an earlier job of its ordering lane is still
     * queued (as for {@link #claim}). A synchronous trigger uses it: the event and its job are stored
     * first (so a crash during the attempt still delivers it later), then the caller makes the first
     * attempt itself. Like {@link #claim}, it never hands out a job another live lease holds, however
     * many nodes ask at once.
     *
     * @return the claim, with {@code leaseExpiresAt = now + lease} and a fresh lease token, or empty
     *         when the organization has no such job, another live lease holds it, its config is paused
     *         or an earlier job of its lane is queued
     * @throws IllegalArgumentException when {@code lease} is not positive
     */
    Optional<ClaimedJob> claimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId);

    /**
     * Removes a job whose delivery ended (succeeded, or failed for good). Its event stays.
     *
     * @return {@code true} when the job was removed; {@code false}, changing nothing, when
     *         {@code claim} no longer holds the job
     */
    boolean complete(ClaimedJob claim);

    /**
     * Gives a job back for a later attempt: clears the lease, sets {@code attempt} and {@code dueAt}.
     *
     * @param attempt attempts made so far, at least the claimed job's
     * @param dueAt   when the job may be claimed again
     * @return {@code true} when the job was given back; {@code false}, changing nothing, when
     *         {@code claim} no longer holds the job
     * @throws IllegalArgumentException when {@code attempt} is lower than the claimed job's
     */
    boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt);

    /**
     * Gives a job back untouched (its {@code attempt} and {@code dueAt} stay), for example when a
     * node shuts down before making the attempt. It is claimable again at once when due.
     *
     * @return {@code true} when the job was given back; {@code false}, changing nothing, when
     *         {@code claim} no longer holds the job
     */
    boolean release(ClaimedJob claim);

    /**
     * Extends a claim's lease, so that its holder can start one more exchange that ends inside the
     * lease. Leases are short (a few attempt deadlines), so that a dead node's jobs come free soon;
     * a node renews a claim only when an attempt needs longer than its lease has left.
     *
     * <p>The claim is renewed when it still holds its job (same {@link ClaimedJob#leaseToken()}) and
     * its lease has not expired at {@code now}: its lease then expires at {@code now + lease}, and
     * every other operation on the claim goes on as before. An expired lease is never renewed, even
     * when no other node has claimed the job again: its holder may already have been given up for
     * dead, and must not send again. A claim not renewed changes nothing.
     *
     * @param now   the current time
     * @param lease how long the renewed claim holds from {@code now}
     * @return the renewed claim (same job and token, the new {@code leaseExpiresAt}), or empty when
     *         the claim no longer holds its job or its lease had expired
     * @throws IllegalArgumentException when {@code lease} is not positive
     */
    Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease);

    /**
     * Writes the outcomes of attempts, several at once so that a busy node pays one round trip for
     * many (a JDBC store writes the whole list in one transaction). Each outcome is one unit: when its
     * claim still holds its job,
     * <ul>
     *   <li>the job is completed ({@link AttemptOutcome#retryAt()} null) or rescheduled to
     *       {@code retryAt} with {@code attempt} set to the attempt's number and its lease cleared; a
     *       rescheduled job with an ordering key takes the later jobs of its lane with it: none of them
     *       stays due before {@code retryAt} (they could not be claimed before it anyway, and this keeps
     *       a retrying lane's backlog out of the claims' way);</li>
     *   <li>the attempt is appended to the event's history ({@link EventStore#attemptsOf});</li>
     *   <li>the stored event takes the state of {@link AttemptOutcome#event()}: every field is replaced
     *       but those that identify it ({@code event_id}, {@code org_id}, {@code webhook_config_id},
     *       {@code created_at}), which the outcome carries as stored, and its {@code payload} and
     *       {@code original_payload}, which an outcome never changes and which may be left as
     *       stored;</li>
     *   <li>the delivery health of the job's config ({@link ConfigStore#failingConfigs}) takes the
     *       outcome's {@link AttemptOutcome#health()}: a success ends the config's failure streak; a
     *       failed attempt starts one at the attempt's {@code endedAt} when none is running, and counts
     *       one more failed attempt; an outcome of health {@code NONE} leaves it alone. Within one call,
     *       outcomes count in list order (a success ends the streak of the failures before it in the
     *       list; those after it start a new one). A config that is healthy and stays so is not
     *       written to, so that the steady state costs nothing; a deleted config keeps no health.</li>
     * </ul>
     * When the claim is stale (another node claimed the job after the lease expired, or the job is
     * gone), nothing of that outcome is written. Either way the others are unaffected. On an
     * exception, any of them may or may not have been written (a JDBC store writes them in one
     * transaction: none); the jobs of those not written are attempted again once their leases expire.
     *
     * <p>Concurrent calls, from this process or others, never deadlock, and of outcomes of one job
     * under two claims written at once, at most the current holder's is written.
     *
     * @param outcomes at most one outcome per claim; one job may have outcomes under two claims (its
     *                 lease expired during an attempt and the job was claimed again), of which at most
     *                 the current holder's is written
     * @return for each outcome, in order, whether it was written; empty for an empty list
     * @throws IllegalArgumentException when two outcomes are of the same claim; nothing is written
     */
    List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes);

    /**
     * The queued jobs of one event of one organization, leased or not.
     *
     * @return earliest {@code dueAt} first; empty when the event has none
     */
    List<DeliveryJob> jobsOfEvent(String orgId, String eventId);

    /**
     * Takes one of the permits that limit a webhook config to {@code perSecond} delivery attempts per
     * second, shared by every node on this store: the engine takes one before each attempt of a
     * rate-limited config, and when refused, queues the job again for {@link RatePermit#retryAt()}
     * without spending an attempt.
     *
     * <p><b>The limit, over a sliding window.</b> Of the permits granted for one
     * {@code (orgId, configId)}, by every thread and every process sharing the store, at most
     * {@code perSecond} were granted to calls whose {@code now} lies inside any half-open window
     * {@code [t, t + 1 s)}, for every instant {@code t} (not only for whole seconds: one-second
     * buckets would allow twice the limit across a bucket's edge). This holds whatever order the
     * calls' {@code now} values arrive in, so nodes whose clocks disagree never exceed it either.
     * A refusal changes nothing.
     *
     * <p><b>No permit is held back.</b> When the calls for a config come with {@code now} values that
     * never go back and all ask the same {@code perSecond}, a call is granted exactly when fewer than
     * {@code perSecond} permits were granted in {@code (now - 1 s, now]}, and a refusal's
     * {@code retryAt} is the earliest permit granted in that interval plus one second: at
     * {@code retryAt} a call is granted unless another took a permit since. Concurrent callers with
     * the same {@code now} get exactly the free permits between them; a store may make one of them
     * wait for another's write, but never refuses one while a permit that nobody takes is free.
     * A call whose {@code now} is earlier than that of permits already granted (another node's
     * clock behind) may be refused where a strict count would grant it; never the other way.
     *
     * <p><b>Changing {@code perSecond}.</b> Each call is judged by its own {@code perSecond}. In any
     * window {@code [t, t + 1 s)}, the permits granted number at most the largest {@code perSecond}
     * of the calls granted in that window: a raised limit applies at once, and after a lowered one,
     * every window that begins after the last permit granted under a higher limit holds at most the
     * lower one. In the second after a lowering, the permits granted under the higher limit may or may
     * not count against the lower one (the store remembers when permits were granted, not under which
     * limit), so the exact rule of the previous paragraph holds again once a second has passed since
     * the last permit granted under the higher limit.
     *
     * <p><b>Precision.</b> A store may keep instants to the millisecond. It then rounds so that it
     * never grants what the limit forbids: it may refuse a call up to a millisecond before the exact
     * instant a permit frees, and name a {@code retryAt} up to a millisecond after it. For instants
     * at millisecond precision it is exact.
     *
     * <p><b>State.</b> The store keeps one record per permit of the largest {@code perSecond} asked
     * for a config (when it was last granted), created on first use; {@link ConfigStore#deleteConfig}
     * forgets them (the engine never reuses a config id). A config a call names need not exist: the
     * store does not look; a call racing the config's deletion may leave the records behind, at most
     * {@code perSecond} of them per deleted config.
     *
     * @param orgId     the config's organization
     * @param configId  the config whose attempts are limited
     * @param perSecond the most attempts in any one second, 1 to {@link RatePermit#MAX_PER_SECOND}
     * @param now       the current time
     * @return {@link RatePermit#grant()}, or a refusal whose {@code retryAt} is after {@code now}
     * @throws NullPointerException     when an argument is {@code null}
     * @throws IllegalArgumentException when {@code perSecond} is below 1 or above
     *                                  {@link RatePermit#MAX_PER_SECOND}; nothing changes
     */
    RatePermit takePermit(String orgId, String configId, int perSecond, Instant now);

    /**
     * Size and lag of the whole queue at {@code now}, across organizations: every queued job counts
     * toward the depth; a job is due when {@link #claim} at {@code now} could hand it out.
     */
    QueueStats stats(Instant now);
}
