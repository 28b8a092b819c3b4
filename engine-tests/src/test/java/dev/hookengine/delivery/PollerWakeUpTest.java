package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.WebhookConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A delivery queued on a running node starts at once: the poller is woken, not left to its
 * interval (an hour here, so a poller that waited for it would fail this test).
 */
class PollerWakeUpTest extends EndToEndTest {

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.pollInterval(Duration.ofHours(1));
    }

    @Test
    void aPublishWakesThePoller() throws Exception {
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("n")
                        .eventName("order_paid")
                        .url(receiver.url("/h"))
                        .build());
        engine.start();

        for (int i = 1; i <= 3; i++) {
            engine.publish(DomainEvent.builder(ORG, "order_paid")
                    .entity(JsonNodeFactory.instance.objectNode().put("n", i))
                    .build());
            Instant giveUp = Instant.now().plusSeconds(30);
            while (receiver.received().size() < i) {
                assertThat(Instant.now())
                        .as("delivery %d, long before the next poll", i)
                        .isBefore(giveUp);
                Thread.sleep(10);
            }
        }
    }
}
