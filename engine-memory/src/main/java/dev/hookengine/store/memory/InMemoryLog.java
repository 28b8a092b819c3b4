package dev.hookengine.store.memory;

import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.NewEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the event part ({@link InMemoryEvents}) and the queue part ({@link InMemoryQueue}) of the
 * in-memory store share, under one lock: each organization's events, attempts and queued jobs, and
 * the queue's indexes over the jobs of every organization.
 *
 * <p>One lock for both parts, because their operations cross: an event is appended together with its
 * jobs, and an outcome moves its job and writes its event and attempt, each as one step that no
 * reader sees half done. The writes that touch both an organization's log and the queue's indexes
 * are here, so that they stay consistent whichever part makes them. Every field, and every method
 * but {@link #locked}, is to be used with the lock held.
 */
final class InMemoryLog {

    /** Listing order of events: {@code created_at} descending, then {@code event_id} descending. */
    static final Comparator<EventKey> LISTING_ORDER = (a, b) -> {
        int byTime = b.createdAt().compareTo(a.createdAt());
        if (byTime != 0) {
            return byTime;
        }
        if (a.eventId() == null || b.eventId() == null) {
            // a key without id stands before every event of its instant
            return a.eventId() == null ? (b.eventId() == null ? 0 : -1) : 1;
        }
        return b.eventId().compareTo(a.eventId());
    };

    static final Comparator<QueuedJob> BY_DUE_AT =
            Comparator.comparing((QueuedJob job) -> job.job.dueAt()).thenComparingLong(job -> job.sequence);

    private static final Comparator<QueuedJob> BY_LEASE_EXPIRY =
            Comparator.comparing((QueuedJob job) -> job.leaseExpiresAt).thenComparingLong(job -> job.sequence);

    /** Guards every field of this log, and of the {@link OrgLog}s and {@link QueuedJob}s in it. */
    private final ReentrantLock logLock = new ReentrantLock();

    final Map<String, OrgLog> logs = new HashMap<>();
    final Map<String, QueuedJob> jobsById = new HashMap<>();
    /** Jobs without a lease, earliest {@code dueAt} first. */
    final TreeSet<QueuedJob> waiting = new TreeSet<>(BY_DUE_AT);
    /** Jobs with a lease, live or expired, earliest expiry first. */
    final TreeSet<QueuedJob> leased = new TreeSet<>(BY_LEASE_EXPIRY);
    /** The paused configs, as {@link #configKey}s: their jobs wait parked and are never claimed. */
    private final Set<String> paused = new HashSet<>();
    /**
     * The queued jobs of each FIFO lane (config and ordering key), in the order they were queued:
     * appended in sequence order under this lock, so a lane's first job is its earliest.
     */
    private final Map<String, ArrayDeque<QueuedJob>> lanes = new HashMap<>();
    /** Idempotency records: under this lock, so that a record and its publish's events are one step. */
    final InMemoryKeys keys = new InMemoryKeys();

    private long jobSequence;
    private long leaseTokens;

    /** The result of {@code action}, run while holding the log's lock. */
    <T> T locked(Supplier<T> action) {
        return Locking.locked(logLock, action);
    }

    /** A lease token no claim had before. */
    long nextLeaseToken() {
        return ++leaseTokens;
    }

    /**
     * Stores {@code copy} (the event as the store keeps it) and queues its jobs, or nothing at all.
     *
     * @return {@code false} when the organization already has an event with this id
     * @throws IllegalArgumentException when a job id is already queued
     */
    boolean append(WebhookEvent copy, List<DeliveryJob> jobs) {
        OrgLog log = logs.get(copy.orgId());
        if (log != null && log.events.containsKey(copy.eventId())) {
            return false;
        }
        for (DeliveryJob job : jobs) {
            if (jobsById.containsKey(job.jobId())) {
                throw new IllegalArgumentException("job id " + job.jobId() + " is already queued");
            }
        }
        if (log == null) {
            log = new OrgLog();
            logs.put(copy.orgId(), log);
        }
        log.events.put(copy.eventId(), copy);
        log.listing.put(EventKey.of(copy), copy);
        for (DeliveryJob job : jobs) {
            QueuedJob queued = new QueuedJob(isPaused(job) ? parked(job) : job, jobSequence++);
            jobsById.put(job.jobId(), queued);
            waiting.add(queued);
            if (job.orderingKey() != null) {
                lanes.computeIfAbsent(laneKey(job), lane -> new ArrayDeque<>()).addLast(queued);
            }
            log.jobs.computeIfAbsent(job.eventId(), id -> new ArrayList<>()).add(queued);
        }
        return true;
    }

    /** Whether the job's config is paused: then no claim hands the job out. */
    boolean isPaused(DeliveryJob job) {
        return !paused.isEmpty() && paused.contains(configKey(job.orgId(), job.configId()));
    }

    /**
     * Pauses a config: parks its waiting jobs and keeps every job of it from claims until
     * {@link #resume}. A scan of the queue: pausing is rare, and the claims it spares are not.
     */
    void pause(String orgId, String configId) {
        if (!paused.add(configKey(orgId, configId))) {
            return;
        }
        moveWaiting(orgId, configId, job -> job.dueAt().equals(DeliveryQueue.PARKED) ? null : parked(job));
    }

    /**
     * Resumes a paused config: its parked jobs become due at {@code now}, so that they are claimed in
     * the order they were queued. Here every waiting job of a paused config is parked (appended or given
     * back parked, under this lock), so none is due already, unlike in a store shared by nodes.
     */
    void resume(String orgId, String configId, Instant now) {
        if (!paused.remove(configKey(orgId, configId))) {
            return;
        }
        moveWaiting(orgId, configId, job -> job.dueAt().equals(DeliveryQueue.PARKED) ? withDueAt(job, now) : null);
    }

    /** Gives each waiting job of the config the due time {@code move} says, or leaves it where it is (null). */
    private void moveWaiting(String orgId, String configId, UnaryOperator<DeliveryJob> move) {
        List<QueuedJob> moved = new ArrayList<>();
        for (QueuedJob queued : jobsById.values()) {
            DeliveryJob job = queued.job;
            if (queued.leaseToken == 0
                    && job.orgId().equals(orgId)
                    && job.configId().equals(configId)) {
                DeliveryJob next = move.apply(job);
                if (next != null) {
                    waiting.remove(queued);
                    queued.job = next;
                    moved.add(queued);
                }
            }
        }
        waiting.addAll(moved);
    }

    /** The job as it waits while its config is paused. */
    static DeliveryJob parked(DeliveryJob job) {
        return withDueAt(job, DeliveryQueue.PARKED);
    }

    private static DeliveryJob withDueAt(DeliveryJob job, Instant dueAt) {
        return job.withDue(job.attempt(), dueAt);
    }

    /**
     * Whether an earlier job of the job's FIFO lane is still queued: then no claim hands it out. The
     * first of a lane is the only one that is not.
     */
    boolean isBehindInLane(QueuedJob queued) {
        if (queued.job.orderingKey() == null) {
            return false;
        }
        ArrayDeque<QueuedJob> lane = lanes.get(laneKey(queued.job));
        return lane != null && lane.peekFirst() != queued;
    }

    /**
     * Keeps the waiting jobs queued after {@code head} in its lane from being due before {@code dueAt}:
     * they cannot be claimed before the head is done, and waiting in the claims' way would cost every
     * claim a step past each of them.
     */
    void holdLaneUntil(QueuedJob head, Instant dueAt) {
        if (head.job.orderingKey() == null) {
            return;
        }
        ArrayDeque<QueuedJob> lane = lanes.get(laneKey(head.job));
        for (QueuedJob follower : lane) {
            if (follower != head
                    && follower.leaseToken == 0
                    && follower.job.dueAt().isBefore(dueAt)) {
                waiting.remove(follower);
                follower.job = withDueAt(follower.job, dueAt);
                waiting.add(follower);
            }
        }
    }

    private static String laneKey(DeliveryJob job) {
        return configKey(job.orgId(), job.configId()) + '\u0000' + job.orderingKey();
    }

    private static String configKey(String orgId, String configId) {
        return orgId + '\u0000' + configId;
    }

    /**
     * Stores every event (as the store keeps it) and queues its jobs, or nothing at all: each is
     * checked before any is stored.
     *
     * @throws IllegalArgumentException when the organization has an event's id, or a job id is
     *                                  already queued
     */
    void appendAll(List<NewEvent> copies) {
        for (NewEvent copy : copies) {
            WebhookEvent event = copy.event();
            OrgLog log = logs.get(event.orgId());
            if (log != null && log.events.containsKey(event.eventId())) {
                throw new IllegalArgumentException(
                        "event id " + event.orgId() + "/" + event.eventId() + " is already taken");
            }
            for (DeliveryJob job : copy.jobs()) {
                if (jobsById.containsKey(job.jobId())) {
                    throw new IllegalArgumentException("job id " + job.jobId() + " is already queued");
                }
            }
        }
        for (NewEvent copy : copies) {
            append(copy.event(), copy.jobs());
        }
    }

    /** Takes a leased job out of the queue and out of its organization's log, which goes once empty. */
    void remove(QueuedJob job) {
        leased.remove(job);
        jobsById.remove(job.job.jobId());
        if (job.job.orderingKey() != null) {
            String key = laneKey(job.job);
            ArrayDeque<QueuedJob> lane = lanes.get(key);
            lane.remove(job); // the first, but for a job ended out of turn
            if (lane.isEmpty()) {
                lanes.remove(key);
            }
        }
        OrgLog log = logs.get(job.job.orgId());
        List<QueuedJob> ofEvent = log.jobs.get(job.job.eventId());
        ofEvent.remove(job);
        if (ofEvent.isEmpty()) {
            log.jobs.remove(job.job.eventId());
            if (log.isEmpty()) {
                logs.remove(job.job.orgId());
            }
        }
    }

    /**
     * Replaces a stored event by {@code copy} (the event as the store keeps it), but for the fields
     * that identify it, which stay as stored.
     *
     * @return {@code false}, changing nothing, when the organization has no event with this id
     */
    boolean replaceEvent(WebhookEvent copy) {
        OrgLog log = logs.get(copy.orgId());
        WebhookEvent stored = log == null ? null : log.events.get(copy.eventId());
        if (stored == null) {
            return false;
        }
        WebhookEvent updated = copy.toBuilder()
                .eventId(stored.eventId())
                .orgId(stored.orgId())
                .webhookConfigId(stored.webhookConfigId())
                .createdAt(stored.createdAt())
                .build();
        log.events.put(updated.eventId(), updated);
        log.listing.put(EventKey.of(updated), updated);
        return true;
    }

    /** Adds an attempt to its event's history, by attempt number, even when the event is not held. */
    void appendAttempt(DeliveryAttempt attempt) {
        List<DeliveryAttempt> ofEvent = logs.computeIfAbsent(attempt.orgId(), org -> new OrgLog())
                .attempts
                .computeIfAbsent(attempt.eventId(), id -> new ArrayList<>());
        int index = ofEvent.size();
        while (index > 0 && ofEvent.get(index - 1).attempt() > attempt.attempt()) {
            index--;
        }
        ofEvent.add(index, attempt);
    }

    /** Position of an event in the listing order; a {@code null} id stands before every id of its instant. */
    record EventKey(Instant createdAt, String eventId) {
        static EventKey of(WebhookEvent event) {
            return new EventKey(event.createdAt(), event.eventId());
        }
    }

    /** One organization's events, their attempts and their queued jobs. */
    static final class OrgLog {
        final Map<String, WebhookEvent> events = new HashMap<>();
        final TreeMap<EventKey, WebhookEvent> listing = new TreeMap<>(LISTING_ORDER);
        final Map<String, List<DeliveryAttempt>> attempts = new HashMap<>();
        final Map<String, List<QueuedJob>> jobs = new HashMap<>();

        boolean isEmpty() {
            return events.isEmpty() && attempts.isEmpty() && jobs.isEmpty();
        }
    }

    /** A job in the queue with its lease; mutable, guarded by the log's lock. */
    static final class QueuedJob {
        DeliveryJob job;
        final long sequence;
        /** 0 when not leased. */
        long leaseToken;

        Instant leaseExpiresAt;

        QueuedJob(DeliveryJob job, long sequence) {
            this.job = job;
            this.sequence = sequence;
        }
    }
}
