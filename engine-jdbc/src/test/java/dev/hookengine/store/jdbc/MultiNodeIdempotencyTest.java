package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.PostgresCluster.ORG;
import static dev.hookengine.store.jdbc.PostgresCluster.config;
import static dev.hookengine.store.jdbc.PostgresCluster.orderCreated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.DomainEvent;
import dev.hookengine.PublishResult;
import dev.hookengine.WebhookEngine;
import dev.hookengine.store.tck.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two engine nodes, each with its own pool to one PostgreSQL, publish the same event with the same
 * idempotency key at the same moment, for 50 keys: each key records exactly one set of events, and
 * both nodes answer with the same result. The loser's insert of the key waits on the primary key
 * of {@code idempotency_keys} for the winner's commit, then reads the winner's result.
 */
class MultiNodeIdempotencyTest {

    private static final int KEYS = 50;

    @Test
    void twoNodesPublishingOneKeyAtOnceRecordOneSetOfEventsAndAnswerAlike() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("timezone", "Pacific/Chatham")
                        .start();
                JdbcWebhookStore first = cluster(postgres).store(4);
                JdbcWebhookStore second = cluster(postgres).store(4)) {
            List<WebhookEngine> engines = List.of(
                    WebhookEngine.builder().store(first).clock(clock).build(),
                    WebhookEngine.builder().store(second).clock(clock).build());
            // two configs: each publish records a set of two events
            engines.get(0).createConfig(ORG, config("https://receiver.example.com/one"));
            engines.get(0).createConfig(ORG, config("https://receiver.example.com/two"));

            Set<String> answeredEventIds = new HashSet<>();
            for (int k = 0; k < KEYS; k++) {
                String key = "order-" + k + "-created";
                DomainEvent event = orderCreated(k);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<PublishResult>> answers = new ArrayList<>();
                for (WebhookEngine engine : engines) {
                    answers.add(nodes.submit(() -> {
                        start.await();
                        return engine.publish(event, key);
                    }));
                }
                start.countDown();
                PublishResult one = answers.get(0).get(60, TimeUnit.SECONDS);
                PublishResult other = answers.get(1).get(60, TimeUnit.SECONDS);

                assertThat(other).as("the two nodes' answers for key %s", key).isEqualTo(one);
                assertThat(one.eventIds()).hasSize(2);
                answeredEventIds.addAll(one.eventIds());
            }

            PostgresCluster cluster = cluster(postgres);
            assertThat(cluster.statusCounts())
                    .as("one set of two events per key")
                    .containsExactly(Map.entry("in_progress", KEYS * 2));
            assertThat(cluster.queuedJobs()).isEqualTo(KEYS * 2);
            assertThat(eventIdsInLog(postgres)).isEqualTo(answeredEventIds);
            assertThat(count(postgres, "idem_idempotency_keys")).isEqualTo(KEYS);
        } finally {
            nodes.shutdownNow();
        }
    }

    private static PostgresCluster cluster(EmbeddedPostgres postgres) {
        return new PostgresCluster(postgres.getJdbcUrl("postgres", "postgres"), "idem_");
    }

    private static Set<String> eventIdsInLog(EmbeddedPostgres postgres) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(
                        postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT event_id FROM idem_events")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static int count(EmbeddedPostgres postgres, String table) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
