package dev.hookengine.store.jdbc;

import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.NewEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;

/**
 * The statements of the delivery hot path on PostgreSQL, one round trip each: publishing events,
 * claiming jobs and recording attempts' outcomes. Each is one statement whose SQL text is written
 * once, when the store is built, and never changes with the number of rows: the rows travel as
 * arrays ({@code unnest}), so the driver prepares it on the server once per connection and the
 * engine renders nothing per call. Several writes go in one statement through data-modifying
 * {@code WITH} clauses, so each call is also one transaction and one commit.
 *
 * <p>The other statements, and every statement on H2, go through jOOQ, whose rendering is what these
 * save (about a third of the JVM's CPU per delivery before them: {@code benchmarks/README.md}).
 */
final class PostgresHotPath {

    private final DSLContext ctx;
    private final String appendEvents;
    private final String claim;
    private final String recordOutcomes;

    PostgresHotPath(DSLContext ctx, JdbcTables t) {
        this.ctx = ctx;
        String events = t.prefix + "events";
        String jobs = t.prefix + "jobs";
        String attempts = t.prefix + "attempts";
        // An event whose id the organization has is left out (ON CONFLICT DO NOTHING), and so are its
        // jobs; jobs go in in list order, so that jobs due at once are claimed in publish order.
        this.appendEvents = """
                WITH n AS (
                  SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                                       ?::text[])
                    WITH ORDINALITY AS n(org_id, event_id, config_id, created_at, status, event_data, payload,
                                         original_payload, ord)),
                ins AS (
                  INSERT INTO %1$s (org_id, event_id, config_id, created_at, status, event_data, payload,
                                    original_payload)
                  SELECT org_id, event_id, config_id, created_at, status, event_data, payload, original_payload
                  FROM n ORDER BY ord
                  ON CONFLICT DO NOTHING
                  RETURNING org_id, event_id),
                j AS (
                  SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[])
                    WITH ORDINALITY AS j(job_id, org_id, event_id, config_id, attempt, due_at, created_at, ord)),
                queued AS (
                  INSERT INTO %2$s (job_id, org_id, event_id, config_id, attempt, due_at, created_at)
                  SELECT j.job_id, j.org_id, j.event_id, j.config_id, j.attempt, j.due_at, j.created_at
                  FROM j JOIN ins ON ins.org_id = j.org_id AND ins.event_id = j.event_id
                  ORDER BY j.ord)
                SELECT org_id, event_id FROM ins
                """.formatted(events, jobs);
        // The inner SELECT locks the due rows it takes and skips those other claimers lock; ARRAY()
        // makes it run once. Each claimed row gets a lease token of its own.
        this.claim = """
                UPDATE %1$s SET lease_owner = ?, lease_expires_at = ?, lease_token = nextval('%2$s')
                WHERE job_id = ANY(ARRAY(
                  SELECT job_id FROM %1$s
                  WHERE due_at <= ? AND (lease_token IS NULL OR lease_expires_at <= ?)
                  ORDER BY due_at, seq
                  LIMIT ?
                  FOR UPDATE SKIP LOCKED))
                RETURNING job_id, org_id, event_id, config_id, attempt, due_at, created_at, seq, lease_token
                """.formatted(jobs, t.prefix + "lease_tokens");
        // A claim moves its job only while it holds it (same token); the event and the attempt are
        // written only for outcomes whose job moved. A stale claim's condition is false on the row, so
        // it takes no lock there: a stale and a current writer never wait for each other.
        this.recordOutcomes = """
                WITH o AS (
                  SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::boolean[], ?::bigint[], ?::text[],
                                       ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::int[],
                                       ?::text[], ?::text[])
                    AS o(job_id, org_id, token, completes, retry_at, event_id, status, event_data, attempt,
                         started_at, ended_at, status_code, code, error)),
                done AS (
                  DELETE FROM %1$s j USING o
                  WHERE o.completes AND j.job_id = o.job_id AND j.org_id = o.org_id AND j.lease_token = o.token
                  RETURNING o.job_id, o.token),
                later AS (
                  UPDATE %1$s j SET attempt = o.attempt, due_at = o.retry_at,
                                    lease_owner = NULL, lease_expires_at = NULL, lease_token = NULL
                  FROM o
                  WHERE NOT o.completes AND j.job_id = o.job_id AND j.org_id = o.org_id AND j.lease_token = o.token
                  RETURNING o.job_id, o.token),
                moved AS (SELECT job_id, token FROM done UNION ALL SELECT job_id, token FROM later),
                event_rows AS (
                  UPDATE %2$s e SET status = o.status, event_data = o.event_data
                  FROM o JOIN moved m ON m.job_id = o.job_id AND m.token = o.token
                  WHERE e.org_id = o.org_id AND e.event_id = o.event_id),
                attempt_rows AS (
                  INSERT INTO %3$s (org_id, event_id, attempt, started_at, ended_at, status_code, code, error)
                  SELECT o.org_id, o.event_id, o.attempt, o.started_at, o.ended_at, o.status_code, o.code, o.error
                  FROM o JOIN moved m ON m.job_id = o.job_id AND m.token = o.token)
                SELECT job_id, token FROM moved
                """.formatted(jobs, events, attempts);
    }

