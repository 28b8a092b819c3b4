package dev.hookengine.store.memory;

import static dev.hookengine.store.memory.InMemoryLog.BY_DUE_AT;

import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.RatePermit;
import dev.hookengine.store.memory.InMemoryLog.OrgLog;
import dev.hookengine.store.memory.InMemoryLog.QueuedJob;
import dev.hookengine.store.support.StoreArguments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link DeliveryQueue} of {@link InMemoryWebhookStore}: leases over the jobs of the
 * {@link InMemoryLog} it shares with the event part, whose lock makes every claim and every move of a
 * job atomic. Jobs wait in an index by {@code dueAt} and, once leased, in one by lease expiry, so
 * that a claim reads the due jobs and the expired leases from the front of each instead of scanning
 * the queue.
 *
 * <p>A claim holds its job until the job is completed, rescheduled, released or claimed again: an
 * expired lease that nobody has claimed again still lets its holder complete the job. Jobs with the
 * same {@code dueAt} are claimed in the order they were queued. Rate permits are the
 * {@link InMemoryRatePermits}' own, under their own lock: they touch no job.
 */
final class InMemoryQueue implements DeliveryQueue {

    private final InMemoryLog shared;
    private final InMemoryRatePermits permits;
    private final InMemoryConfigHealth health;

    InMemoryQueue(InMemoryLog shared, InMemoryRatePermits permits, InMemoryConfigHealth health) {
        this.health = health;
        this.shared = shared;
        this.permits = permits;
    }

