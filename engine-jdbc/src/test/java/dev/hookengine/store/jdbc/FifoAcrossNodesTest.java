package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.PostgresCluster.EVENT;
import static dev.hookengine.store.jdbc.PostgresCluster.ORG;
import static dev.hookengine.store.jdbc.PostgresCluster.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * FIFO delivery per ordering key on two engine nodes sharing one PostgreSQL: the receiver fails the
 * first event of one key three times; that key's later events wait and then arrive in publish order,
 * whichever node delivers them, while the other keys' events all go out at the first instant. Both
 * nodes deliver at once at every step of the injected clock ({@link PostgresCluster#deliverTogether}),
 * eight attempts each, so the lanes are contended across nodes; the order comes from the claim alone.
 */
class FifoAcrossNodesTest {

    private static final List<String> KEYS = List.of("ord-1", "ord-2", "ord-3", "ord-4");
    private static final int PER_KEY = 10;

    private record Sent(String key, int n) {}

    private record Arrival(String key, int n, Instant at) {}

    @Test
    void aFailingHeadHoldsOnlyItsKeyAndEveryKeyArrivesInPublishOrderAcrossTwoNodes() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        Map<String, Sent> sentById = new ConcurrentHashMap<>();
        List<Arrival> delivered = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger headFailures = new AtomicInteger();
        ExecutorService nodeThreads = Executors.newFixedThreadPool(2);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                TestReceiver receiver = TestReceiver.start((request, response, self) -> {
                    Sent sent = sentById.get(request.getHeaders().get("webhook-id"));
                    if (sent.key().equals("ord-1") && sent.n() == 0 && headFailures.get() < 3) {
                        headFailures.incrementAndGet();
                        Answer.of(503).writeTo(response);
                        return;
                    }
                    delivered.add(new Arrival(sent.key(), sent.n(), clock.instant()));
                    Answer.of(200).writeTo(response);
                });
                JettyHttpTransport transport = JettyHttpTransport.builder()
                        .allowAddresses("127.0.0.1/32")
                        .build()) {
            PostgresCluster cluster = new PostgresCluster(postgres.getJdbcUrl("postgres", "postgres"), "fifo_");
            CountingTransport sentByA = new CountingTransport(transport);
            CountingTransport sentByB = new CountingTransport(transport);
            try (JdbcWebhookStore storeA = cluster.store(10);
                    JdbcWebhookStore storeB = cluster.store(10);
                    WebhookEngine a = node(storeA, sentByA, clock);
                    WebhookEngine b = node(storeB, sentByB, clock)) {
                // Before node B's first read of the organization: B loads the config ordered.
                WebhookConfig config = a.createConfig(
                        ORG,
                        config(receiver.url("/hook")).toBuilder()
                                .retryPolicy(new RetryPolicy(true, 5))
                                .build());
                a.updateControls(
                        ORG, config.id(), new ConfigControls.Settings(null, new ConfigControls.Ordering("entity._id")));
                List<String> published = new ArrayList<>();
                for (int n = 0; n < PER_KEY; n++) {
                    for (String key : KEYS) {
                        WebhookEngine node = published.size() % 2 == 0 ? a : b;
                        String id = node.publish(event(key, n)).eventIds().get(0);
                        sentById.put(id, new Sent(key, n));
                        published.add(id);
                    }
                }
                Instant start = clock.instant();

                int expected = KEYS.size() * PER_KEY;
                for (int step = 0; step < 1_000 && delivered.size() < expected; step++) {
                    for (int round = 0; round < 4 * PER_KEY; round++) {
                        int before = delivered.size() + headFailures.get();
                        PostgresCluster.deliverTogether(a, b, nodeThreads);
                        if (delivered.size() + headFailures.get() == before) {
                            break; // nothing more due at this instant
                        }
                    }
                    clock.advance(Duration.ofSeconds(5));
                }

                assertThat(headFailures).hasValue(3);
                assertThat(delivered).hasSize(expected);
                for (String key : KEYS) {
                    List<Integer> order = delivered.stream()
                            .filter(arrival -> arrival.key().equals(key))
                            .map(Arrival::n)
                            .toList();
                    assertThat(order)
                            .as("%s in publish order, each once", key)
                            .isSorted()
                            .hasSize(PER_KEY);
                }
                assertThat(delivered.stream().filter(arrival -> !arrival.key().equals("ord-1")))
                        .as("the other keys were not held: all delivered at the first instant")
                        .allSatisfy(arrival -> assertThat(arrival.at()).isEqualTo(start));
                Instant headDelivered = delivered.stream()
                        .filter(arrival -> arrival.key().equals("ord-1") && arrival.n() == 0)
                        .findFirst()
                        .orElseThrow()
                        .at();
                assertThat(Duration.between(start, headDelivered))
                        .as("the head's fourth attempt, after 5 s + 5 min + 30 min of retry delays")
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(5).plusMinutes(35));
                assertThat(List.of(sentByA.sent(), sentByB.sent()))
                        .as("both nodes delivered")
                        .allSatisfy(sent -> assertThat(sent).isPositive());
                assertThat(sentByA.sent() + sentByB.sent())
                        .as("one request per event, and the head's three failures")
                        .isEqualTo(expected + 3);
                assertThat(published)
                        .allSatisfy(id -> assertThat(
                                        storeA.findEvent(ORG, id).orElseThrow().status())
                                .isEqualTo(EventStatus.SUCCEEDED));
                assertThat(cluster.queuedJobs()).isZero();
            }
        } finally {
            nodeThreads.shutdownNow();
        }
    }

    private static DomainEvent event(String key, int n) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("entity").put("_id", key).put("n", n);
        return new DomainEvent(ORG, EVENT, body);
    }

    /**
     * A stepped node (node B keeps the ordered view it loaded first), with the retry delays exactly as
     * listed and the breaker out of the way (every key shares one destination).
     */
    private static WebhookEngine node(JdbcWebhookStore store, HttpTransport transport, MutableClock clock) {
        return PostgresCluster.steppedNode(store, transport, clock)
                .retrySchedule(RetrySchedule.standardWithoutJitter())
                .circuitBreaker(1_000, Duration.ofSeconds(30))
                .build();
    }
}
