package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.PostgresCluster.ORG;
import static dev.hookengine.store.jdbc.PostgresCluster.config;
import static dev.hookengine.store.jdbc.PostgresCluster.orderCreated;
import static dev.hookengine.store.tck.RateWindows.mostInAnySecond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The rate limit of {@code RateLimitTest} (engine-tests) on two engine nodes sharing one PostgreSQL,
 * each with a store and pool of its own: 500 events, published half on each node, to a config
 * limited to 50 a second reach the receiver at no more than 50 in any window {@code [t, t + 1 s)} of
 * the one injected clock, counting the deliveries of both nodes together; each arrives once, with one
 * attempt (waiting for a permit spends none), and each node delivers some of them, so the limit held
 * because the nodes share it, not because one node did all the work.
 *
 * <p><b>How the nodes deliver.</b> At every step of the clock (100 ms) both nodes call
 * {@link WebhookEngine#deliverDue()} at the same time ({@link PostgresCluster#deliverTogether}), on two test threads started together, and the
 * clock moves on only once both returned (each returns once the attempts it started ended). So the
 * nodes' eight delivery threads each claim from one queue and take permits from one ring at once, as
 * two machines would, while the clock stands still during every attempt: the instant a receiver sees
 * is the instant its permit was taken at, and the window count over arrivals is exact. Not turns
 * ({@code a.deliverDue()} then {@code b.deliverDue()}): the first node's round reschedules every job
 * due at the step to the next free permit before it returns, so the second would never find one due
 * and the permits would never be contended across nodes. Not the nodes' own pollers: they run on the
 * wall clock, so the injected one would move while attempts are in flight, an arrival could be
 * stamped later than its permit, and the test would have to guess when both nodes are idle.
 *
 * <p><b>Which limit node B applies.</b> A node reads a config's controls from its in-memory config
 * view, which it loads on its first use of the organization and reloads only once older than
 * {@code configRefreshInterval} (by the injected clock) or after a change made through that node.
 * The test relies on the first: node A creates the config and sets the limit before node B first
 * reads the organization (its first publish), so B's view holds the limit from the start; the
 * interval is an hour, so no reload happens while the test's clock covers its ten seconds.
 */
class RateLimitAcrossNodesTest {

    private static final int EVENTS = 500;
    private static final int PER_SECOND = 50;
    private static final Duration STEP = Duration.ofMillis(100);

    @Test
    void fiveHundredJobsOnTwoNodesLimitedToFiftyASecondNeverExceedItInAnySecondAndAllArriveOnce() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        List<Instant> arrivals = Collections.synchronizedList(new ArrayList<>());
        ExecutorService nodeThreads = Executors.newFixedThreadPool(2);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                TestReceiver receiver = TestReceiver.start();
                JettyHttpTransport transport = JettyHttpTransport.builder()
                        .allowAddresses("127.0.0.1/32")
                        .build()) {
            receiver.onRequest(request -> arrivals.add(clock.instant()));
            PostgresCluster cluster = new PostgresCluster(postgres.getJdbcUrl("postgres", "postgres"), "rate2_");
            CountingTransport sentByA = new CountingTransport(transport);
            CountingTransport sentByB = new CountingTransport(transport);
            try (JdbcWebhookStore storeA = cluster.store(10);
                    JdbcWebhookStore storeB = cluster.store(10);
                    WebhookEngine a =
                            PostgresCluster.steppedNode(storeA, sentByA, clock).build();
                    WebhookEngine b =
                            PostgresCluster.steppedNode(storeB, sentByB, clock).build()) {
                // Before node B's first read of the organization: B loads the config with its limit.
                WebhookConfig config = a.createConfig(ORG, config(receiver.url("/hook")));
                a.updateControls(ORG, config.id(), new ConfigControls.Settings(PER_SECOND, null));

                List<String> published = new ArrayList<>();
                for (int n = 0; n < EVENTS; n++) {
                    published.add((n % 2 == 0 ? a : b)
                            .publish(orderCreated(n))
                            .eventIds()
                            .get(0));
                }
                Instant start = clock.instant();

                for (int step = 0; step < 300 && arrivals.size() < EVENTS; step++) {
                    PostgresCluster.deliverTogether(a, b, nodeThreads);
                    clock.advance(STEP);
                }

                assertThat(receiver.received())
                        .extracting(received -> received.header("webhook-id"))
                        .as("every event arrived, each once")
                        .containsExactlyInAnyOrderElementsOf(published);
                assertThat(mostInAnySecond(arrivals))
                        .as("most arrivals, from both nodes together, in any [t, t + 1 s)")
                        .isLessThanOrEqualTo(PER_SECOND);
                assertThat(Duration.between(start, Collections.max(arrivals)))
                        .as("the limit was what paced them: 500 at 50/s take at least 9 s")
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(9));
                assertThat(List.of(sentByA.sent(), sentByB.sent()))
                        .as("requests sent by node A and node B: both delivered")
                        .allSatisfy(sent -> assertThat(sent).isPositive());
                assertThat(sentByA.sent() + sentByB.sent())
                        .as("one request per event: no throttled job was sent")
                        .isEqualTo(EVENTS);
                assertThat(published).allSatisfy(id -> {
                    assertThat(storeA.findEvent(ORG, id).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
                    assertThat(storeA.attemptsOf(ORG, id))
                            .as("one attempt each: waiting spent none")
                            .hasSize(1);
                });
                assertThat(cluster.queuedJobs()).isZero();
            }
        } finally {
            nodeThreads.shutdownNow();
        }
    }
}
