package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.ConcurrentWrites.isIntegrityViolation;
import static org.jooq.impl.DSL.row;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.EventStats;
import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.spi.StatsQuery;
import dev.hookengine.store.support.StoreArguments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep9;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;

/**
 * The {@link EventStore} of {@link JdbcWebhookStore}: one row per event, its JSON in
 * {@code event_data} but for the payloads, which have columns of their own (stored as sent, and left
 * alone when an outcome rewrites {@code event_data}); attempts in a table of their own. An event and
 * its jobs are inserted in one transaction. Search is a keyset query on
 * {@code (created_at, event_id)}; retention deletes in batches, skipping rows another node is
 * purging.
 *
 * <p>It also writes the rows the outbox ({@link JdbcOutbox}) and the queue's outcomes
 * ({@link JdbcQueue}) write, so that an event has one row form.
 */
final class JdbcEvents implements EventStore {

    private final DSLContext ctx;
    private final JdbcTables t;
    private final ObjectMapper mapper;
    /** PostgreSQL's one-statement writes; {@code null} on H2. */
    private final PostgresHotPath postgres;
    /** The idempotency keys, whose appends write this class's rows. */
    private final JdbcIdempotency keys;
    /** The counts and latencies of {@link #deliveryStats}. */
    private final JdbcEventStats stats;

    JdbcEvents(DSLContext ctx, JdbcTables tables, ObjectMapper mapper, PostgresHotPath postgres) {
        this.ctx = ctx;
        this.t = tables;
        this.mapper = mapper;
        this.postgres = postgres;
        this.keys = new JdbcIdempotency(ctx, tables, this);
        this.stats = new JdbcEventStats(ctx, tables, postgres != null);
    }

