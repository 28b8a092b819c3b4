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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three engine nodes share one PostgreSQL and deliver 10,000 events to one receiver; halfway through,
 * one node loses its database right after claiming a batch and is closed without draining. Every
 * event still ends {@code succeeded}, and a request reaches the receiver more than once only for a job
 * that was claimed again, which the queue allows only once a lease has expired.
 */
class MultiNodeDeliveryTest {

    private static final int EVENTS = 10_000;
    private static final int PUBLISHERS = 4;

    @Test
    void threeNodesDeliverEveryEventThoughOneCrashesHalfway() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        Map<String, AtomicInteger> claimsPerEvent = new ConcurrentHashMap<>();
        List<AutoCloseable> toClose = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("timezone", "Pacific/Chatham")
                        .setServerConfig("max_connections", "100")
                        .start();
                TestReceiver receiver = TestReceiver.start()) {
            PostgresCluster cluster = new PostgresCluster(postgres.getJdbcUrl("postgres", "postgres"), "multi_");
            JettyHttpTransport transport =
                    JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
            toClose.add(transport);

            // Three nodes start at once: the schema is applied by exactly one of them.
            ExecutorService starting = Executors.newFixedThreadPool(3);
            List<Future<JdbcWebhookStore>> built = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                built.add(starting.submit(() -> cluster.store(12)));
            }
            List<NodeStore> stores = new ArrayList<>();
            List<WebhookEngine> engines = new ArrayList<>();
            for (Future<JdbcWebhookStore> future : built) {
                JdbcWebhookStore store = future.get(60, TimeUnit.SECONDS);
                toClose.add(store);
                NodeStore node = new NodeStore(store, claimsPerEvent);
                stores.add(node);
                WebhookEngine engine = PostgresCluster.engine(node, transport, clock);
                toClose.add(0, engine); // engines close before their stores and the transport
                engines.add(engine);
            }
            starting.shutdown();
            engines.get(0).createConfig(ORG, config(receiver.url("/hook")));
            engines.forEach(WebhookEngine::start);

            // Publishers on the two nodes that stay up; node 3 only delivers.
            ExecutorService publishing = Executors.newFixedThreadPool(PUBLISHERS);
            List<Future<?>> published = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int p = 0; p < PUBLISHERS; p++) {
                WebhookEngine via = engines.get(p % 2);
                published.add(publishing.submit(() -> {
                    for (int n = next.getAndIncrement(); n < EVENTS; n = next.getAndIncrement()) {
                        assertThat(via.publish(orderCreated(n)).eventIds()).hasSize(1);
                    }
                }));
            }

            await("half the deliveries", Duration.ofMinutes(3), () -> receiver.receivedCount() >= EVENTS / 2);
            NodeStore crashing = stores.get(2);
            crashing.crashAfterNextClaim();
            await("node 3 to lose its database", Duration.ofMinutes(1), crashing::isDead);
            engines.get(2).close();
            for (Future<?> publisher : published) {
                publisher.get(3, TimeUnit.MINUTES);
            }
            publishing.shutdown();
            // Time passes: the leases node 3 held expire, and the live nodes take its jobs.
            clock.advance(Duration.ofHours(1));

            await("every event to succeed", Duration.ofMinutes(3), () -> succeeded(cluster) == EVENTS);

            assertThat(cluster.statusCounts()).containsExactly(Map.entry("succeeded", EVENTS));
            assertThat(cluster.queuedJobs()).isZero();
            Map<String, Integer> received = receiver.countsBy("webhook-id");
            assertThat(received).hasSize(EVENTS);
            List<String> duplicated = received.entrySet().stream()
                    .filter(entry -> entry.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .toList();
            for (String eventId : duplicated) {
                assertThat(claimsPerEvent.get(eventId).get())
                        .as(
                                "event %s reached the receiver %d times: its job must have been claimed again, "
                                        + "after a lease expired",
                                eventId, received.get(eventId))
                        .isGreaterThanOrEqualTo(received.get(eventId));
            }
            assertThat(duplicated)
                    .as("node 3 sent its last batch and never recorded it")
                    .isNotEmpty();
            long requests = receiver.receivedCount();
            long reclaims = claimsPerEvent.values().stream()
                            .mapToInt(AtomicInteger::get)
                            .sum()
                    - EVENTS;
            assertThat(requests - EVENTS).as("duplicate requests").isLessThanOrEqualTo(reclaims);
            System.out.printf(
                    "multi-node: %d events, %d requests, %d events received more than once, %d re-claims%n",
                    EVENTS, requests, duplicated.size(), reclaims);
        } finally {
            for (AutoCloseable closeable : toClose) {
                closeable.close();
            }
        }
    }

    private static int succeeded(PostgresCluster cluster) {
        try {
            return cluster.statusCounts().getOrDefault("succeeded", 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
