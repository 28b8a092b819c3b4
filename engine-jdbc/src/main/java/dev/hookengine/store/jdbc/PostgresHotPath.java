package dev.hookengine.store.jdbc;

import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedDelivery;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.postgresql.PGStatement;

/**
 * The statements of the delivery hot path on PostgreSQL, one round trip each: publishing events,
 * claiming jobs and recording attempts' outcomes. Each is one statement whose SQL text is written
 * once, when the store is built, with the rows as a {@code VALUES} list: the engine renders nothing
 * per call but that list.
 * Several writes go in one statement through data-modifying {@code WITH} clauses, so each call is
 * also one transaction and one commit.
 *
 * <p>The other statements, and every statement on H2, go through jOOQ, whose rendering is what these
 * save (about a third of the JVM's CPU per delivery before them: {@code benchmarks/README.md}).
 */
final class PostgresHotPath {

    /** The most events one statement carries: a statement takes at most 65,535 parameters. */
    static final int CHUNK = 1_000;

    private final DSLContext ctx;
    private final String appendEvents;
    private final String claim;
    private final String claimDeliveries;
    private final String recordOutcomes;

    PostgresHotPath(DSLContext ctx, JdbcTables t) {
        this.ctx = ctx;
        String events = t.prefix + "events";
        String jobs = t.prefix + "jobs";
        String attempts = t.prefix + "attempts";
        // An event whose id the organization has is left out (ON CONFLICT DO NOTHING), and so are its
        // jobs; jobs go in in list order, so that jobs due at once are claimed in publish order.
        this.appendEvents = """
                WITH n (org_id, event_id, config_id, created_at, status, event_data, payload, original_payload,
                        ord) AS (VALUES %3$s),
                ins AS (
                  INSERT INTO %1$s (org_id, event_id, config_id, created_at, status, event_data, payload,
                                    original_payload)
                  SELECT org_id, event_id, config_id, created_at, status, event_data, payload, original_payload
                  FROM n ORDER BY ord
                  ON CONFLICT DO NOTHING
                  RETURNING org_id, event_id),
                j (job_id, org_id, event_id, config_id, attempt, due_at, created_at, ordering_key, ord)
                  AS (VALUES %4$s),
                queued AS (
                  INSERT INTO %2$s (job_id, org_id, event_id, config_id, attempt, due_at, created_at, ordering_key)
                  SELECT j.job_id, j.org_id, j.event_id, j.config_id, j.attempt, j.due_at, j.created_at,
                         j.ordering_key
                  FROM j JOIN ins ON ins.org_id = j.org_id AND ins.event_id = j.event_id
                  ORDER BY j.ord)
                SELECT org_id, event_id FROM ins
                """.formatted(events, jobs, "%1$s", "%2$s");
        // The inner SELECT locks the due rows it takes and skips those other claimers lock; ARRAY()
        // makes it run once. Each claimed row gets a lease token of its own. A job with a lane is taken
        // only as its lane's first (jobs_lane); the OR keeps the jobs without one from that lookup.
        this.claim = """
                UPDATE %1$s SET lease_owner = ?, lease_expires_at = ?, lease_token = nextval('%2$s')
                WHERE job_id = ANY(ARRAY(
                  SELECT job_id FROM %1$s j
                  WHERE due_at <= ? AND (lease_token IS NULL OR lease_expires_at <= ?)
                    AND NOT EXISTS (SELECT 1 FROM %3$s c
                                    WHERE c.org_id = j.org_id AND c.id = j.config_id AND c.paused)
                    AND (j.ordering_key IS NULL
                         OR NOT EXISTS (SELECT 1 FROM %1$s earlier
                                        WHERE earlier.org_id = j.org_id AND earlier.config_id = j.config_id
                                          AND earlier.ordering_key = j.ordering_key AND earlier.seq < j.seq))
                  ORDER BY due_at, seq
                  LIMIT {limit}
                  FOR UPDATE SKIP LOCKED))
                RETURNING job_id, org_id, event_id, config_id, attempt, due_at, created_at, seq, lease_token,
                          ordering_key
                """.formatted(jobs, t.prefix + "lease_tokens", t.prefix + "configs");
        // The claim and its events' reads in one statement: the round trip a delivery round needs. An
        // event purged since its job was queued comes back as NULLs (LEFT JOIN).
        this.claimDeliveries = """
                WITH c AS (%1$s)
                SELECT c.job_id, c.org_id, c.event_id, c.config_id, c.attempt, c.due_at, c.created_at, c.seq,
                       c.lease_token, c.ordering_key, e.event_data, e.payload, e.original_payload
                FROM c LEFT JOIN %2$s e ON e.org_id = c.org_id AND e.event_id = c.event_id
                """.formatted(claim.strip(), events);
        // A claim moves its job only while it holds it (same token); the event and the attempt are
        // written only for outcomes whose job moved. A retried job with a lane holds the lane's later
        // jobs until its retry (held): they wait out of the claims' way instead of being passed over. A stale claim's
        // condition is false on the row, so
        // it takes no lock there: a stale and a current writer never wait for each other.
        // The configs' health (V7) moves with the outcomes whose job moved: per config, a success
        // ('s') ends the streak and the failures ('f') listed after its last success count on (see
        // DeliveryQueue#recordOutcomes). Only configs that change are written: one with failures, or
        // one in a streak that a success ends; a healthy config's success costs one index probe. Rows
        // are upserted in (org_id, config_id) order, so that concurrent writers lock them in one order.
        this.recordOutcomes = """
                WITH o (job_id, org_id, token, completes, retry_at, event_id, status, event_data, attempt,
                        started_at, ended_at, status_code, code, error, response_excerpt, config_id, health,
                        ord) AS (VALUES %5$s),
                done AS (
                  DELETE FROM %1$s j USING o
                  WHERE o.completes AND j.job_id = o.job_id AND j.org_id = o.org_id AND j.lease_token = o.token
                  RETURNING o.job_id, o.token),
                later AS (
                  UPDATE %1$s j SET attempt = o.attempt, due_at = o.retry_at,
                                    lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL
                  FROM o
                  WHERE NOT o.completes AND j.job_id = o.job_id AND j.org_id = o.org_id AND j.lease_token = o.token
                  RETURNING o.job_id, o.token, j.org_id, j.config_id, j.ordering_key, j.seq, j.due_at),
                moved AS (SELECT job_id, token FROM done UNION ALL SELECT job_id, token FROM later),
                held AS (
                  UPDATE %1$s f SET due_at = l.due_at
                  FROM later l
                  WHERE l.ordering_key IS NOT NULL AND f.org_id = l.org_id AND f.config_id = l.config_id
                    AND f.ordering_key = l.ordering_key AND f.seq > l.seq AND f.due_at < l.due_at
                    AND f.lease_token IS NULL),
                event_rows AS (
                  UPDATE %2$s e SET status = o.status, event_data = o.event_data
                  FROM o JOIN moved m ON m.job_id = o.job_id AND m.token = o.token
                  WHERE e.org_id = o.org_id AND e.event_id = o.event_id),
                attempt_rows AS (
                  INSERT INTO %3$s (org_id, event_id, attempt, started_at, ended_at, status_code, code, error,
                                    response_excerpt)
                  SELECT o.org_id, o.event_id, o.attempt, o.started_at, o.ended_at, o.status_code, o.code, o.error,
                         o.response_excerpt
                  FROM o JOIN moved m ON m.job_id = o.job_id AND m.token = o.token),
                health_in AS (
                  SELECT o.org_id, o.config_id, o.health, o.ended_at, o.ord,
                         coalesce(max(o.ord) FILTER (WHERE o.health = 's')
                                  OVER (PARTITION BY o.org_id, o.config_id), 0) AS last_success
                  FROM o JOIN moved m ON m.job_id = o.job_id AND m.token = o.token
                  WHERE o.health IS NOT NULL),
                health_change AS (
                  SELECT org_id, config_id, bool_or(health = 's') AS reset,
                         count(*) FILTER (WHERE health = 'f' AND ord > last_success) AS failed,
                         (array_agg(ended_at ORDER BY ord) FILTER (WHERE health = 'f' AND ord > last_success))[1]
                           AS first_failed
                  FROM health_in GROUP BY org_id, config_id),
                health_rows AS (
                  INSERT INTO %4$s AS h (org_id, config_id, failing_since, failed_attempts)
                  SELECT g.org_id, g.config_id, g.first_failed, g.failed FROM health_change g
                  WHERE g.failed > 0
                     OR EXISTS (SELECT 1 FROM %4$s x WHERE x.org_id = g.org_id AND x.config_id = g.config_id
                                AND x.failing_since IS NOT NULL)
                  ORDER BY g.org_id, g.config_id
                  ON CONFLICT (org_id, config_id) DO UPDATE SET
                    failing_since = CASE WHEN (SELECT g.reset FROM health_change g WHERE g.org_id = EXCLUDED.org_id
                                                AND g.config_id = EXCLUDED.config_id)
                                    THEN EXCLUDED.failing_since
                                    ELSE coalesce(h.failing_since, EXCLUDED.failing_since) END,
                    failed_attempts = CASE WHEN (SELECT g.reset FROM health_change g
                                                 WHERE g.org_id = EXCLUDED.org_id
                                                   AND g.config_id = EXCLUDED.config_id)
                                      THEN EXCLUDED.failed_attempts
                                      ELSE h.failed_attempts + EXCLUDED.failed_attempts END)
                SELECT job_id, token FROM moved
                """.formatted(jobs, events, attempts, t.prefix + "config_health", "%1$s");
    }

