package dev.hookengine.store.jdbc;

import static dev.hookengine.store.tck.RateWindows.mostInAnySecond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.spi.RatePermit;
import dev.hookengine.store.tck.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rate permits taken by two nodes at once: two {@link JdbcWebhookStore}s, each with a pool of its own
 * (as two machines would have), on one PostgreSQL, four threads on each taking permits for three
 * configs while one injected clock advances. Over every permit either node granted, no config has
 * more than its limit in any window {@code [t, t + 1 s)}, and the limits are used: most seconds are
 * full.
 */
class MultiNodeRatePermitsTest {

    private static final int THREADS_PER_NODE = 4;
    private static final int TAKES_PER_THREAD = 600;

    private record Limited(String orgId, String configId, int perSecond) {}

    private record Grant(int node, Instant at) {}

    @Test
    void twoNodesNeverGrantMoreThanTheLimitInAnySecond() throws Exception {
        List<Limited> configs = List.of(
                new Limited("org-a", "cfg-fifty", 50),
                new Limited("org-a", "cfg-seven", 7),
                new Limited("org-b", "cfg-fifty", 50));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        Instant start = clock.instant();
        Map<Limited, ConcurrentLinkedQueue<Grant>> granted = new ConcurrentHashMap<>();
        configs.forEach(config -> granted.put(config, new ConcurrentLinkedQueue<>()));

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "50")
                .start()) {
            PostgresCluster cluster = new PostgresCluster(postgres.getJdbcUrl("postgres", "postgres"), "rate_");
            try (JdbcWebhookStore first = cluster.store(THREADS_PER_NODE);
                    JdbcWebhookStore second = cluster.store(THREADS_PER_NODE)) {
                List<JdbcWebhookStore> nodes = List.of(first, second);
                int threads = nodes.size() * THREADS_PER_NODE;
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                CyclicBarrier startGate = new CyclicBarrier(threads);
                List<Future<?>> running = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    int node = thread % nodes.size();
                    JdbcWebhookStore store = nodes.get(node);
                    Random random = new Random(thread);
                    running.add(pool.submit(() -> {
                        startGate.await(30, TimeUnit.SECONDS);
                        for (int i = 0; i < TAKES_PER_THREAD; i++) {
                            // every thread moves the one clock on, then reads it: the instants of
                            // the two nodes' calls interleave, and arrive a little out of order
                            clock.advance(Duration.ofMillis(random.nextInt(5)));
                            Instant now = clock.instant();
                            Limited config = configs.get(random.nextInt(configs.size()));
                            RatePermit permit =
                                    store.takePermit(config.orgId(), config.configId(), config.perSecond(), now);
                            if (permit.granted()) {
                                granted.get(config).add(new Grant(node, now));
                            } else {
                                assertThat(permit.retryAt()).isAfter(now);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> thread : running) {
                    thread.get(5, TimeUnit.MINUTES);
                }
                pool.shutdown();
            }
        }

        long seconds = Duration.between(start, clock.instant()).toSeconds();
        assertThat(seconds).as("the clock covered many seconds").isGreaterThanOrEqualTo(5);
        for (Limited config : configs) {
            List<Grant> grants = List.copyOf(granted.get(config));
            assertThat(mostInAnySecond(grants.stream().map(Grant::at).toList()))
                    .as("most permits of %s in any second", config)
                    .isLessThanOrEqualTo(config.perSecond());
            assertThat(grants)
                    .as("both nodes were granted permits of %s", config)
                    .extracting(Grant::node)
                    .contains(0, 1);
            assertThat(grants)
                    .as("permits of %s over %d s: the limit is used, not just respected", config, seconds)
                    .hasSizeGreaterThan((int) (seconds * config.perSecond() * 3 / 4));
        }
    }
}