    /**
     * Appends the events and their jobs in one statement.
     *
     * @param eventJson each event's {@code event_data}, in order
     * @return for each event, whether it was appended ({@code false}: the organization has its id)
     * @throws org.jooq.exception.DataAccessException on a failure, a job id already queued included (an
     *                                                 integrity violation); nothing is written then
     */
    List<Boolean> appendEvents(List<NewEvent> events, List<String> eventJson) {
        int jobCount = events.stream().mapToInt(event -> event.jobs().size()).sum();
        Columns e = new Columns(events.size());
        Columns j = new Columns(jobCount);
        for (int i = 0; i < events.size(); i++) {
            WebhookEvent event = events.get(i).event();
            e.text(0, event.orgId())
                    .text(1, event.eventId())
                    .text(2, event.webhookConfigId())
                    .number(3, event.createdAt().toEpochMilli())
                    .text(4, JdbcEvents.status(event.status()))
                    .text(5, eventJson.get(i))
                    .text(6, event.payload())
                    .text(7, event.originalPayload())
                    .next();
            for (DeliveryJob job : events.get(i).jobs()) {
                j.text(0, job.jobId())
                        .text(1, job.orgId())
                        .text(2, job.eventId())
                        .text(3, job.configId())
                        .integer(4, job.attempt())
                        .number(5, job.dueAt().toEpochMilli())
                        .number(6, job.createdAt().toEpochMilli())
                        .next();
            }
        }
        Set<String> appended = new HashSet<>();
        run(appendEvents, statement -> {
            int p = e.bind(statement, 1, "text", "text", "text", "int8", "text", "text", "text", "text");
            j.bind(statement, p, "text", "text", "text", "text", "int4", "int8", "int8");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    appended.add(key(rows.getString(1), rows.getString(2)));
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
        List<Claimed> claimed = new ArrayList<>(max);
        run(claim, statement -> {
            statement.setString(1, nodeId);
            statement.setLong(2, leaseExpiresAt.toEpochMilli());
            statement.setLong(3, now.toEpochMilli());
            statement.setLong(4, now.toEpochMilli());
            statement.setInt(5, max);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    DeliveryJob job = new DeliveryJob(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getString(4),
                            rows.getInt(5),
                            Instant.ofEpochMilli(rows.getLong(6)),
                            Instant.ofEpochMilli(rows.getLong(7)));
                    claimed.add(
                            new Claimed(new ClaimedJob(job, nodeId, leaseExpiresAt, rows.getLong(9)), rows.getLong(8)));
                }
            }
        });
        // UPDATE ... RETURNING gives no order: restore the queue's.
        claimed.sort(
                Comparator.comparing((Claimed c) -> c.claim().job().dueAt()).thenComparingLong(Claimed::seq));
        return claimed.stream().map(Claimed::claim).toList();
    }