    /**
     * Appends the events and their jobs in one statement (per {@value #CHUNK} events, all in one
     * transaction).
     *
     * @param eventJson each event's {@code event_data}, in order
     * @return for each event, whether it was appended ({@code false}: the organization has its id)
     * @throws org.jooq.exception.DataAccessException on a failure, a job id already queued included (an
     *                                                 integrity violation); nothing is written then
     */
    List<Boolean> appendEvents(List<NewEvent> events, List<String> eventJson) {
        Set<String> appended = new HashSet<>();
        transaction(events.size() <= CHUNK, connection -> {
            for (int from = 0; from < events.size(); from += CHUNK) {
                List<NewEvent> chunk = events.subList(from, Math.min(events.size(), from + CHUNK));
                int jobCount =
                        chunk.stream().mapToInt(event -> event.jobs().size()).sum();
                String sql = appendEvents.formatted(
                        rows(chunk.size(), "(?, ?, ?, ?::bigint, ?, ?, ?, ?, %d)"),
                        jobCount == 0
                                ? "(NULL, NULL, NULL, NULL, NULL::int, NULL::bigint, NULL::bigint, NULL, 0)"
                                : rows(jobCount, "(?, ?, ?, ?, ?::int, ?::bigint, ?::bigint, ?, %d)"));
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    Params params = new Params(statement);
                    for (int i = 0; i < chunk.size(); i++) {
                        WebhookEvent event = chunk.get(i).event();
                        params.text(event.orgId())
                                .text(event.eventId())
                                .text(event.webhookConfigId())
                                .number(event.createdAt().toEpochMilli())
                                .text(JdbcEvents.status(event.status()))
                                .text(eventJson.get(from + i))
                                .text(event.payload())
                                .text(event.originalPayload());
                    }
                    for (NewEvent event : chunk) {
                        for (DeliveryJob job : event.jobs()) {
                            params.text(job.jobId())
                                    .text(job.orgId())
                                    .text(job.eventId())
                                    .text(job.configId())
                                    .integer(job.attempt())
                                    .number(job.dueAt().toEpochMilli())
                                    .number(job.createdAt().toEpochMilli())
                                    .text(job.orderingKey());
                        }
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            appended.add(key(rows.getString(1), rows.getString(2)));
                        }
                    }
                }
            }
        });
        return events.stream()
                .map(event -> appended.contains(
                        key(event.event().orgId(), event.event().eventId())))
                .toList();
    }

    /** Leases up to {@code max} due jobs in one statement; earliest due first, then in queue order. */
    List<ClaimedJob> claim(Instant now, int max, Instant leaseExpiresAt, String nodeId) {
        return claim(claim, now, max, leaseExpiresAt, nodeId, null).stream()
                .map(ClaimedDelivery::claim)
                .toList();
    }

    /**
     * Leases up to {@code max} due jobs and reads their events, in one statement; in {@link #claim}'s
     * order.
     *
     * @param readEvent makes an event of its {@code event_data}, {@code payload} and
     *                  {@code original_payload}
     */
    List<ClaimedDelivery> claimDeliveries(
            Instant now, int max, Instant leaseExpiresAt, String nodeId, EventReader readEvent) {
        return claim(claimDeliveries, now, max, leaseExpiresAt, nodeId, readEvent);
    }

    /** Runs a claim statement; with a reader, its rows carry the event's three columns after the job's. */
    private List<ClaimedDelivery> claim(
            String sql, Instant now, int max, Instant leaseExpiresAt, String nodeId, EventReader readEvent) {
        List<Claimed> claimed = new ArrayList<>(max);
        transaction(true, connection -> {
            // The limit is written into the SQL, not bound, so that the planner knows how few rows
            // the claim wants.
            String limited = sql.replace("{limit}", Integer.toString(max));
            try (PreparedStatement statement = planEachRun(connection.prepareStatement(limited))) {
                statement.setString(1, nodeId);
                statement.setLong(2, leaseExpiresAt.toEpochMilli());
                statement.setLong(3, now.toEpochMilli());
                statement.setLong(4, now.toEpochMilli());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        DeliveryJob job = new DeliveryJob(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getInt(5),
                                Instant.ofEpochMilli(rows.getLong(6)),
                                Instant.ofEpochMilli(rows.getLong(7)),
                                rows.getString(10));
                        ClaimedJob claim = new ClaimedJob(job, nodeId, leaseExpiresAt, rows.getLong(9));
                        String eventData = readEvent == null ? null : rows.getString(11);
                        Optional<WebhookEvent> event = eventData == null
                                ? Optional.empty()
                                : Optional.of(readEvent.read(eventData, rows.getString(12), rows.getString(13)));
                        claimed.add(new Claimed(new ClaimedDelivery(claim, event), rows.getLong(8)));
                    }
                }
            }
        });
        // UPDATE ... RETURNING gives no order: restore the queue's.
        claimed.sort(
                Comparator.comparing((Claimed c) -> c.delivery().claim().job().dueAt())
                        .thenComparingLong(Claimed::seq));
        return claimed.stream().map(Claimed::delivery).toList();
    }

    /**
     * Writes the outcomes in one statement.
     *
     * @param eventJson each outcome's event's {@code event_data}, in order
     * @return for each outcome, whether it was written (its claim still held its job)
     */
    List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes, List<String> eventJson) {
        Set<String> moved = new HashSet<>();
        String sql = recordOutcomes.formatted(rows(
                outcomes.size(),
                "(?, ?, ?::bigint, ?::boolean, ?::bigint, ?, ?, ?, ?::int, ?::bigint, ?::bigint, ?::int, ?, ?, ?, ?,"
                        + " ?, %d)"));
        transaction(true, connection -> {
            try (PreparedStatement statement = planEachRun(connection.prepareStatement(sql))) {
                Params params = new Params(statement);
                for (int i = 0; i < outcomes.size(); i++) {
                    AttemptOutcome outcome = outcomes.get(i);
                    ClaimedJob claim = outcome.claim();
                    DeliveryAttempt attempt = outcome.attempt();
                    WebhookEvent event = outcome.event();
                    params.text(claim.job().jobId())
                            .text(claim.job().orgId())
                            .number(claim.leaseToken())
                            .bool(outcome.completesJob())
                            .number(
                                    outcome.completesJob()
                                            ? null
                                            : outcome.retryAt().toEpochMilli())
                            .text(event.eventId())
                            .text(JdbcEvents.status(event.status()))
                            .text(eventJson.get(i))
                            .integer(attempt.attempt())
                            .number(attempt.startedAt().toEpochMilli())
                            .number(attempt.endedAt().toEpochMilli())
                            .integer(attempt.statusCode())
                            .text(attempt.code())
                            .text(attempt.error())
                            .text(attempt.responseExcerpt())
                            .text(claim.job().configId())
                            .text(healthCode(outcome.health()));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        moved.add(key(rows.getString(1), Long.toString(rows.getLong(2))));
                    }
                }
            }
        });
        return outcomes.stream()
                .map(outcome -> moved.contains(key(
                        outcome.claim().job().jobId(),
                        Long.toString(outcome.claim().leaseToken()))))
                .toList();
    }

    /** An outcome's health as the outcomes statement reads it: 's', 'f', or NULL for none. */
    private static String healthCode(AttemptOutcome.Health health) {
        return switch (health) {
            case SUCCEEDED -> "s";
            case FAILED -> "f";
            case NONE -> null;
        };
    }

    /** {@code count} rows of a {@code VALUES} list, each {@code row} with its ordinal (from 1) for {@code %d}. */
    private static String rows(int count, String row) {
        StringBuilder values = new StringBuilder(count * (row.length() + 4));
        for (int i = 1; i <= count; i++) {
            if (i > 1) {
                values.append(", ");
            }
            values.append(row.replace("%d", Integer.toString(i)));
        }
        return values.toString();
    }

    /**
     * Has the driver plan {@code statement} on every run, with the tables as they are then, instead of
     * preparing it on the server once and reusing that plan. The claim and the outcomes find their
     * jobs among the queue's rows; a plan made while the queue was empty (every node's start, and
     * most quiet moments) scans the whole table, which costs nothing then, and a reused plan kept
     * scanning it when a burst had filled the queue with thousands of jobs: every claim and every
     * outcome read the whole queue, the node fell behind and never caught up (issue 13). Planning
     * costs a fraction of a millisecond per statement; a statement carries many jobs.
     */
    private static PreparedStatement planEachRun(PreparedStatement statement) throws SQLException {
        if (statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
        return statement;
    }

    private static String key(String first, String second) {
        return first + '\u0000' + second;
    }

    /**
     * Runs {@code body} as one transaction: in auto-commit mode when it is one statement on a
     * connection that commits by itself, else between a begin and a commit here.
     *
     * @throws org.jooq.exception.DataAccessException on a failure, as jOOQ reports them elsewhere in
     *                                                 the store (with its SQL state)
     */
    private void transaction(boolean oneStatement, Work body) {
        ctx.connection(connection -> {
            boolean autoCommit = connection.getAutoCommit();
            if (oneStatement && autoCommit) {
                body.run(connection); // the statement is its own transaction: no BEGIN, no COMMIT
                return;
            }
            connection.setAutoCommit(false);
            try {
                body.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private record Claimed(ClaimedDelivery delivery, long seq) {}

    /** Makes an event of its stored columns: {@code JdbcEvents}' one row form. */
    @FunctionalInterface
    interface EventReader {
        WebhookEvent read(String eventData, String payload, String originalPayload);
    }

    /** Sets a statement's parameters in order, {@code null} as SQL {@code NULL} of the parameter's type. */
    private static final class Params {
        private final PreparedStatement statement;
        private int next = 1;

        Params(PreparedStatement statement) {
            this.statement = statement;
        }

        Params text(String value) throws SQLException {
            statement.setString(next++, value);
            return this;
        }

        Params number(Long value) throws SQLException {
            if (value == null) {
                statement.setNull(next++, Types.BIGINT);
            } else {
                statement.setLong(next++, value);
            }
            return this;
        }

        Params integer(Integer value) throws SQLException {
            if (value == null) {
                statement.setNull(next++, Types.INTEGER);
            } else {
                statement.setInt(next++, value);
            }
            return this;
        }

        Params bool(boolean value) throws SQLException {
            statement.setBoolean(next++, value);
            return this;
        }
    }
}
