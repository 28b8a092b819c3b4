package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.PostgresCluster.ORG;
import static dev.hookengine.store.jdbc.PostgresCluster.config;
import static dev.hookengine.store.jdbc.PostgresCluster.orderCreated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pause holds on every node sharing one PostgreSQL, including a node that has not refreshed its
 * view of the config since: the claims read the pause from the database. Node A pauses the config;
 * both nodes publish 1,000 events between them; neither node hands out one before node B resumes
 * it; then each arrives once, in publish order (each node has one delivery thread, and the nodes
 * deliver in turns, so the receiver sees the claim order).
 */
class PauseAcrossNodesTest {

    private static final int EVENTS = 1_000;

    @Test
    void aThousandEventsPublishedOnTwoNodesWhilePausedArriveAfterTheResumeEachOnceInOrder() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                TestReceiver receiver = TestReceiver.start();
                JettyHttpTransport transport = JettyHttpTransport.builder()
                        .allowAddresses("127.0.0.1/32")
                        .build()) {
            PostgresCluster cluster = new PostgresCluster(postgres.getJdbcUrl("postgres", "postgres"), "pause_");
            try (JdbcWebhookStore storeA = cluster.store(4);
                    JdbcWebhookStore storeB = cluster.store(4);
                    WebhookEngine a = node(storeA, transport, clock);
                    WebhookEngine b = node(storeB, transport, clock)) {
                WebhookConfig config = a.createConfig(ORG, config(receiver.url("/hook")));
                // Node B publishes and delivers once first: its view of the config (not paused) then
                // stays as it is for the rest of the test, so that it queues its events due at once.
                String before = b.publish(orderCreated(-1)).eventIds().get(0);
                assertThat(b.deliverDue()).isEqualTo(1);
                a.pauseConfig(ORG, config.id());

                List<String> published = new ArrayList<>();
                for (int n = 0; n < EVENTS; n++) {
                    published.add((n % 2 == 0 ? a : b)
                            .publish(orderCreated(n))
                            .eventIds()
                            .get(0));
                }
                clock.advance(Duration.ofHours(1));
                assertThat(a.deliverDue())
                        .as("node A claims nothing while paused")
                        .isZero();
                assertThat(b.deliverDue())
                        .as("node B claims nothing while paused")
                        .isZero();
                assertThat(receiver.received()).hasSize(1);
                assertThat(storeB.jobsOfEvent(ORG, published.get(1)).get(0).dueAt())
                        .as("queued due at once by node B, which has not seen the pause")
                        .isBefore(clock.instant());

                assertThat(b.resumeConfig(ORG, config.id()).paused()).isFalse();
                int delivered = 0;
                published.add(0, before);
                for (int round = 0; round < 4 * EVENTS && delivered < EVENTS; round++) {
                    delivered += (round % 2 == 0 ? a : b).deliverDue();
                }

                assertThat(receiver.received())
                        .extracting(received -> received.header("webhook-id"))
                        .as("each once, in publish order")
                        .containsExactlyElementsOf(published);
                assertThat(cluster.statusCounts()).containsExactly(Map.entry("succeeded", EVENTS + 1));
                assertThat(cluster.queuedJobs()).isZero();
            }
        }
    }

    /** A node that delivers only when told to, one attempt at a time; its config view refreshes hourly. */
    private static WebhookEngine node(JdbcWebhookStore store, JettyHttpTransport transport, MutableClock clock) {
        return WebhookEngine.builder()
                .store(store)
                .transport(transport)
                .clock(clock)
                .deliveryThreads(1)
                .configRefreshInterval(Duration.ofHours(2))
                .build();
    }
}
