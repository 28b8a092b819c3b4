package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.internal.Json;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.TriggerWebhookResp;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * FIFO delivery per ordering key ({@code ordering} in a config's controls): the receiver fails the
 * first event of one key three times; that key's later events wait for it and then arrive in publish
 * order, while the events of the other keys go out at once. Eight delivery threads, so that the
 * order comes from the lanes, not from a single thread. The breaker is set out of the way: every key
 * shares one destination, and a breaker opened by the failing key would hold them all, which is the
 * breaker's business, not ordering's.
 */
class FifoOrderingTest extends EndToEndTest {

    private static final int PER_KEY = 5;
    private static final List<String> KEYS = List.of("ord-1", "ord-2", "ord-3");

    /** Each 2xx arrival: key, sequence number in its key, and when (engine clock). */
    private final List<Arrival> delivered = Collections.synchronizedList(new ArrayList<>());

    private record Arrival(String key, int n, Instant at) {}

    /** What each published event carries: its key and its number in its key, by event id. */
    private final Map<String, Sent> sentById = new ConcurrentHashMap<>();

    private record Sent(String key, int n) {}

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(3))
                .deliveryThreads(8)
                .circuitBreaker(1_000, Duration.ofSeconds(30));
    }

    @Test
    void aFailingFirstEventHoldsOnlyItsKeyWhoseLaterEventsThenArriveInPublishOrder() throws Exception {
        AtomicInteger headFailures = new AtomicInteger();
        receiverFailingHeadOf("ord-1", 3, headFailures);
        WebhookConfig config = orderedConfig("entity._id");
        Map<String, List<String>> publishedByKey = new LinkedHashMap<>();
        for (int n = 0; n < PER_KEY; n++) {
            for (String key : KEYS) {
                publishedByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(publish(key, n));
            }
        }
        Instant start = clock.instant();

        drain(KEYS.size() * PER_KEY);

        assertThat(headFailures).as("the head of ord-1 failed three times").hasValue(3);
        for (String key : KEYS) {
            assertThat(delivered.stream().filter(a -> a.key().equals(key)).map(Arrival::n))
                    .as("%s arrived in publish order", key)
                    .containsExactly(0, 1, 2, 3, 4);
        }
        assertThat(delivered.stream().filter(a -> !a.key().equals("ord-1")))
                .as("the other keys were not held: all delivered at the start")
                .allSatisfy(arrival -> assertThat(arrival.at()).isEqualTo(start));
        Instant headDelivered = arrivalOf("ord-1", 0).at();
        assertThat(Duration.between(start, headDelivered))
                .as("the head succeeded on its fourth attempt, after 5 s + 5 min + 30 min of retry delays")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5).plusMinutes(35));
        assertThat(delivered.stream().filter(a -> a.key().equals("ord-1") && a.n() > 0))
                .as("ord-1's later events waited for its head")
                .allSatisfy(arrival -> assertThat(arrival.at()).isAfterOrEqualTo(headDelivered));
        String head = publishedByKey.get("ord-1").get(0);
        assertThat(store.attemptsOf(ORG, head)).hasSize(4);
        publishedByKey.values().stream().flatMap(List::stream).forEach(id -> {
            assertThat(store.findEvent(ORG, id).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
            if (!id.equals(head)) {
                assertThat(store.attemptsOf(ORG, id))
                        .as("waiting spent no attempt")
                        .hasSize(1);
            }
        });
        assertThat(engine.getControls(ORG, config.id()).ordering())
                .isEqualTo(new ConfigControls.Ordering("entity._id"));
    }

    @Test
    void aHeadWhoseRetriesRunOutFreesItsKeyAndTheRestArriveInOrder() throws Exception {
        AtomicInteger headFailures = new AtomicInteger();
        receiverFailingHeadOf("ord-1", 10, headFailures);
        orderedConfig("entity._id", new RetryPolicy(true, 1));
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            ids.add(publish("ord-1", n));
        }

        drain(2);

        assertThat(headFailures).as("two attempts: the first and its one retry").hasValue(2);
        assertThat(store.findEvent(ORG, ids.get(0)).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        assertThat(delivered).extracting(Arrival::n).containsExactly(1, 2);
    }

    @Test
    void withoutAKeyTheWholeConfigIsOneLaneAndAKeylessEventJoinsTheKeylessLane() throws Exception {
        receiverFailingHeadOf("none", 0, new AtomicInteger());
        WebhookConfig oneLane = orderedConfig(null);
        assertThat(engine.getControls(ORG, oneLane.id()).ordering()).isEqualTo(new ConfigControls.Ordering(null));
        String a = publish("ord-1", 0);
        String b = publish("ord-2", 0);

        assertThat(store.jobsOfEvent(ORG, a))
                .extracting(DeliveryJob::orderingKey)
                .containsExactly("");
        assertThat(store.jobsOfEvent(ORG, b))
                .extracting(DeliveryJob::orderingKey)
                .containsExactly("");
        drain(2);

        WebhookConfig keyed = orderedConfig("entity.customer");
        String keyless = engine
                .publish(DomainEvent.builder(ORG, "order_paid")
                        .entity(JsonNodeFactory.instance.objectNode().put("_id", "x"))
                        .build())
                .eventIds()
                .stream()
                .filter(id ->
                        store.findEvent(ORG, id).orElseThrow().webhookConfigId().equals(keyed.id()))
                .findFirst()
                .orElseThrow();
        assertThat(store.jobsOfEvent(ORG, keyless))
                .extracting(DeliveryJob::orderingKey)
                .containsExactly("");
    }

    @Test
    void aKeyThatIsNotTextIsItsJsonAndALongOneItsDigest() {
        orderedConfig("entity.ref");
        String numeric = publishWith(JsonNodeFactory.instance.objectNode().put("ref", 42));
        String object = publishWith(JsonNodeFactory.instance
                .objectNode()
                .set("ref", JsonNodeFactory.instance.objectNode().put("id", 7)));
        String longKey = publishWith(JsonNodeFactory.instance.objectNode().put("ref", "k".repeat(300)));
        String withNul = publishWith(JsonNodeFactory.instance.objectNode().put("ref", "a\u0000b"));

        assertThat(store.jobsOfEvent(ORG, numeric).get(0).orderingKey()).isEqualTo("42");
        assertThat(store.jobsOfEvent(ORG, object).get(0).orderingKey()).isEqualTo("{\"id\":7}");
        assertThat(store.jobsOfEvent(ORG, longKey).get(0).orderingKey())
                .startsWith("sha256:")
                .hasSize("sha256:".length() + 64);
        assertThat(store.jobsOfEvent(ORG, withNul).get(0).orderingKey())
                .as("a NUL is no text a database keeps: the digest")
                .startsWith("sha256:");
    }

    @Test
    void aKeyThatFailsToEvaluateFailsTheEventInsteadOfDeliveringItOutOfItsLane() {
        orderedConfig("$error('no key')");
        String id = publish("ord-1", 0);

        assertThat(store.findEvent(ORG, id).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        assertThat(store.findEvent(ORG, id).orElseThrow().httpResponse().message())
                .contains("ordering key");
        assertThat(store.jobsOfEvent(ORG, id)).isEmpty();
    }

    @Test
    void aSynchronousTriggerBehindAWaitingHeadIsQueuedInItsLane() throws Exception {
        AtomicInteger headFailures = new AtomicInteger();
        receiverFailingHeadOf("ord-1", 1, headFailures);
        WebhookConfig config = orderedConfig(null);
        publish("ord-1", 0);
        engine.deliverDue();
        assertThat(headFailures).hasValue(1);

        TriggerWebhookResp answer = engine.triggerWebhook(
                ORG,
                config.id(),
                new ExecutionPayload(
                        null, Map.of("entity", Json.MAPPER.createObjectNode().put("_id", "ord-1"))),
                true);

        assertThat(answer.statusCode())
                .as("not sent: its lane's head waits for a retry")
                .isNull();
        assertThat(answer.message()).contains("ordering lane");
        assertThat(receiver.receivedCount()).isEqualTo(1);
        assertThat(store.jobsOfEvent(ORG, answer.eventId())).hasSize(1);
    }

    private WebhookConfig orderedConfig(String key) {
        return orderedConfig(key, new RetryPolicy(true, 5));
    }

    private WebhookConfig orderedConfig(String key, RetryPolicy retryPolicy) {
        WebhookConfig config =
                engine.createConfig(ORG, ordersConfig().retryPolicy(retryPolicy).build());
        engine.updateControls(ORG, config.id(), new ConfigControls.Settings(null, new ConfigControls.Ordering(key)));
        return config;
    }

    /**
     * Replaces the receiver (before a config points at it) by one that answers 503 to the first
     * {@code times} requests for event 0 of {@code key}, and 200 to the rest, which it records.
     */
    private void receiverFailingHeadOf(String key, int times, AtomicInteger failures) throws Exception {
        receiver.close();
        receiver = TestReceiver.start((request, response, self) -> {
            Sent sent = sentById.get(request.getHeaders().get("webhook-id"));
            if (sent.key().equals(key) && sent.n() == 0 && failures.get() < times) {
                failures.incrementAndGet();
                Answer.of(503).writeTo(response);
                return;
            }
            delivered.add(new Arrival(sent.key(), sent.n(), clock.instant()));
            Answer.of(200).writeTo(response);
        });
    }

    /**
     * Delivers until {@code successes} 2xx answers: everything due at each instant (a lane's next job is
     * due once its previous one is done), then the clock 5 s on, for at most 2 h.
     */
    private void drain(int successes) {
        for (int step = 0; step < 1_440 && delivered.size() < successes; step++) {
            for (int round = 0; round < 100 && engine.deliverDue() > 0; round++) {
                // again: the claim hands out one job per lane
            }
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(delivered).hasSize(successes);
    }

    private Arrival arrivalOf(String key, int n) {
        return delivered.stream()
                .filter(a -> a.key().equals(key) && a.n() == n)
                .findFirst()
                .orElseThrow();
    }

    private String publish(String key, int n) {
        String id = publishWith(
                JsonNodeFactory.instance.objectNode().put("_id", key).put("n", n));
        sentById.put(id, new Sent(key, n));
        return id;
    }

    private String publishWith(ObjectNode entity) {
        return engine.publish(
                        DomainEvent.builder(ORG, "order_paid").entity(entity).build())
                .eventIds()
                .get(0);
    }
}
