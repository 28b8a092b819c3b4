package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.tck.ForwardingWebhookStore;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A receiver that never answers holds one delivery thread until its deadline, not the node: the
 * other threads go on claiming and delivering everything else meanwhile.
 */
class SlowReceiverTest extends EndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.deliveryThreads(2)
                .deliveryBatchSize(2)
                .attemptDeadline(DEADLINE)
                .pollInterval(Duration.ofMillis(10));
    }

    private String publish(String eventName) {
        return engine.publish(DomainEvent.builder(ORG, eventName)
                        .entity(JsonNodeFactory.instance.objectNode().put("n", 1))
                        .build())
                .eventIds()
                .get(0);
    }

    @Test
    void aReceiverThatNeverAnswersHoldsOneThreadNotTheNode() throws Exception {
        try (TestReceiver silent = TestReceiver.start(Answer.hold())) {
            engine.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("slow")
                            .eventName("slow")
                            .url(silent.url("/hook"))
                            .build());
            engine.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("fast")
                            .eventName("fast")
                            .url(receiver.url("/h"))
                            .build());
            String held = publish("slow");
            List<String> fast = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fast.add(publish("fast"));
            }

            // The same engine, over a view of its store that counts the claims finding nothing due.
            AtomicInteger dryClaims = new AtomicInteger();
            WebhookStore counting = new ForwardingWebhookStore(store) {
                @Override
                public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
                    List<ClaimedJob> claimed = super.claim(now, max, lease, nodeId);
                    if (claimed.isEmpty()) {
                        dryClaims.incrementAndGet();
                    }
                    return claimed;
                }
            };
            engine.close();
            engine = configure(WebhookEngine.builder()
                            .store(counting)
                            .transport(transport)
                            .clock(clock))
                    .build();
            engine.start();

            // Far less than the silent receiver's deadline: a node blocked behind it would not get here.
            Instant giveUp = Instant.now().plus(DEADLINE.dividedBy(2));
            awaitReceived(fast.size(), giveUp);
            while (dryClaims.get() == 0) {
                assertThat(Instant.now()).as("the poller finding the queue dry").isBefore(giveUp);
                Thread.sleep(20);
            }
            // The queue ran dry while the slow attempt goes on: later events must not wait for it either.
            for (int i = 0; i < 5; i++) {
                fast.add(publish("fast"));
            }
            awaitReceived(fast.size(), giveUp);
            assertThat(store.findEvent(ORG, held).orElseThrow().status())
                    .as("still held")
                    .isEqualTo(EventStatus.IN_PROGRESS);
            assertThat(store.attemptsOf(ORG, held)).isEmpty();
        }
        engine.close();
        assertThat(receiver.received()).hasSize(25);
    }

    private void awaitReceived(int count, Instant giveUp) throws InterruptedException {
        while (receiver.received().size() < count) {
            assertThat(Instant.now())
                    .as("%d fast deliveries, while the slow one is held", count)
                    .isBefore(giveUp);
            Thread.sleep(20);
        }
    }
}
