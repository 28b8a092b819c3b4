package dev.hookengine.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.tck.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the multi-node and restart tests stand on: engine nodes sharing one PostgreSQL (each with the
 * store's own HikariCP pool, as separate machines would have), one real receiver on 127.0.0.1, one
 * {@link MutableClock}, and ways to look at the shared tables directly.
 */
final class PostgresCluster {

    static final String ORG = "org-a";
    static final String EVENT = "order.created";

    private final String jdbcUrl;
    private final String prefix;

    PostgresCluster(String jdbcUrl, String prefix) {
        this.jdbcUrl = jdbcUrl;
        this.prefix = prefix;
    }

    /** A store of one node: its own pool of {@code poolSize} connections to the shared tables. */
    JdbcWebhookStore store(int poolSize) {
        return JdbcWebhookStore.builder(jdbcUrl, "postgres", "postgres")
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                .tablePrefix(prefix)
                .poolSize(poolSize)
                .connectionTimeout(Duration.ofSeconds(1))
                .build();
    }

    /** An engine node delivering through {@code transport}, polling every 10 ms with 8 delivery threads. */
    static WebhookEngine engine(WebhookStore store, JettyHttpTransport transport, MutableClock clock) {
        return WebhookEngine.builder()
                .store(store)
                .transport(transport)
                .clock(clock)
                .deliveryThreads(8)
                .pollInterval(Duration.ofMillis(10))
                .build();
    }

    /**
     * A node that delivers only when told to ({@link WebhookEngine#deliverDue()}, as {@link #deliverTogether}
     * does), eight attempts at a time, its config view reloaded only hourly: a node that loaded the
     * organization's configs first keeps that view for a test's few minutes of injected time.
     */
    static WebhookEngineBuilder steppedNode(WebhookStore store, HttpTransport transport, MutableClock clock) {
        return WebhookEngine.builder()
                .store(store)
                .transport(transport)
                .clock(clock)
                .deliveryThreads(8)
                .attemptDeadline(Duration.ofSeconds(3))
                .configRefreshInterval(Duration.ofHours(1));
    }

    /** A config of {@link #ORG} for {@link #EVENT}, sending to {@code url}, retrying. */
    static WebhookConfig config(String url) {
        return WebhookConfig.builder()
                .name("orders")
                .eventName(EVENT)
                .url(url)
                .enabled(true)
                .build();
    }

    /** The {@code n}th order's event. */
    static DomainEvent orderCreated(int n) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("entity").put("_id", "order-" + n).put("n", n);
        return new DomainEvent(ORG, EVENT, body);
    }

    /** Events per status, read from the shared table. */
    Map<String, Integer> statusCounts() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT status, COUNT(*) FROM " + prefix + "events GROUP BY status")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    /** Jobs still queued, leased or not. */
    int queuedJobs() throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + prefix + "jobs")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Both nodes deliver what is due now, starting together; returns once both rounds ended. */
    static void deliverTogether(WebhookEngine a, WebhookEngine b, ExecutorService nodeThreads) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Integer>> rounds = new ArrayList<>();
        for (WebhookEngine node : List.of(a, b)) {
            rounds.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            together.await(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException("the other node's round did not start", e);
                        }
                        return node.deliverDue();
                    },
                    nodeThreads));
        }
        CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** Waits for {@code condition}, checking every 50 ms, failing after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
