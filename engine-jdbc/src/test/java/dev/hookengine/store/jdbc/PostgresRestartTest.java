package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.PostgresCluster.ORG;
import static dev.hookengine.store.jdbc.PostgresCluster.await;
import static dev.hookengine.store.jdbc.PostgresCluster.config;
import static dev.hookengine.store.jdbc.PostgresCluster.orderCreated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops and starts again in the middle of a run (the same data directory, the same port).
 * The engine is not told: its rounds fail while the database is away, its pool reconnects once it is
 * back, and every event, published before, during or after the outage, ends {@code succeeded}.
 */
class PostgresRestartTest {

    private static final int BEFORE = 2_000;
    private static final int AFTER = 500;

    @TempDir
    Path dataDirectory;

    @Test
    void aRestartInTheMiddleOfARunLosesNothing() throws Exception {
        int port = freePort();
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        EmbeddedPostgres postgres = start(port);
        try (TestReceiver receiver = TestReceiver.start();
                JettyHttpTransport transport = JettyHttpTransport.builder()
                        .allowAddresses("127.0.0.1/32")
                        .build()) {
            PostgresCluster cluster = new PostgresCluster(postgres.getJdbcUrl("postgres", "postgres"), "restart_");
            try (JdbcWebhookStore store = cluster.store(8)) {
                WebhookEngine engine = PostgresCluster.engine(store, transport, clock);
                try {
                    engine.createConfig(ORG, config(receiver.url("/hook")));
                    for (int n = 0; n < BEFORE; n++) {
                        engine.publish(orderCreated(n));
                    }
                    engine.start();
                    await("some deliveries", Duration.ofMinutes(2), () -> receiver.receivedCount() >= BEFORE / 4);

                    postgres.close();
                    long receivedWhenDown = receiver.receivedCount();
                    assertThat(receivedWhenDown)
                            .as("the outage came in the middle of the run")
                            .isLessThan(BEFORE);
                    postgres = start(port);

                    // Leases taken just before the outage expire; new events are published on the same engine.
                    clock.advance(Duration.ofHours(1));
                    for (int n = BEFORE; n < BEFORE + AFTER; n++) {
                        engine.publish(orderCreated(n));
                    }
                    await("every event to succeed", Duration.ofMinutes(3), () -> succeeded(cluster) == BEFORE + AFTER);
                } finally {
                    engine.close();
                }
            }
            assertThat(cluster.statusCounts()).containsExactly(Map.entry("succeeded", BEFORE + AFTER));
            assertThat(cluster.queuedJobs()).isZero();
            assertThat(receiver.countsBy("webhook-id").size()).isEqualTo(BEFORE + AFTER);
        } finally {
            postgres.close();
        }
    }

    /** PostgreSQL on {@code port} over {@link #dataDirectory}, which survives {@link EmbeddedPostgres#close()}. */
    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory.resolve("pgdata"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("timezone", "Pacific/Chatham")
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int succeeded(PostgresCluster cluster) {
        try {
            return cluster.statusCounts().getOrDefault("succeeded", 0);
        } catch (Exception e) {
            return -1; // the database may still be starting
        }
    }
}
