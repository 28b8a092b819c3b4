package dev.hookengine.benchmarks.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's standalone servers left in their PostgreSQL tables (the JDBC store's default prefix
 * {@code hookengine_}), read straight from the database once the run is over: each event's status, how
 * many of its attempts the store recorded as answered 2xx, and the jobs still queued. The API would say
 * the same through many pages; the tables say it in three statements, and cannot be misled by a
 * server's cache.
 *
 * @param statusById         each stored event's {@code status} column, by event id
 * @param recordedSuccesses  attempts recorded with a 2xx status, by event id (absent: none)
 * @param recordedAttempts   attempts recorded, by event id (absent: none)
 * @param unanswered         attempts recorded with no status, as {@code TIMEOUT} or {@code CONNECTION_ERROR}: the
 *                           engine read no whole answer, by event id (absent: none)
 * @param failedAttempts     the recorded attempts of every event that ended {@code failed}, in order, each as
 *                           {@code "attempt N: <status or -> <code>: <error>"}
 * @param jobsLeft           rows left in the job queue
 * @param jobSample          a few of those rows, for a report
 */
record StoreView(
        Map<String, String> statusById,
        Map<String, Integer> recordedSuccesses,
        Map<String, Integer> recordedAttempts,
        Map<String, Integer> unanswered,
        Map<String, List<String>> failedAttempts,
        int jobsLeft,
        List<String> jobSample) {

    static final String PREFIX = "hookengine_";

    static StoreView read(Connection connection) throws SQLException {
        Map<String, String> statuses = new HashMap<>();
        Map<String, Integer> successes = new HashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        Map<String, Integer> noAnswer = new HashMap<>();
        Map<String, List<String>> failed = new HashMap<>();
        List<String> sample = new java.util.ArrayList<>();
        int jobs = 0;
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT event_id, status FROM " + PREFIX + "events")) {
                while (rows.next()) {
                    statuses.put(rows.getString(1), rows.getString(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT event_id, count(*),"
                    + " count(*) FILTER (WHERE status_code BETWEEN 200 AND 299),"
                    + " count(*) FILTER (WHERE status_code IS NULL AND code IN ('TIMEOUT', 'CONNECTION_ERROR'))"
                    + " FROM " + PREFIX + "attempts GROUP BY event_id")) {
                while (rows.next()) {
                    attempts.put(rows.getString(1), rows.getInt(2));
                    if (rows.getInt(3) > 0) {
                        successes.put(rows.getString(1), rows.getInt(3));
                    }
                    if (rows.getInt(4) > 0) {
                        noAnswer.put(rows.getString(1), rows.getInt(4));
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT a.event_id, a.attempt, a.status_code, a.code,"
                    + " a.error FROM " + PREFIX + "attempts a JOIN " + PREFIX + "events e ON e.org_id = a.org_id"
                    + " AND e.event_id = a.event_id WHERE e.status = 'failed' ORDER BY a.event_id, a.attempt, a.seq")) {
                while (rows.next()) {
                    String error = rows.getString(5);
                    failed.computeIfAbsent(rows.getString(1), id -> new java.util.ArrayList<>())
                            .add(String.format(
                                    "attempt %d: %s %s: %s",
                                    rows.getInt(2),
                                    rows.getObject(3) == null ? "-" : rows.getInt(3),
                                    rows.getString(4),
                                    error == null ? "" : error.substring(0, Math.min(160, error.length()))));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT event_id, attempt, due_at, lease_owner,"
                    + " lease_expires_at FROM " + PREFIX + "jobs ORDER BY due_at")) {
                while (rows.next()) {
                    if (jobs++ < 5) {
                        sample.add(String.format(
                                "event %s attempt %d due %d lease %s until %s",
                                rows.getString(1),
                                rows.getInt(2),
                                rows.getLong(3),
                                rows.getString(4),
                                rows.getObject(5)));
                    }
                }
            }
        }
        return new StoreView(
                Map.copyOf(statuses),
                Map.copyOf(successes),
                Map.copyOf(attempts),
                Map.copyOf(noAnswer),
                Map.copyOf(failed),
                jobs,
                sample);
    }

    /** Whether the event's status says it ended (neither in progress nor anything unknown). */
    boolean ended(String eventId) {
        String status = statusById.get(eventId);
        return status != null && (isSucceeded(status) || isFailed(status));
    }

    static boolean isSucceeded(String status) {
        return "succeeded".equalsIgnoreCase(status);
    }

    static boolean isFailed(String status) {
        return "failed".equalsIgnoreCase(status);
    }
}
