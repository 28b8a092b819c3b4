package dev.hookengine.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.signing.AesGcmKeyCipher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a 100,000-job backlog in a real PostgreSQL, the claim query reads the due-jobs index instead
 * of scanning the table: claiming stays cheap however long the queue grows.
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
            assertThat(text).as(text).doesNotContainIgnoringCase("Seq Scan");
            assertThat(store.claim(now, 64, java.time.Duration.ofMinutes(1), "node-2"))
                    .hasSize(64);
        }
    }
}
