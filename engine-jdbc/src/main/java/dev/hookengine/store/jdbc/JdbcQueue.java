package dev.hookengine.store.jdbc;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.min;

import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedDelivery;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.RatePermit;
import dev.hookengine.store.support.StoreArguments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep9;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeliveryQueue} of {@link JdbcWebhookStore}: one row per job, leased by writing a lease
 * owner, expiry and token into it.
 *
 * <p>{@link #claim} runs in one transaction: {@code SELECT ... WHERE due_at <= now AND (lease_token IS
 * NULL OR lease_expires_at <= now) ORDER BY due_at, seq LIMIT max FOR UPDATE SKIP LOCKED}, one new lease
 * token from the sequence {@code <prefix>lease_tokens}, then one {@code UPDATE} of the selected rows
 * that repeats the claimable condition (so a row changed between the scan and the lock is left alone).
 * Concurrent claimers never wait for one another and never hand out a job twice while its lease holds.
 * Every operation on a claimed job is a single statement conditioned on {@code lease_token}, so a stale
 * claim changes nothing. Jobs with equal {@code due_at} are claimed in the order they were queued.
 *
 * <p>{@link #recordOutcomes} writes the outcomes of many attempts in one transaction of three round
 * trips (the engine hands it every outcome that finished while the previous write was in flight),
 * instead of three transactions per attempt; it writes the events' rows as {@link JdbcEvents} does,
 * and the configs' health as {@link JdbcConfigHealth} does (one more statement per config in the call;
 * on PostgreSQL, folded into the one statement).
 *
 * <p>{@link #takePermit} is {@link JdbcRatePermits}', which touches no job.
 */
final class JdbcQueue implements DeliveryQueue {

    // Under the store's name, as before the store had parts: operators and their log filters know it.
    private static final Logger LOG = LoggerFactory.getLogger(JdbcWebhookStore.class);

    private final DSLContext ctx;
    private final JdbcTables t;
    private final JdbcEvents eventRows;
    /** PostgreSQL's one-statement claim and outcomes; {@code null} on H2. */
    private final PostgresHotPath postgres;

    private final JdbcRatePermits permits;
    /** The columns of a {@link DeliveryJob}, as {@link #toJob} reads them. */
    private final List<Field<?>> jobFields;

    private final JdbcConfigHealth health;

    JdbcQueue(
            DSLContext ctx,
            JdbcTables tables,
            JdbcEvents eventRows,
            PostgresHotPath postgres,
            JdbcRatePermits permits) {
        this.ctx = ctx;
        this.t = tables;
        this.eventRows = eventRows;
        this.postgres = postgres;
        this.permits = permits;
        this.jobFields =
                List.of(t.jId, t.jOrg, t.jEvent, t.jConfig, t.jAttempt, t.jDueAt, t.jCreatedAt, t.jOrderingKey);
        this.health = new JdbcConfigHealth(tables);
    }

    /** The claim's SELECT: due, unleased (or expired) jobs, earliest first, skipping rows other claimers lock. */
    private org.jooq.ResultQuery<Record> claimQuery(DSLContext dsl, long nowMillis, int max) {
        return dsl.select(jobFields)
                .from(t.jobs)
                .where(claimable(nowMillis))
                .orderBy(t.jDueAt.asc(), t.jSeq.asc())
                .limit(max)
                .forUpdate()
                .skipLocked();
    }

    /** The claim's SELECT as SQL with its values inlined, for {@code EXPLAIN} in tests and by operators. */
    String claimSql(Instant now, int max) {
        return ctx.renderInlined(claimQuery(ctx, now.toEpochMilli(), max));
    }

    private Condition claimable(long now) {
        return t.jDueAt
                .le(now)
                .and(t.jLeaseToken.isNull().or(t.jLeaseExpiresAt.le(now)))
                .and(configNotPaused())
                .and(firstOfItsLane());
    }

    /**
     * The job has no ordering key, or no job of its lane (organization, config and key) queued before
     * it is still queued: the lane's jobs go out one at a time, in queue order. The {@code OR} keeps
     * the lookup (in {@code jobs_lane}) to the jobs that have a lane.
     */
    private Condition firstOfItsLane() {
        String earlier = "earlier";
        return t.jOrderingKey
                .isNull()
                .or(DSL.notExists(DSL.selectOne()
                        .from(t.jobs.as(DSL.unquotedName(earlier)))
                        .where(
                                qualified(earlier, t.jOrg).eq(qualified(t.jobs.getName(), t.jOrg)),
                                qualified(earlier, t.jConfig).eq(qualified(t.jobs.getName(), t.jConfig)),
                                qualified(earlier, t.jOrderingKey).eq(qualified(t.jobs.getName(), t.jOrderingKey)),
                                qualified(earlier, t.jSeq).lt(qualified(t.jobs.getName(), t.jSeq)))));
    }

    /** The job's config is not paused (a deleted config's jobs stay claimable, to be ended). */
    private Condition configNotPaused() {
        return DSL.notExists(DSL.selectOne()
                .from(t.configs.as(DSL.unquotedName("c")))
                .where(
                        qualified("c", t.cOrg).eq(qualified(t.jobs.getName(), t.jOrg)),
                        qualified("c", t.cId).eq(qualified(t.jobs.getName(), t.jConfig)),
                        qualified("c", t.cPaused).isTrue()));
    }

    private static <T> Field<T> qualified(String table, Field<T> column) {
        return DSL.field(DSL.unquotedName(table, column.getName()), column.getDataType());
    }

    /**
     * {@link dev.hookengine.spi.WebhookStore#claimDeliveries} in one statement on PostgreSQL.
     *
     * @return the deliveries, or empty when this database has no one-statement form (H2): then the
     *         store claims and reads the events in calls of their own
     */
    Optional<List<ClaimedDelivery>> claimDeliveries(Instant now, int max, Duration lease, String nodeId) {
        if (postgres == null) {
            return Optional.empty();
        }
        StoreArguments.requireClaim(now, max, lease, nodeId);
        return Optional.of(postgres.claimDeliveries(now, max, now.plus(lease), nodeId, eventRows::readEvent));
    }

    @Override
    public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
        StoreArguments.requireClaim(now, max, lease, nodeId);
        long nowMillis = now.toEpochMilli();
        Instant leaseExpiresAt = now.plus(lease);
        if (postgres != null) {
            return postgres.claim(now, max, leaseExpiresAt, nodeId);
        }
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<DeliveryJob> chosen = claimQuery(tx, nowMillis, max).fetch(this::toJob);
            if (chosen.isEmpty()) {
                return List.<ClaimedJob>of();
            }
            long token = tx.nextval(t.leaseTokens);
            List<String> ids = chosen.stream().map(DeliveryJob::jobId).toList();
            int updated = tx.update(t.jobs)
                    .set(t.jLeaseOwner, nodeId)
                    .set(t.jLeaseExpiresAt, leaseExpiresAt.toEpochMilli())
                    .set(t.jLeaseToken, token)
                    .where(t.jId.in(ids))
                    .and(claimable(nowMillis))
                    .execute();
            Set<String> won = updated == ids.size()
                    ? Set.copyOf(ids)
                    : tx.select(t.jId)
                            .from(t.jobs)
                            .where(t.jId.in(ids), t.jLeaseToken.eq(token))
                            .fetchSet(t.jId);
            List<ClaimedJob> claims = new ArrayList<>(won.size());
            for (DeliveryJob job : chosen) {
                if (won.contains(job.jobId())) {
                    claims.add(new ClaimedJob(job, nodeId, leaseExpiresAt, token));
                }
            }
            return claims;
        });
    }

    @Override
    public Optional<ClaimedJob> claimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId) {
        StoreArguments.requireClaimJob(orgId, jobId, now, lease, nodeId);
        long nowMillis = now.toEpochMilli();
        Instant leaseExpiresAt = now.plus(lease);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            long token = tx.nextval(t.leaseTokens);
            int updated = tx.update(t.jobs)
                    .set(t.jLeaseOwner, nodeId)
                    .set(t.jLeaseExpiresAt, leaseExpiresAt.toEpochMilli())
                    .set(t.jLeaseToken, token)
                    .where(t.jId.eq(jobId), t.jOrg.eq(orgId))
                    .and(t.jLeaseToken.isNull().or(t.jLeaseExpiresAt.le(nowMillis)))
                    .and(configNotPaused())
                    .and(firstOfItsLane())
                    .execute();
            if (updated == 0) {
                return Optional.<ClaimedJob>empty();
            }
            DeliveryJob job =
                    tx.select(jobFields).from(t.jobs).where(t.jId.eq(jobId)).fetchOne(this::toJob);
            return Optional.of(new ClaimedJob(job, nodeId, leaseExpiresAt, token));
        });
    }

    @Override
    public boolean complete(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return ctx.deleteFrom(t.jobs).where(heldBy(claim)).execute() > 0;
    }

    @Override
    public boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        StoreArguments.requireReschedule(claim, attempt, dueAt);
        return rescheduleQuery(ctx, claim, attempt, dueAt).execute() > 0;
    }

    private org.jooq.Query rescheduleQuery(DSLContext dsl, ClaimedJob claim, int attempt, Instant dueAt) {
        return dsl.update(t.jobs)
                .set(t.jAttempt, attempt)
                .set(t.jDueAt, dueAt.toEpochMilli())
                .setNull(t.jLeaseOwner)
                .setNull(t.jLeaseExpiresAt)
                .setNull(t.jLeaseToken)
                .where(heldBy(claim));
    }

    @Override
    public boolean release(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return ctx.update(t.jobs)
                        .setNull(t.jLeaseOwner)
                        .setNull(t.jLeaseExpiresAt)
                        .setNull(t.jLeaseToken)
                        .where(heldBy(claim))
                        .execute()
                > 0;
    }

    /**
     * One transaction for the whole list, three round trips whatever its length: a JDBC batch moving
     * each job on (a {@code DELETE} or {@code UPDATE} conditioned on its lease token, whose update count
     * says whether the claim still held it), then a batch of event updates (status and {@code event_data};
     * the payload columns are left as they are) and one multi-row insert of attempts, both only for the
     * outcomes whose job moved. Jobs are touched in job-id order, in one statement batch, so two
     * concurrent calls (a stale claim's and the current holder's) cannot deadlock.
     */
    @Override
    public List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes) {
        StoreArguments.requireOutcomes(outcomes);
        if (outcomes.isEmpty()) {
            return List.of();
        }
        if (postgres != null) {
            return postgres.recordOutcomes(
                    outcomes,
                    outcomes.stream().map(o -> eventRows.eventJson(o.event())).toList());
        }
        List<AttemptOutcome> ordered = outcomes.stream()
                .sorted(Comparator.comparing(
                        (AttemptOutcome outcome) -> outcome.claim().job().jobId()))
                .toList();
        Set<AttemptOutcome> written = ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<org.jooq.Query> moves = new ArrayList<>(ordered.size());
            for (AttemptOutcome outcome : ordered) {
                moves.add(
                        outcome.completesJob()
                                ? tx.deleteFrom(t.jobs).where(heldBy(outcome.claim()))
                                : rescheduleQuery(
                                        tx, outcome.claim(), outcome.attempt().attempt(), outcome.retryAt()));
            }
            int[] counts = tx.batch(moves).execute();
            List<AttemptOutcome> moved = new ArrayList<>(ordered.size());
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    moved.add(ordered.get(i));
                }
            }
            if (moved.isEmpty()) {
                return Set.<AttemptOutcome>of();
            }
            holdLanes(tx, moved);
            org.jooq.BatchBindStep events = tx.batch(tx.update(t.events)
                    .set(t.eStatus, (String) null)
                    .set(t.eData, (String) null)
                    .where(t.eOrg.eq((String) null), t.eId.eq((String) null)));
            InsertValuesStep9<Record, String, String, Integer, Long, Long, Integer, String, String, String> attempts =
                    insertAttempts(tx);
            for (AttemptOutcome outcome : moved) {
                WebhookEvent event = outcome.event();
                events = events.bind(
                        JdbcEvents.status(event.status()), eventRows.eventJson(event), event.orgId(), event.eventId());
                attempts = withAttempt(attempts, outcome.attempt());
            }
            events.execute();
            attempts.execute();
            // By identity: two outcomes of one job (under two claims) are told apart by which one moved it.
            Set<AttemptOutcome> ids = Collections.newSetFromMap(new IdentityHashMap<>());
            ids.addAll(moved);
            // in the caller's order, which the health counts in (the moves went in job-id order)
            health.record(tx, outcomes.stream().filter(ids::contains).toList());
            return ids;
        });
        return outcomes.stream().map(written::contains).toList();
    }

    /**
     * Keeps the later jobs of each retried job's lane from being due before its retry: they could not
     * be claimed before it, and waiting due they would cost every claim a look at each of them.
     */
    private void holdLanes(DSLContext tx, List<AttemptOutcome> moved) {
        List<org.jooq.Query> holds = new ArrayList<>();
        String head = "head";
        for (AttemptOutcome outcome : moved) {
            DeliveryJob job = outcome.claim().job();
            if (outcome.completesJob() || job.orderingKey() == null) {
                continue;
            }
            long retryAt = outcome.retryAt().toEpochMilli();
            holds.add(tx.update(t.jobs)
                    .set(t.jDueAt, retryAt)
                    .where(
                            t.jOrg.eq(job.orgId()),
                            t.jConfig.eq(job.configId()),
                            t.jOrderingKey.eq(job.orderingKey()),
                            t.jSeq.gt(DSL.select(qualified(head, t.jSeq))
                                    .from(t.jobs.as(DSL.unquotedName(head)))
                                    .where(qualified(head, t.jId).eq(job.jobId()))),
                            t.jDueAt.lt(retryAt),
                            t.jLeaseToken.isNull()));
        }
        if (!holds.isEmpty()) {
            tx.batch(holds).execute();
        }
    }

    private InsertValuesStep9<Record, String, String, Integer, Long, Long, Integer, String, String, String>
            insertAttempts(DSLContext dsl) {
        return dsl.insertInto(
                t.attempts,
                t.aOrg,
                t.aEvent,
                t.aAttempt,
                t.aStartedAt,
                t.aEndedAt,
                t.aStatusCode,
                t.aCode,
                t.aError,
                t.aResponseExcerpt);
    }

    /** Adds {@code attempt} as one more row of {@code insert}. */
    private static InsertValuesStep9<Record, String, String, Integer, Long, Long, Integer, String, String, String>
            withAttempt(
                    InsertValuesStep9<Record, String, String, Integer, Long, Long, Integer, String, String, String>
                            insert,
                    DeliveryAttempt attempt) {
        return insert.values(
                attempt.orgId(),
                attempt.eventId(),
                attempt.attempt(),
                attempt.startedAt().toEpochMilli(),
                attempt.endedAt().toEpochMilli(),
                attempt.statusCode(),
                attempt.code(),
                attempt.error(),
                attempt.responseExcerpt());
    }

    /**
     * Clears every lease; for {@link JdbcWebhookStoreBuilder#soleProcess}, where only a dead process can
     * hold one.
     */
    int releaseEveryLease() {
        int released = ctx.update(t.jobs)
                .setNull(t.jLeaseOwner)
                .setNull(t.jLeaseExpiresAt)
                .setNull(t.jLeaseToken)
                .where(t.jLeaseToken.isNotNull())
                .execute();
        if (released > 0) {
            LOG.info("released {} delivery jobs leased by a process that ended without giving them back", released);
        }
        return released;
    }

    /** One statement, conditioned on the lease token and on the lease not having expired. */
    @Override
    public Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease) {
        StoreArguments.requireRenewal(claim, now, lease);
        Instant leaseExpiresAt = now.plus(lease);
        int renewed = ctx.update(t.jobs)
                .set(t.jLeaseExpiresAt, leaseExpiresAt.toEpochMilli())
                .where(heldBy(claim))
                .and(t.jLeaseExpiresAt.gt(now.toEpochMilli()))
                .execute();
        return renewed == 0
                ? Optional.empty()
                : Optional.of(new ClaimedJob(claim.job(), claim.nodeId(), leaseExpiresAt, claim.leaseToken()));
    }

    private Condition heldBy(ClaimedJob claim) {
        return t.jId.eq(claim.job().jobId())
                .and(t.jOrg.eq(claim.job().orgId()))
                .and(t.jLeaseToken.eq(claim.leaseToken()));
    }

    @Override
    public List<DeliveryJob> jobsOfEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return ctx.select(jobFields)
                .from(t.jobs)
                .where(t.jOrg.eq(orgId), t.jEvent.eq(eventId))
                .orderBy(t.jDueAt.asc(), t.jSeq.asc())
                .fetch(this::toJob);
    }

    @Override
    public QueueStats stats(Instant now) {
        Objects.requireNonNull(now, "now");
        Condition due = claimable(now.toEpochMilli());
        Record3<Integer, Integer, Long> stats = ctx.select(
                        count(), count().filterWhere(due), min(t.jDueAt).filterWhere(due))
                .from(t.jobs)
                .fetchOne();
        Long oldest = stats.value3();
        return new QueueStats(stats.value1(), stats.value2(), oldest == null ? null : Instant.ofEpochMilli(oldest));
    }

    @Override
    public RatePermit takePermit(String orgId, String configId, int perSecond, Instant now) {
        return permits.take(orgId, configId, perSecond, now);
    }

    private DeliveryJob toJob(Record record) {
        return new DeliveryJob(
                record.get(t.jId),
                record.get(t.jOrg),
                record.get(t.jEvent),
                record.get(t.jConfig),
                record.get(t.jAttempt),
                Instant.ofEpochMilli(record.get(t.jDueAt)),
                Instant.ofEpochMilli(record.get(t.jCreatedAt)),
                record.get(t.jOrderingKey));
    }
}