    @Override
    public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
        StoreArguments.requireClaim(now, max, lease, nodeId);
        Instant leaseExpiresAt = now.plus(lease);
        return shared.locked(() -> {
            // expired leases are free again; there are few of them next to the waiting jobs
            List<QueuedJob> expired = new ArrayList<>();
            for (QueuedJob job : shared.leased) {
                if (job.leaseExpiresAt.isAfter(now)) {
                    break;
                }
                if (!job.job.dueAt().isAfter(now) && !shared.isPaused(job.job) && !shared.isBehindInLane(job)) {
                    expired.add(job);
                }
            }
            expired.sort(BY_DUE_AT);
            // merge the expired ones with the waiting ones, earliest dueAt first
            List<QueuedJob> chosen = new ArrayList<>(Math.min(max, 64));
            Iterator<QueuedJob> waitingDue = shared.waiting.iterator();
            QueuedJob nextWaiting = nextDue(waitingDue, now);
            int expiredIndex = 0;
            while (chosen.size() < max) {
                QueuedJob nextExpired = expiredIndex < expired.size() ? expired.get(expiredIndex) : null;
                if (nextWaiting == null && nextExpired == null) {
                    break;
                }
                if (nextExpired == null || (nextWaiting != null && BY_DUE_AT.compare(nextWaiting, nextExpired) < 0)) {
                    chosen.add(nextWaiting);
                    nextWaiting = nextDue(waitingDue, now);
                } else {
                    chosen.add(nextExpired);
                    expiredIndex++;
                }
            }
            List<ClaimedJob> claims = new ArrayList<>(chosen.size());
            for (QueuedJob job : chosen) {
                if (job.leaseToken == 0) {
                    shared.waiting.remove(job);
                } else {
                    shared.leased.remove(job);
                }
                job.leaseToken = shared.nextLeaseToken();
                job.leaseExpiresAt = leaseExpiresAt;
                shared.leased.add(job);
                claims.add(new ClaimedJob(job.job, nodeId, leaseExpiresAt, job.leaseToken));
            }
            return claims;
        });
    }

    /**
     * The next waiting job that is due, skipping those of paused configs (only parked ones, normally)
     * and those behind an earlier job of their lane (few: a retrying lane's are held until its retry).
     */
    private QueuedJob nextDue(Iterator<QueuedJob> waitingJobs, Instant now) {
        while (waitingJobs.hasNext()) {
            QueuedJob next = waitingJobs.next();
            if (next.job.dueAt().isAfter(now)) {
                return null;
            }
            if (!shared.isPaused(next.job) && !shared.isBehindInLane(next)) {
                return next;
            }
        }
        return null;
    }

    @Override
    public Optional<ClaimedJob> claimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId) {
        StoreArguments.requireClaimJob(orgId, jobId, now, lease, nodeId);
        return shared.locked(() -> {
            QueuedJob job = shared.jobsById.get(jobId);
            if (job == null
                    || !job.job.orgId().equals(orgId)
                    || shared.isPaused(job.job)
                    || shared.isBehindInLane(job)
                    || (job.leaseToken != 0 && job.leaseExpiresAt.isAfter(now))) {
                return Optional.empty();
            }
            if (job.leaseToken == 0) {
                shared.waiting.remove(job);
            } else {
                shared.leased.remove(job);
            }
            job.leaseToken = shared.nextLeaseToken();
            job.leaseExpiresAt = now.plus(lease);
            shared.leased.add(job);
            return Optional.of(new ClaimedJob(job.job, nodeId, job.leaseExpiresAt, job.leaseToken));
        });
    }

    @Override
    public boolean complete(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return shared.locked(() -> {
            QueuedJob job = heldBy(claim);
            if (job == null) {
                return false;
            }
            shared.remove(job);
            return true;
        });
    }

    @Override
    public boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        StoreArguments.requireReschedule(claim, attempt, dueAt);
        return shared.locked(() -> {
            QueuedJob job = heldBy(claim);
            if (job == null) {
                return false;
            }
            giveBack(job, job.job.withDue(attempt, dueAt));
            return true;
        });
    }

    @Override
    public boolean release(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return shared.locked(() -> {
            QueuedJob job = heldBy(claim);
            if (job == null) {
                return false;
            }
            giveBack(job, job.job);
            return true;
        });
    }

    @Override
    public List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes) {
        StoreArguments.requireOutcomes(outcomes);
        return shared.locked(() -> {
            List<Boolean> written = new ArrayList<>(outcomes.size());
            List<AttemptOutcome> counted = new ArrayList<>(outcomes.size());
            for (AttemptOutcome outcome : outcomes) {
                ClaimedJob claim = outcome.claim();
                boolean held = outcome.completesJob()
                        ? complete(claim)
                        : reschedule(claim, outcome.attempt().attempt(), outcome.retryAt());
                if (held && !outcome.completesJob()) {
                    shared.holdLaneUntil(shared.jobsById.get(claim.job().jobId()), outcome.retryAt());
                }
                if (held) {
                    shared.appendAttempt(outcome.attempt());
                    shared.replaceEvent(EventCopies.storedForm(outcome.event()));
                    counted.add(outcome);
                }
                written.add(held);
            }
            // under the log's lock, so that the health moves with the outcomes, as one unit
            health.record(counted);
            return written;
        });
    }

    @Override
    public Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease) {
        StoreArguments.requireRenewal(claim, now, lease);
        return shared.locked(() -> {
            QueuedJob job = heldBy(claim);
            if (job == null || !job.leaseExpiresAt.isAfter(now)) {
                return Optional.empty();
            }
            shared.leased.remove(job); // ordered by expiry: re-inserted under the new one
            job.leaseExpiresAt = now.plus(lease);
            shared.leased.add(job);
            return Optional.of(new ClaimedJob(claim.job(), claim.nodeId(), job.leaseExpiresAt, claim.leaseToken()));
        });
    }

    /** The queued job when {@code claim} is the claim that holds it, else {@code null}. Under the log's lock. */
    private QueuedJob heldBy(ClaimedJob claim) {
        QueuedJob job = shared.jobsById.get(claim.job().jobId());
        if (job == null
                || job.leaseToken == 0
                || job.leaseToken != claim.leaseToken()
                || !job.job.orgId().equals(claim.job().orgId())) {
            return null;
        }
        return job;
    }

    /** Clears the lease of a leased job and puts it back among the waiting ones. Under the log's lock. */
    private void giveBack(QueuedJob job, DeliveryJob newState) {
        shared.leased.remove(job);
        // a job given back while its config is paused waits parked, out of the claims' way
        job.job = shared.isPaused(newState) ? InMemoryLog.parked(newState) : newState;
        job.leaseToken = 0;
        job.leaseExpiresAt = null;
        shared.waiting.add(job);
    }

    @Override
    public List<DeliveryJob> jobsOfEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return shared.locked(() -> {
            OrgLog log = shared.logs.get(orgId);
            List<QueuedJob> ofEvent = log == null ? null : log.jobs.get(eventId);
            if (ofEvent == null) {
                return List.of();
            }
            return ofEvent.stream().sorted(BY_DUE_AT).map(job -> job.job).toList();
        });
    }

    @Override
    public QueueStats stats(Instant now) {
        Objects.requireNonNull(now, "now");
        return shared.locked(() -> {
            long due = dueWaiting(now);
            Instant oldest = due == 0 ? null : shared.waiting.first().job.dueAt();
            for (QueuedJob job : shared.leased) {
                if (job.leaseExpiresAt.isAfter(now)) {
                    break;
                }
                if (!job.job.dueAt().isAfter(now)) {
                    due++;
                    if (oldest == null || job.job.dueAt().isBefore(oldest)) {
                        oldest = job.job.dueAt();
                    }
                }
            }
            return new QueueStats(shared.jobsById.size(), due, oldest);
        });
    }

    /**
     * How many waiting jobs are due at {@code now}, counted from whichever end of the queue is nearer
     * the first job not yet due: O(min(due, not due)). The workers sample the queue every second
     * under the log's lock; counting from the front only made a backlog of 30,000 due jobs cost a
     * full scan each time, 77 % of the poller's CPU in the load harness, with every claim and
     * completion waiting for the lock meanwhile. Under the log's lock.
     */
    private long dueWaiting(Instant now) {
        Iterator<QueuedJob> earliest = shared.waiting.iterator();
        Iterator<QueuedJob> latest = shared.waiting.descendingIterator();
        long due = 0;
        long notDue = 0;
        while (earliest.hasNext()) {
            if (earliest.next().job.dueAt().isAfter(now)) {
                return due; // every job before it is due
            }
            due++;
            if (!latest.next().job.dueAt().isAfter(now)) {
                return shared.waiting.size() - notDue; // every job after it is not
            }
            notDue++;
        }
        return due;
    }

    @Override
    public RatePermit takePermit(String orgId, String configId, int perSecond, Instant now) {
        return permits.take(orgId, configId, perSecond, now);
    }
}