    /** Thrown inside a transaction to roll it back and answer {@code false}. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    @Override
    public boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs) {
        StoreArguments.requireAppendable(event, jobs);
        String json = eventJson(event);
        try {
            ctx.transaction(cfg -> {
                DSLContext tx = cfg.dsl();
                try {
                    insertEvent(tx, event, json);
                } catch (DataAccessException e) {
                    if (isIntegrityViolation(e)) {
                        throw new Refused();
                    }
                    throw e;
                }
                insertJobs(tx, event, jobs);
            });
            return true;
        } catch (Refused e) {
            return false;
        }
    }

    /**
     * One transaction for the whole list: on PostgreSQL one statement ({@link PostgresHotPath}); on H2
     * an insert per event, where an id the organization has refuses that event only (H2 rolls back a
     * failed statement alone, not its transaction).
     */
    @Override
    public List<Boolean> appendEvents(List<NewEvent> events) {
        Objects.requireNonNull(events, "events");
        events.forEach(event -> StoreArguments.requireAppendable(event.event(), event.jobs()));
        if (events.isEmpty()) {
            return List.of();
        }
        List<String> json =
                events.stream().map(event -> eventJson(event.event())).toList();
        if (postgres != null) {
            try {
                return postgres.appendEvents(events, json);
            } catch (DataAccessException e) {
                if (isIntegrityViolation(e)) {
                    throw queuedAmong(events);
                }
                throw e;
            }
        }
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<Boolean> appended = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                NewEvent event = events.get(i);
                try {
                    insertEvent(tx, event.event(), json.get(i));
                } catch (DataAccessException e) {
                    if (!isIntegrityViolation(e)) {
                        throw e;
                    }
                    appended.add(false);
                    continue;
                }
                insertJobs(tx, event.event(), event.jobs());
                appended.add(true);
            }
            return appended;
        });
    }

    /** The refusal of a list of which some event's job id is already queued, naming that event. */
    private IllegalArgumentException queuedAmong(List<NewEvent> events) {
        List<String> jobIds = events.stream()
                .flatMap(event -> event.jobs().stream())
                .map(DeliveryJob::jobId)
                .toList();
        java.util.Set<String> queued =
                ctx.select(t.jId).from(t.jobs).where(t.jId.in(jobIds)).fetchSet(t.jId);
        return events.stream()
                .filter(event -> event.jobs().stream().anyMatch(job -> queued.contains(job.jobId())))
                .findFirst()
                .map(event -> queued(event.event(), event.jobs()))
                .orElseGet(() -> new IllegalArgumentException("a job id of the events appended is already queued"));
    }

    /** Inserts the event's row; for {@link #appendEvent} and the outbox ({@link JdbcOutbox}). */
    void insertEvent(DSLContext tx, WebhookEvent event, String json) {
        tx.insertInto(t.events, t.eOrg, t.eId, t.eConfig, t.eCreatedAt, t.eStatus, t.eData, t.ePayload, t.eOriginal)
                .values(
                        event.orgId(),
                        event.eventId(),
                        event.webhookConfigId(),
                        event.createdAt().toEpochMilli(),
                        status(event.status()),
                        json,
                        event.payload(),
                        event.originalPayload())
                .execute();
    }

    /**
     * Inserts the event's jobs in one multi-row statement; for {@link #appendEvent} and the outbox.
     *
     * @throws IllegalArgumentException when a job id is already queued
     */
    void insertJobs(DSLContext tx, WebhookEvent event, List<DeliveryJob> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        InsertValuesStep9<Record, String, String, String, String, Integer, Long, Long, Long, String> insert =
                tx.insertInto(
                        t.jobs,
                        t.jId,
                        t.jOrg,
                        t.jEvent,
                        t.jConfig,
                        t.jAttempt,
                        t.jDueAt,
                        t.jCreatedAt,
                        t.jLeaseToken,
                        t.jOrderingKey);
        for (DeliveryJob job : jobs) {
            insert = insert.values(
                    job.jobId(),
                    job.orgId(),
                    job.eventId(),
                    job.configId(),
                    job.attempt(),
                    job.dueAt().toEpochMilli(),
                    job.createdAt().toEpochMilli(),
                    null,
                    job.orderingKey());
        }
        try {
            insert.execute();
        } catch (DataAccessException e) {
            if (isIntegrityViolation(e)) {
                throw queued(event, jobs);
            }
            throw e;
        }
    }

    /** The refusal of an event whose job ids are already queued. */
    static IllegalArgumentException queued(WebhookEvent event, List<DeliveryJob> jobs) {
        return new IllegalArgumentException("a job id of event " + event.orgId() + "/" + event.eventId()
                + " is already queued: " + jobs.stream().map(DeliveryJob::jobId).toList());
    }

    @Override
    public Optional<WebhookEvent> findEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return ctx.select(t.eData, t.ePayload, t.eOriginal)
                .from(t.events)
                .where(t.eOrg.eq(orgId), t.eId.eq(eventId))
                .fetchOptional(this::readEvent);
    }

    @Override
    public List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventIds, "eventIds");
        if (eventIds.isEmpty()) {
            return List.of();
        }
        return ctx.select(t.eData, t.ePayload, t.eOriginal)
                .from(t.events)
                .where(t.eOrg.eq(orgId), t.eId.in(eventIds))
                .fetch(this::readEvent);
    }

    @Override
    public EventPage searchEvents(String orgId, EventQuery query) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(query, "query");
        List<Condition> where = new ArrayList<>();
        where.add(t.eOrg.eq(orgId));
        if (query.configId() != null) {
            where.add(t.eConfig.eq(query.configId()));
        }
        if (query.status() != null) {
            where.add(t.eStatus.eq(query.status().wireName()));
        }
        if (query.eventId() != null) {
            where.add(t.eId.eq(query.eventId()));
        }
        if (query.from() != null) {
            where.add(t.eCreatedAt.ge(query.from().toEpochMilli()));
        }
        if (query.to() != null) {
            where.add(t.eCreatedAt.le(query.to().toEpochMilli()));
        }
        if (query.after() != null) {
            where.add(row(t.eCreatedAt, t.eId)
                    .lt(query.after().createdAt().toEpochMilli(), query.after().eventId()));
        }
        List<WebhookEvent> found = ctx.select(t.eData, t.ePayload, t.eOriginal)
                .from(t.events)
                .where(where)
                .orderBy(t.eCreatedAt.desc(), t.eId.desc())
                .limit(query.limit() + 1)
                .fetch(this::readEvent);
        boolean hasMore = found.size() > query.limit();
        return new EventPage(hasMore ? found.subList(0, query.limit()) : found, hasMore);
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return ctx.select(
                        t.aOrg,
                        t.aEvent,
                        t.aAttempt,
                        t.aStartedAt,
                        t.aEndedAt,
                        t.aStatusCode,
                        t.aCode,
                        t.aError,
                        t.aResponseExcerpt)
                .from(t.attempts)
                .where(t.aOrg.eq(orgId), t.aEvent.eq(eventId))
                .orderBy(t.aAttempt.asc(), t.aSeq.asc())
                .fetch(record -> new DeliveryAttempt(
                        record.get(t.aOrg),
                        record.get(t.aEvent),
                        record.get(t.aAttempt),
                        Instant.ofEpochMilli(record.get(t.aStartedAt)),
                        Instant.ofEpochMilli(record.get(t.aEndedAt)),
                        record.get(t.aStatusCode),
                        record.get(t.aCode),
                        record.get(t.aError),
                        record.get(t.aResponseExcerpt)));
    }

    @Override
    public EventStats deliveryStats(String orgId, StatsQuery query) {
        return stats.deliveryStats(orgId, query);
    }

    @Override
    public int purgeEvents(Instant cutoff, int max) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (max < 1) {
            return 0;
        }
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Result<Record2<String, String>> victims = tx.select(t.eOrg, t.eId)
                    .from(t.events)
                    .where(
                            t.eCreatedAt.lt(cutoff.toEpochMilli()),
                            t.eStatus.in(
                                    EventStatus.SUCCEEDED.wireName(),
                                    EventStatus.FAILED.wireName(),
                                    EventStatus.SKIPPED.wireName()))
                    .orderBy(t.eCreatedAt.asc())
                    .limit(max)
                    .forUpdate()
                    .skipLocked()
                    .fetch();
            if (victims.isEmpty()) {
                return 0;
            }
            List<org.jooq.Row2<String, String>> keys = victims.stream()
                    .map(victim -> row(victim.value1(), victim.value2()))
                    .toList();
            tx.deleteFrom(t.attempts).where(row(t.aOrg, t.aEvent).in(keys)).execute();
            return tx.deleteFrom(t.events).where(row(t.eOrg, t.eId).in(keys)).execute();
        });
    }

    @Override
    public Optional<IdempotencyRecord> appendEventsOnce(IdempotencyRecord record, List<NewEvent> events) {
        return keys.appendEventsOnce(record, events);
    }

    @Override
    public int purgeIdempotencyRecords(Instant now, int max) {
        return keys.purge(now, max);
    }

    /** The event as JSON for {@code event_data}: everything but the payloads, which have columns of their own. */
    String eventJson(WebhookEvent event) {
        try {
            return mapper.writeValueAsString(
                    event.toBuilder().payload(null).originalPayload(null).build());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.eventId() + " cannot be written as JSON", e);
        }
    }

    /** An event from {@code event_data}, {@code payload} and {@code original_payload}, in that order. */
    private WebhookEvent readEvent(Record record) {
        return readEvent(record.get(0, String.class), record.get(1, String.class), record.get(2, String.class));
    }

    /** An event from its row: {@code event_data} and the two payload columns. */
    WebhookEvent readEvent(String eventData, String payload, String originalPayload) {
        WebhookEvent event;
        try {
            event = mapper.readValue(eventData, WebhookEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event is not readable JSON", e);
        }
        return event.toBuilder()
                .payload(payload)
                .originalPayload(originalPayload)
                .build();
    }

    /** The {@code status} column's value. */
    static String status(EventStatus status) {
        return status == null ? null : status.wireName();
    }
}
