package dev.hookengine.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedDelivery;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.store.tck.StoreFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * On a big backlog in a real PostgreSQL, the claim reads the due-jobs index and the outcomes find
 * their jobs by key, instead of scanning the table: delivering stays cheap however long the queue
 * grows, also when the node started on an empty queue.
 */
class PostgresClaimPlanTest {

    @Test
    void theClaimQueryUsesAnIndexOnABigBacklog() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            JdbcWebhookStore store = JdbcWebhookStore.builder(postgres.getPostgresDatabase())
                    .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                    .build();
            String jobs = store.tableName("jobs");
            Instant now = Instant.parse("2026-03-01T10:00:00Z");
            long nowMillis = now.toEpochMilli();
            List<String> plan = new ArrayList<>();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                // Half already due, half in the future; a tenth of the due ones leased.
                statement.execute(
                        "INSERT INTO " + jobs + " (job_id, org_id, event_id, config_id, attempt, due_at, created_at,"
                                + " lease_owner, lease_expires_at, lease_token)"
                                + " SELECT 'job-' || i, 'org-' || (i % 50), 'evt-' || i, 'cfg-1', 0,"
                                + " " + nowMillis + " + (i - 50000) * 1000, " + nowMillis + " - 3600000,"
                                + " CASE WHEN i % 10 = 0 THEN 'node-1' END,"
                                + " CASE WHEN i % 10 = 0 THEN " + (nowMillis + 60_000) + " END,"
                                + " CASE WHEN i % 10 = 0 THEN i END"
                                + " FROM generate_series(1, 100000) AS i");
                statement.execute("ANALYZE " + jobs);
                try (ResultSet rows = statement.executeQuery("EXPLAIN " + store.claimSql(now, 64))) {
                    while (rows.next()) {
                        plan.add(rows.getString(1));
                    }
                }
            }

            String text = String.join("\n", plan);
            assertThat(text).as(text).containsIgnoringCase("Index Scan using " + store.tableName("jobs_due"));
            // The configs table may be read whole for the paused check: it is small next to the queue.
            assertThat(text).as(text).doesNotContainIgnoringCase("Seq Scan on " + jobs);
            assertThat(store.claim(now, 64, java.time.Duration.ofMinutes(1), "node-2"))
                    .hasSize(64);
        }
    }

    /**
     * A node starts on an empty queue, where scanning the jobs table is the cheapest plan, and a burst
     * then fills it. The driver used to prepare the claim and the outcomes' statement on the server
     * after a few runs, and PostgreSQL kept the plan it made while the queue was small: every claim
     * and every outcome then scanned the whole queue, and a node on a burst fell behind for good
     * (issue 13; this test counted 6 scans here then). Now each run is planned with the table as it
     * is; PostgreSQL's own count of the table's sequential scans says so.
     */
    @Test
    void claimsAndOutcomesStopScanningTheQueueOnceABurstFillsIt() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                JdbcWebhookStore store = storeWithItsOwnPool(postgres)) {
            DataSource database = postgres.getPostgresDatabase();
            // A plan is also made anew when the table's statistics change, which autovacuum's
            // ANALYZE does about once a minute: not during the few seconds of a burst (nor of this test).
            try (Connection connection = database.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE " + store.tableName("jobs") + " SET (autovacuum_enabled = false)");
            }
            Instant now = Instant.parse("2026-03-01T10:00:00Z");
            // A burst: three jobs queued for every one delivered, until thousands wait.
            for (int round = 0; round < 300; round++) {
                List<String> burst = new ArrayList<>();
                for (int j = 0; j < 48; j++) {
                    burst.add("burst-" + round + "-" + j);
                }
                publish(store, burst, now);
                assertThat(deliver(store, now, 1 + round % 16)).isEqualTo(1 + round % 16);
            }
            long scansBefore = sequentialScans(database, store.tableName("jobs"));

            for (int round = 0; round < 32; round++) {
                assertThat(deliver(store, now, 1 + round % 16)).isEqualTo(1 + round % 16);
            }

            assertThat(sequentialScans(database, store.tableName("jobs")) - scansBefore)
                    .as("sequential scans of the jobs table by 32 claims and 32 outcome writes")
                    .isZero();
        }
    }

    /**
     * A store with its own pool, as the server makes it: plans live as long as its connections.
     * PostgreSQL reuses a prepared statement's generic plan or plans anew by comparing costs;
     * force_generic_plan takes, every time, the choice it took in the load runs, so that the test does
     * not depend on the cost model's arithmetic.
     */
    private static JdbcWebhookStore storeWithItsOwnPool(EmbeddedPostgres postgres) {
        return JdbcWebhookStore.builder(
                        postgres.getJdbcUrl("postgres", "postgres")
                                + "&options=-c%20plan_cache_mode%3Dforce_generic_plan",
                        "postgres",
                        "")
                .poolSize(2)
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                .build();
    }

    private static void publish(JdbcWebhookStore store, List<String> eventIds, Instant now) {
        List<NewEvent> events = new ArrayList<>();
        for (String eventId : eventIds) {
            WebhookEvent event = StoreFixtures.event("org-1", eventId, "cfg-1", now, EventStatus.IN_PROGRESS);
            events.add(new NewEvent(event, List.of(StoreFixtures.job("job-" + eventId, event, 0, now))));
        }
        store.appendEvents(events);
    }

    /** One delivery round: claims up to {@code max} jobs with their events and records them delivered. */
    private static int deliver(JdbcWebhookStore store, Instant now, int max) {
        List<ClaimedDelivery> claimed = store.claimDeliveries(now, max, Duration.ofMinutes(1), "node-1");
        List<AttemptOutcome> outcomes = new ArrayList<>();
        for (ClaimedDelivery delivery : claimed) {
            WebhookEvent event = delivery.event().orElseThrow();
            outcomes.add(new AttemptOutcome(
                    delivery.claim(),
                    StoreFixtures.attempt(event.orgId(), event.eventId(), 1, now, 200),
                    event.toBuilder().status(EventStatus.SUCCEEDED).build(),
                    null));
        }
        assertThat(store.recordOutcomes(outcomes)).doesNotContain(false);
        return claimed.size();
    }

    /**
     * PostgreSQL's count of sequential scans of {@code table}, once its statistics have caught up: the
     * statistics collector reports a backend's counts about every half second, so the count is read
     * until two reads a second apart agree.
     */
    private static long sequentialScans(DataSource database, String table) throws Exception {
        try (Connection connection = database.getConnection();
                PreparedStatement read =
                        connection.prepareStatement("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = ?");
                Statement clear = connection.createStatement()) {
            read.setString(1, table);
            long previous = -1;
            for (int attempt = 0; attempt < 30; attempt++) {
                clear.execute("SELECT pg_stat_clear_snapshot()");
                long scans;
                try (ResultSet rows = read.executeQuery()) {
                    rows.next();
                    scans = rows.getLong(1);
                }
                if (scans == previous) {
                    return scans;
                }
                previous = scans;
                Thread.sleep(1_000); // the collector's own interval: nothing to wake us sooner
            }
            throw new AssertionError("the statistics of " + table + " never settled");
        }
    }
}
