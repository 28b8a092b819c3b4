package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A config limited to 50 deliveries a second: 500 queued jobs reach the receiver at no more than 50
 * in any one-second window of the engine's clock, and every one arrives; the jobs over the limit wait
 * without spending attempts. Time is the injected clock, advanced 100 ms at a time.
 */
class RateLimitTest extends EndToEndTest {

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(3)).deliveryThreads(8);
    }

    @Test
    void fiveHundredJobsLimitedToFiftyASecondNeverExceedItInAnySecondAndAllArrive() {
        WebhookConfig config = engine.createConfig(ORG, ordersConfig().build());
        engine.updateControls(ORG, config.id(), new ConfigControls.Settings(50, null));
        List<Instant> arrivals = Collections.synchronizedList(new ArrayList<>());
        receiver.onRequest(request -> arrivals.add(clock.instant()));
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            eventIds.add(engine.publish(DomainEvent.builder(ORG, "order_paid")
                            .entity(JsonNodeFactory.instance.objectNode().put("_id", "ord-" + i))
                            .build())
                    .eventIds()
                    .get(0));
        }
        Instant start = clock.instant();

        for (int step = 0; step < 300 && arrivals.size() < 500; step++) {
            engine.deliverDue();
            clock.advance(Duration.ofMillis(100));
        }

        assertThat(arrivals).hasSize(500);
        List<Instant> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        for (Instant from : sorted) {
            long inWindow = sorted.stream()
                    .filter(at -> !at.isBefore(from) && at.isBefore(from.plusSeconds(1)))
                    .count();
            assertThat(inWindow).as("arrivals in [%s, +1 s)", from).isLessThanOrEqualTo(50);
        }
        assertThat(Duration.between(start, sorted.get(499)))
                .as("the limit was what paced them: 500 at 50/s take at least 9 s")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(9));
        assertThat(eventIds).allSatisfy(id -> {
            assertThat(store.findEvent(ORG, id).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
            assertThat(store.attemptsOf(ORG, id))
                    .as("one attempt each: waiting spent none")
                    .hasSize(1);
        });
    }
}