    /**
     * Writes the outcomes in one statement.
     *
     * @param eventJson each outcome's event's {@code event_data}, in order
     * @return for each outcome, whether it was written (its claim still held its job)
     */
    List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes, List<String> eventJson) {
        Columns o = new Columns(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            AttemptOutcome outcome = outcomes.get(i);
            ClaimedJob claim = outcome.claim();
            DeliveryAttempt attempt = outcome.attempt();
            WebhookEvent event = outcome.event();
            o.text(0, claim.job().jobId())
                    .text(1, claim.job().orgId())
                    .number(2, claim.leaseToken())
                    .bool(3, outcome.completesJob())
                    .number(4, outcome.completesJob() ? null : outcome.retryAt().toEpochMilli())
                    .text(5, event.eventId())
                    .text(6, JdbcEvents.status(event.status()))
                    .text(7, eventJson.get(i))
                    .integer(8, attempt.attempt())
                    .number(9, attempt.startedAt().toEpochMilli())
                    .number(10, attempt.endedAt().toEpochMilli())
                    .integer(11, attempt.statusCode())
                    .text(12, attempt.code())
                    .text(13, attempt.error())
                    .next();
        }
        Set<String> moved = new HashSet<>();
        run(recordOutcomes, statement -> {
            o.bind(
                    statement, 1, "text", "text", "int8", "bool", "int8", "text", "text", "text", "int4", "int8",
                    "int8", "int4", "text", "text");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    moved.add(key(rows.getString(1), Long.toString(rows.getLong(2))));
                }
            }
        });
        return outcomes.stream()
                .map(outcome -> moved.contains(key(
                        outcome.claim().job().jobId(),
                        Long.toString(outcome.claim().leaseToken()))))
                .toList();
    }

    private static String key(String first, String second) {
        return first + '\u0000' + second;
    }

    /**
     * Runs one statement as a transaction of its own: in auto-commit mode, or committed here when the
     * data source hands out connections that do not commit by themselves.
     *
     * @throws org.jooq.exception.DataAccessException on a failure, as jOOQ reports them elsewhere in
     *                                                 the store (with its SQL state)
     */
    private void run(String sql, Statement body) {
        ctx.connection(connection -> {
            boolean commitHere = !connection.getAutoCommit();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                body.run(statement);
                if (commitHere) {
                    connection.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (commitHere) {
                    connection.rollback();
                }
                throw e;
            }
        });
    }

    @FunctionalInterface
    private interface Statement {
        void run(PreparedStatement statement) throws SQLException;
    }

    private record Claimed(ClaimedJob claim, long seq) {}

    /**
     * Rows turned into columns, one Java array per column, bound as SQL arrays for {@code unnest}.
     * Cells are set by column index for the current row; {@link #next()} moves to the next row.
     */
    private static final class Columns {
        private final int rows;
        private final List<Object[]> columns = new ArrayList<>();
        private int row;

        Columns(int rows) {
            this.rows = rows;
        }

        private Columns set(int column, Object value) {
            while (columns.size() <= column) {
                columns.add(new Object[rows]);
            }
            columns.get(column)[row] = value;
            return this;
        }

        Columns text(int column, String value) {
            return set(column, value);
        }

        Columns number(int column, Long value) {
            return set(column, value);
        }

        Columns integer(int column, Integer value) {
            return set(column, value);
        }

        Columns bool(int column, boolean value) {
            return set(column, value);
        }

        void next() {
            row++;
        }

        /**
         * Binds the columns as arrays of these SQL element types from parameter {@code first} on.
         *
         * @return the next parameter's index
         */
        int bind(PreparedStatement statement, int first, String... types) throws SQLException {
            Connection connection = statement.getConnection();
            for (int c = 0; c < types.length; c++) {
                Object[] values = c < columns.size() ? columns.get(c) : new Object[rows];
                Array array = connection.createArrayOf(types[c], typed(types[c], values));
                statement.setArray(first + c, array);
            }
            return first + types.length;
        }

        /** The column as an array of the Java type the driver encodes as that SQL type. */
        private static Object[] typed(String type, Object[] values) {
            Class<? extends Object[]> as = switch (type) {
                case "text" -> String[].class;
                case "int8" -> Long[].class;
                case "int4" -> Integer[].class;
                case "bool" -> Boolean[].class;
                default -> throw new IllegalArgumentException("no Java array type for " + type);
            };
            return Arrays.copyOf(values, values.length, as);
        }
    }
}
