package dev.hookengine.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.RetiredSecret;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.support.StoreArguments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link WebhookStore} that keeps everything in the heap of one JVM.
 *
 * <p>Meant for tests, demos and a single-node engine that can afford to lose its state: nothing
 * survives a restart, and two processes never share it. It honours every contract of the storage
 * SPI, including the lease semantics of the delivery queue, and passes {@code WebhookStoreContract}.
 *
 * <p>Thread-safe. Each concern has its own lock: configs; the event log together with attempts and
 * the delivery queue (so that {@link #appendEvent} stores an event and its jobs atomically and
 * {@link #claim} is atomic); signing keys; variables. Every operation holds one lock for a bounded
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
 */
public final class InMemoryWebhookStore implements WebhookStore {

    /** Listing order of events: {@code created_at} descending, then {@code event_id} descending. */
    private static final Comparator<EventKey> LISTING_ORDER = (a, b) -> {
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

    private static final Comparator<StoredConfig> CONFIG_ORDER = Comparator
            .comparing((StoredConfig stored) -> stored.config().creationTime(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(StoredConfig::id);

    private static final Comparator<QueuedJob> BY_DUE_AT =
            Comparator.comparing((QueuedJob job) -> job.job.dueAt()).thenComparingLong(job -> job.sequence);

    private static final Comparator<QueuedJob> BY_LEASE_EXPIRY =
            Comparator.comparing((QueuedJob job) -> job.leaseExpiresAt).thenComparingLong(job -> job.sequence);

    private static final Comparator<SigningKey> NEWEST_KEY_FIRST =
            Comparator.comparing(SigningKey::createdAt).reversed().thenComparing(SigningKey::keyId);

    private final ReentrantLock configLock = new ReentrantLock();
    private final Map<String, Map<String, StoredConfig>> configs = new HashMap<>();

    /** Guards {@link #logs}, {@link #jobsById}, {@link #waiting}, {@link #leased} and the counters. */
    private final ReentrantLock logLock = new ReentrantLock();
    private final Map<String, OrgLog> logs = new HashMap<>();
    private final Map<String, QueuedJob> jobsById = new HashMap<>();
    /** Jobs without a lease, earliest {@code dueAt} first. */
    private final TreeSet<QueuedJob> waiting = new TreeSet<>(BY_DUE_AT);
    /** Jobs with a lease, live or expired, earliest expiry first. */
    private final TreeSet<QueuedJob> leased = new TreeSet<>(BY_LEASE_EXPIRY);
    private long jobSequence;
    private long leaseTokens;

    private final ReentrantLock keyLock = new ReentrantLock();
    private final Map<String, List<SigningKey>> keys = new HashMap<>();

    private final ReentrantLock variableLock = new ReentrantLock();
    private final Map<String, TreeMap<String, Secret>> variables = new HashMap<>();

    /** An empty store. */
    public InMemoryWebhookStore() {
    }

    // ---------------------------------------------------------------------------------------------
    // ConfigStore
    // ---------------------------------------------------------------------------------------------

    @Override
    public boolean insertConfig(String orgId, WebhookConfig config) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.computeIfAbsent(orgId, org -> new HashMap<>());
            if (ofOrg.containsKey(config.id())) {
                return false;
            }
            ofOrg.put(config.id(), new StoredConfig(orgId, config, 1L));
            return true;
        });
    }

    @Override
    public Optional<StoredConfig> findConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        return locked(configLock, () -> Optional.ofNullable(configs.getOrDefault(orgId, Map.of()).get(configId)));
    }

    @Override
    public List<StoredConfig> listConfigs(String orgId, String eventName) {
        Objects.requireNonNull(orgId, "orgId");
        return locked(configLock, () -> configs.getOrDefault(orgId, Map.of()).values().stream()
                .filter(stored -> eventName == null || eventName.equals(stored.config().eventName()))
                .sorted(CONFIG_ORDER)
                .toList());
    }

    @Override
    public Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.get(orgId);
            StoredConfig current = ofOrg == null ? null : ofOrg.get(config.id());
            if (current == null || current.revision() != expectedRevision) {
                return Optional.empty();
            }
            StoredConfig replaced = new StoredConfig(orgId, config, current.revision() + 1, current.retiredSecrets());
            ofOrg.put(config.id(), replaced);
            return Optional.of(replaced);
        });
    }

    @Override
    public Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        StoreArguments.requireSecretRotation(orgId, configId, newSecret, previousExpiresAt, now);
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.get(orgId);
            StoredConfig current = ofOrg == null ? null : ofOrg.get(configId);
            if (current == null) {
                return Optional.empty();
            }
            List<RetiredSecret> retired = new ArrayList<>();
            Secret previous = current.config().signingSecret();
            if (previous != null && !previous.isCleared()) {
                retired.add(new RetiredSecret(previous, previousExpiresAt));
            }
            current.retiredSecrets().stream().filter(secret -> secret.isActiveAt(now)).forEach(retired::add);
            StoredConfig rotated = new StoredConfig(orgId,
                    current.config().toBuilder().signingSecret(newSecret).build(), current.revision() + 1, retired);
            ofOrg.put(configId, rotated);
            return Optional.of(rotated);
        });
    }

    @Override
    public boolean deleteConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        return locked(configLock, () -> {
            Map<String, StoredConfig> ofOrg = configs.get(orgId);
            if (ofOrg == null || ofOrg.remove(configId) == null) {
                return false;
            }
            if (ofOrg.isEmpty()) {
                configs.remove(orgId);
            }
            return true;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // EventStore
    // ---------------------------------------------------------------------------------------------

    @Override
    public boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs) {
        StoreArguments.requireAppendable(event, jobs);
        WebhookEvent copy = storedForm(event);
        return locked(logLock, () -> {
            OrgLog log = logs.get(event.orgId());
            if (log != null && log.events.containsKey(event.eventId())) {
                return false;
            }
            for (DeliveryJob job : jobs) {
                if (jobsById.containsKey(job.jobId())) {
                    throw new IllegalArgumentException("job id " + job.jobId() + " is already queued");
                }
            }
            if (log == null) {
                log = new OrgLog();
                logs.put(event.orgId(), log);
            }
            log.events.put(event.eventId(), copy);
            log.listing.put(EventKey.of(copy), copy);
            for (DeliveryJob job : jobs) {
                QueuedJob queued = new QueuedJob(job, jobSequence++);
                jobsById.put(job.jobId(), queued);
                waiting.add(queued);
                log.jobs.computeIfAbsent(job.eventId(), id -> new ArrayList<>()).add(queued);
            }
            return true;
        });
    }

    @Override
    public Optional<WebhookEvent> findEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        WebhookEvent found = locked(logLock, () -> {
            OrgLog log = logs.get(orgId);
            return log == null ? null : log.events.get(eventId);
        });
        return Optional.ofNullable(found).map(InMemoryWebhookStore::copy);
    }

    @Override
    public List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventIds, "eventIds");
        List<WebhookEvent> found = locked(logLock, () -> {
            OrgLog log = logs.get(orgId);
            List<WebhookEvent> events = new ArrayList<>();
            if (log != null) {
                for (String eventId : eventIds) {
                    WebhookEvent event = log.events.get(eventId);
                    if (event != null) {
                        events.add(event);
                    }
                }
            }
            return events;
        });
        found.replaceAll(InMemoryWebhookStore::copy);
        return found;
    }

    @Override
    public EventPage searchEvents(String orgId, EventQuery query) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(query, "query");
        List<WebhookEvent> found = locked(logLock, () -> {
            OrgLog log = logs.get(orgId);
            if (log == null) {
                return List.of();
            }
            List<WebhookEvent> matches = new ArrayList<>();
            if (query.eventId() != null) {
                WebhookEvent event = log.events.get(query.eventId());
                if (event != null && matches(event, query)) {
                    matches.add(event);
                }
                return matches;
            }
            // start at the later (in listing order) of the cursor and the upper time bound
            NavigableMap<EventKey, WebhookEvent> view = log.listing;
            EventKey start = null;
            boolean inclusive = false;
            if (query.after() != null) {
                start = new EventKey(query.after().createdAt(), query.after().eventId());
            }
            if (query.to() != null) {
                EventKey upper = new EventKey(query.to(), null);
                if (start == null || LISTING_ORDER.compare(upper, start) > 0) {
                    start = upper;
                    inclusive = true;
                }
            }
            if (start != null) {
                view = view.tailMap(start, inclusive);
            }
            for (WebhookEvent event : view.values()) {
                if (query.from() != null && event.createdAt().isBefore(query.from())) {
                    break;
                }
                if (matches(event, query)) {
                    matches.add(event);
                    if (matches.size() > query.limit()) {
                        break;
                    }
                }
            }
            return matches;
        });
        boolean hasMore = found.size() > query.limit();
        List<WebhookEvent> page = hasMore ? found.subList(0, query.limit()) : found;
        return new EventPage(page.stream().map(InMemoryWebhookStore::copy).toList(), hasMore);
    }

    /** Whether {@code event} satisfies every filter of {@code query}, the cursor included. */
    private static boolean matches(WebhookEvent event, EventQuery query) {
        if (query.configId() != null && !query.configId().equals(event.webhookConfigId())) {
            return false;
        }
        if (query.status() != null && query.status() != event.status()) {
            return false;
        }
        if (query.eventId() != null && !query.eventId().equals(event.eventId())) {
            return false;
        }
        if (query.from() != null && event.createdAt().isBefore(query.from())) {
            return false;
        }
        if (query.to() != null && event.createdAt().isAfter(query.to())) {
            return false;
        }
        EventCursor after = query.after();
        return after == null
                || LISTING_ORDER.compare(EventKey.of(event), new EventKey(after.createdAt(), after.eventId())) > 0;
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return locked(logLock, () -> {
            OrgLog log = logs.get(orgId);
            return log == null ? List.of() : List.copyOf(log.attempts.getOrDefault(eventId, List.of()));
        });
    }

    @Override
    public int purgeEvents(Instant cutoff, int max) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (max < 1) {
            return 0;
        }
        return locked(logLock, () -> {
            int purged = 0;
            Iterator<Map.Entry<String, OrgLog>> orgs = logs.entrySet().iterator();
            while (orgs.hasNext() && purged < max) {
                OrgLog log = orgs.next().getValue();
                // oldest first
                Iterator<WebhookEvent> oldest = log.listing.descendingMap().values().iterator();
                while (oldest.hasNext() && purged < max) {
                    WebhookEvent event = oldest.next();
                    if (!event.createdAt().isBefore(cutoff)) {
                        break;
                    }
                    if (hasEnded(event)) {
                        oldest.remove();
                        log.events.remove(event.eventId());
                        log.attempts.remove(event.eventId());
                        purged++;
                    }
                }
                if (log.isEmpty()) {
                    orgs.remove();
                }
            }
            return purged;
        });
    }

    private static boolean hasEnded(WebhookEvent event) {
        return event.status() == EventStatus.SUCCEEDED
                || event.status() == EventStatus.FAILED
                || event.status() == EventStatus.SKIPPED;
    }

    // ---------------------------------------------------------------------------------------------
    // DeliveryQueue
    // ---------------------------------------------------------------------------------------------

    @Override
    public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
        StoreArguments.requireClaim(now, max, lease, nodeId);
        Instant leaseExpiresAt = now.plus(lease);
        return locked(logLock, () -> {
            // expired leases are free again; there are few of them next to the waiting jobs
            List<QueuedJob> expired = new ArrayList<>();
            for (QueuedJob job : leased) {
                if (job.leaseExpiresAt.isAfter(now)) {
                    break;
                }
                if (!job.job.dueAt().isAfter(now)) {
                    expired.add(job);
                }
            }
            expired.sort(BY_DUE_AT);
            // merge the expired ones with the waiting ones, earliest dueAt first
            List<QueuedJob> chosen = new ArrayList<>(Math.min(max, 64));
            Iterator<QueuedJob> waitingDue = waiting.iterator();
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
                    waiting.remove(job);
                } else {
                    leased.remove(job);
                }
                job.leaseToken = ++leaseTokens;
                job.leaseExpiresAt = leaseExpiresAt;
                leased.add(job);
                claims.add(new ClaimedJob(job.job, nodeId, leaseExpiresAt, job.leaseToken));
            }
            return claims;
        });
    }

    private static QueuedJob nextDue(Iterator<QueuedJob> waitingJobs, Instant now) {
        if (!waitingJobs.hasNext()) {
            return null;
        }
        QueuedJob next = waitingJobs.next();
        return next.job.dueAt().isAfter(now) ? null : next;
    }

    @Override
    public Optional<ClaimedJob> claimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId) {
        StoreArguments.requireClaimJob(orgId, jobId, now, lease, nodeId);
        return locked(logLock, () -> {
            QueuedJob job = jobsById.get(jobId);
            if (job == null || !job.job.orgId().equals(orgId)
                    || (job.leaseToken != 0 && job.leaseExpiresAt.isAfter(now))) {
                return Optional.empty();
            }
            if (job.leaseToken == 0) {
                waiting.remove(job);
            } else {
                leased.remove(job);
            }
            job.leaseToken = ++leaseTokens;
            job.leaseExpiresAt = now.plus(lease);
            leased.add(job);
            return Optional.of(new ClaimedJob(job.job, nodeId, job.leaseExpiresAt, job.leaseToken));
        });
    }

    @Override
    public boolean complete(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return locked(logLock, () -> {
            QueuedJob job = heldBy(claim);
            if (job == null) {
                return false;
            }
            leased.remove(job);
            jobsById.remove(job.job.jobId());
            OrgLog log = logs.get(job.job.orgId());
            List<QueuedJob> ofEvent = log.jobs.get(job.job.eventId());
            ofEvent.remove(job);
            if (ofEvent.isEmpty()) {
                log.jobs.remove(job.job.eventId());
                if (log.isEmpty()) {
                    logs.remove(job.job.orgId());
                }
            }
            return true;
        });
    }

    @Override
    public boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        StoreArguments.requireReschedule(claim, attempt, dueAt);
        return locked(logLock, () -> {
            QueuedJob job = heldBy(claim);
            if (job == null) {
                return false;
            }
            DeliveryJob current = job.job;
            giveBack(job, new DeliveryJob(current.jobId(), current.orgId(), current.eventId(), current.configId(),
                    attempt, dueAt, current.createdAt()));
            return true;
        });
    }

    @Override
    public boolean release(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return locked(logLock, () -> {
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
        return locked(logLock, () -> {
            List<Boolean> written = new ArrayList<>(outcomes.size());
            for (AttemptOutcome outcome : outcomes) {
                ClaimedJob claim = outcome.claim();
                boolean held = outcome.completesJob()
                        ? complete(claim)
                        : reschedule(claim, outcome.attempt().attempt(), outcome.retryAt());
                if (held) {
                    appendAttempt(outcome.attempt());
                    replaceEvent(outcome.event());
                }
                written.add(held);
            }
            return written;
        });
    }

    /**
     * Replaces a stored event by {@code event}, but for the fields that identify it, which stay as
     * stored; for {@link #recordOutcomes}.
     */
    private boolean replaceEvent(WebhookEvent event) {
        WebhookEvent copy = storedForm(event);
        return locked(logLock, () -> {
            OrgLog log = logs.get(event.orgId());
            WebhookEvent stored = log == null ? null : log.events.get(event.eventId());
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
        });
    }

    /** Adds an attempt to its event's history, by attempt number; for {@link #recordOutcomes}. */
    private void appendAttempt(DeliveryAttempt attempt) {
        locked(logLock, () -> {
            List<DeliveryAttempt> ofEvent = logs.computeIfAbsent(attempt.orgId(), org -> new OrgLog())
                    .attempts.computeIfAbsent(attempt.eventId(), id -> new ArrayList<>());
            int index = ofEvent.size();
            while (index > 0 && ofEvent.get(index - 1).attempt() > attempt.attempt()) {
                index--;
            }
            ofEvent.add(index, attempt);
            return null;
        });
    }

    /** The queued job when {@code claim} is the claim that holds it, else {@code null}. Under {@link #logLock}. */
    @Override
    public Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease) {
        StoreArguments.requireRenewal(claim, now, lease);
        return locked(logLock, () -> {
            QueuedJob job = heldBy(claim);
            if (job == null || !job.leaseExpiresAt.isAfter(now)) {
                return Optional.empty();
            }
            leased.remove(job); // ordered by expiry: re-inserted under the new one
            job.leaseExpiresAt = now.plus(lease);
            leased.add(job);
            return Optional.of(new ClaimedJob(claim.job(), claim.nodeId(), job.leaseExpiresAt, claim.leaseToken()));
        });
    }

    private QueuedJob heldBy(ClaimedJob claim) {
        QueuedJob job = jobsById.get(claim.job().jobId());
        if (job == null || job.leaseToken == 0 || job.leaseToken != claim.leaseToken()
                || !job.job.orgId().equals(claim.job().orgId())) {
            return null;
        }
        return job;
    }

    /** Clears the lease of a leased job and puts it back among the waiting ones. Under {@link #logLock}. */
    private void giveBack(QueuedJob job, DeliveryJob newState) {
        leased.remove(job);
        job.job = newState;
        job.leaseToken = 0;
        job.leaseExpiresAt = null;
        waiting.add(job);
    }

    @Override
    public List<DeliveryJob> jobsOfEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return locked(logLock, () -> {
            OrgLog log = logs.get(orgId);
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
        return locked(logLock, () -> {
            long due = dueWaiting(now);
            Instant oldest = due == 0 ? null : waiting.first().job.dueAt();
            for (QueuedJob job : leased) {
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
            return new QueueStats(jobsById.size(), due, oldest);
        });
    }

    /**
     * How many waiting jobs are due at {@code now}, counted from whichever end of the queue is nearer
     * the first job not yet due: O(min(due, not due)). The workers sample the queue every second
     * under {@link #logLock}; counting from the front only made a backlog of 30,000 due jobs cost a
     * full scan each time, 77 % of the poller's CPU in the load harness, with every claim and
     * completion waiting for the lock meanwhile. Under {@link #logLock}.
     */
    private long dueWaiting(Instant now) {
        Iterator<QueuedJob> earliest = waiting.iterator();
        Iterator<QueuedJob> latest = waiting.descendingIterator();
        long due = 0;
        long notDue = 0;
        while (earliest.hasNext()) {
            if (earliest.next().job.dueAt().isAfter(now)) {
                return due; // every job before it is due
            }
            due++;
            if (!latest.next().job.dueAt().isAfter(now)) {
                return waiting.size() - notDue; // every job after it is not
            }
            notDue++;
        }
        return due;
    }

    // ---------------------------------------------------------------------------------------------
    // SigningKeyStore
    // ---------------------------------------------------------------------------------------------

    @Override
    public SigningKey insertKeyIfNoneCurrent(SigningKey candidate) {
        Objects.requireNonNull(candidate, "candidate");
        StoreArguments.requireCurrentKey(candidate);
        return locked(keyLock, () -> {
            List<SigningKey> ofOrg = keys.computeIfAbsent(candidate.orgId(), org -> new ArrayList<>());
            for (SigningKey key : ofOrg) {
                if (key.expiresAt() == null) {
                    return key;
                }
            }
            ofOrg.add(candidate);
            return candidate;
        });
    }

    @Override
    public List<SigningKey> activeKeys(String orgId, Instant now) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(now, "now");
        return locked(keyLock, () -> keys.getOrDefault(orgId, List.of()).stream()
                .filter(key -> key.isActiveAt(now))
                .sorted(NEWEST_KEY_FIRST)
                .toList());
    }

    @Override
    public void rotateKey(SigningKey newKey, Instant previousExpiresAt) {
        Objects.requireNonNull(newKey, "newKey");
        Objects.requireNonNull(previousExpiresAt, "previousExpiresAt");
        StoreArguments.requireCurrentKey(newKey);
        locked(keyLock, () -> {
            List<SigningKey> ofOrg = keys.computeIfAbsent(newKey.orgId(), org -> new ArrayList<>());
            for (int i = 0; i < ofOrg.size(); i++) {
                SigningKey key = ofOrg.get(i);
                if (key.expiresAt() == null) {
                    ofOrg.set(i, new SigningKey(key.orgId(), key.keyId(), key.publicKey(), key.privateKey(),
                            key.createdAt(), previousExpiresAt));
                }
            }
            ofOrg.add(newKey);
            return null;
        });
    }

    @Override
    public int purgeExpiredKeys(Instant now) {
        Objects.requireNonNull(now, "now");
        return locked(keyLock, () -> {
            int purged = 0;
            Iterator<List<SigningKey>> orgs = keys.values().iterator();
            while (orgs.hasNext()) {
                List<SigningKey> ofOrg = orgs.next();
                int before = ofOrg.size();
                ofOrg.removeIf(key -> key.expiresAt() != null && !key.expiresAt().isAfter(now));
                purged += before - ofOrg.size();
                if (ofOrg.isEmpty()) {
                    orgs.remove();
                }
            }
            return purged;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // VariableStore
    // ---------------------------------------------------------------------------------------------

    @Override
    public void putVariable(String orgId, String name, Secret value) {
        StoreArguments.requireVariable(orgId, name, value);
        locked(variableLock, () -> variables.computeIfAbsent(orgId, org -> new TreeMap<>()).put(name, value));
    }

    @Override
    public Optional<Secret> findVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return locked(variableLock, () -> {
            TreeMap<String, Secret> ofOrg = variables.get(orgId);
            return Optional.ofNullable(ofOrg == null ? null : ofOrg.get(name));
        });
    }

    @Override
    public boolean deleteVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return locked(variableLock, () -> {
            TreeMap<String, Secret> ofOrg = variables.get(orgId);
            if (ofOrg == null || ofOrg.remove(name) == null) {
                return false;
            }
            if (ofOrg.isEmpty()) {
                variables.remove(orgId);
            }
            return true;
        });
    }

    @Override
    public List<String> variableNames(String orgId) {
        Objects.requireNonNull(orgId, "orgId");
        return locked(variableLock, () -> {
            TreeMap<String, Secret> ofOrg = variables.get(orgId);
            return ofOrg == null ? List.of() : List.copyOf(ofOrg.keySet());
        });
    }

    // ---------------------------------------------------------------------------------------------
    // internals
    // ---------------------------------------------------------------------------------------------

    private static <T> T locked(ReentrantLock lock, Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The event as the store keeps it: a {@link #copy}, holding the body once when {@code payload}
     * and {@code original_payload} are equal, as they are for every config without a transform.
     * The body is most of an event's heap: kept twice, a 1.8 KB body made up 70 % of the 5.3 KB
     * that a delivery waiting for its retry cost (benchmarks/README.md, "Load harness").
     */
    private static WebhookEvent storedForm(WebhookEvent event) {
        WebhookEvent copy = copy(event);
        String payload = copy.payload();
        String original = copy.originalPayload();
        // (payload == original: already one instance, nothing to share)
        if (payload == null || original == null || payload == original || !payload.equals(original)) {
            return copy;
        }
        return copy.toBuilder().originalPayload(payload).build();
    }

    /**
     * A copy of {@code event} that shares no mutable state with it: the JSON nodes of the response body
     * and of the extra metadata properties are deep-copied.
     */
    private static WebhookEvent copy(WebhookEvent event) {
        EventHttpResponse response = event.httpResponse();
        Metadata metadata = event.metadata();
        boolean copyResponse = response != null && response.body() != null;
        boolean copyMetadata = metadata != null && metadata.additionalProperties() != null
                && !metadata.additionalProperties().isEmpty();
        if (!copyResponse && !copyMetadata) {
            return event;
        }
        WebhookEvent.Builder builder = event.toBuilder();
        if (copyResponse) {
            builder.httpResponse(new EventHttpResponse(
                    response.statusCode(), response.message(), response.body().deepCopy(), response.code()));
        }
        if (copyMetadata) {
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            metadata.additionalProperties().forEach((name, value) ->
                    properties.put(name, value == null ? null : value.deepCopy()));
            builder.metadata(metadata.toBuilder().additionalProperties(properties).build());
        }
        return builder.build();
    }

    /** Position of an event in the listing order; a {@code null} id stands before every id of its instant. */
    private record EventKey(Instant createdAt, String eventId) {
        static EventKey of(WebhookEvent event) {
            return new EventKey(event.createdAt(), event.eventId());
        }
    }

    /** One organization's events, their attempts and their queued jobs. */
    private static final class OrgLog {
        final Map<String, WebhookEvent> events = new HashMap<>();
        final TreeMap<EventKey, WebhookEvent> listing = new TreeMap<>(LISTING_ORDER);
        final Map<String, List<DeliveryAttempt>> attempts = new HashMap<>();
        final Map<String, List<QueuedJob>> jobs = new HashMap<>();

        boolean isEmpty() {
            return events.isEmpty() && attempts.isEmpty() && jobs.isEmpty();
        }
    }

    /** A job in the queue with its lease; mutable, guarded by {@link #logLock}. */
    private static final class QueuedJob {
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
