package dev.hookengine.store.memory;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.store.tck.StoreFixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the in-memory store keeps of an event on the heap, beyond what the contract can see: a body
 * that is both {@code payload} and {@code original_payload} (every config without a transform) is
 * kept once, through appends and recorded outcomes alike.
 */
class InMemoryEventHeapTest {

    private final InMemoryWebhookStore store = new InMemoryWebhookStore();

    @Test
    void anEqualPayloadAndOriginalPayloadAreKeptAsOneString() {
        String body = "{\"entity\":{\"id\":\"e-1\"}}";
        WebhookEvent event = StoreFixtures.event(ORG_A, "e-1", "cfg-1", T0, EventStatus.IN_PROGRESS).toBuilder()
                .payload(body)
                .originalPayload(new String(body)) // equal, another instance, as two toString() calls make
                .build();
        store.appendEvent(event, List.of(StoreFixtures.job("j-1", event, 0, T0)));

        WebhookEvent stored = store.findEvent(ORG_A, "e-1").orElseThrow();
        assertThat(stored.originalPayload()).isEqualTo(body).isSameAs(stored.payload());

        ClaimedJob claim = store.claimJob(ORG_A, "j-1", T0, Duration.ofMinutes(5), "node-1")
                .orElseThrow();
        store.recordOutcomes(List.of(new AttemptOutcome(
                claim,
                StoreFixtures.attempt(ORG_A, "e-1", 1, T0, 200),
                stored.toBuilder()
                        .status(EventStatus.SUCCEEDED)
                        .originalPayload(new String(body))
                        .build(),
                null)));
        WebhookEvent updated = store.findEvent(ORG_A, "e-1").orElseThrow();
        assertThat(updated.originalPayload()).isSameAs(updated.payload());
    }

    @Test
    void aTransformedPayloadKeepsItsOriginal() {
        WebhookEvent event = StoreFixtures.fullEvent(ORG_A, "e-2", "cfg-1", T0);
        store.appendEvent(event, List.of());

        WebhookEvent stored = store.findEvent(ORG_A, "e-2").orElseThrow();
        assertThat(stored.payload()).isEqualTo(event.payload());
        assertThat(stored.originalPayload()).isEqualTo(event.originalPayload()).isNotEqualTo(stored.payload());
    }
}
