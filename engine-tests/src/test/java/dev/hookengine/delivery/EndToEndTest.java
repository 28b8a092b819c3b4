package dev.hookengine.delivery;

import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.TestReceiver;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every end-to-end delivery test stands on: a real engine on the in-memory store, sending
 * through the real Jetty transport (guard on, only 127.0.0.1 allowed) to a scripted receiver on
 * 127.0.0.1, with time on a {@link MutableClock} and retries without jitter.
 */
abstract class EndToEndTest {

    static final String ORG = "org-a";

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    InMemoryWebhookStore store;
    JettyHttpTransport transport;
    TestReceiver receiver;
    WebhookEngine engine;

    @BeforeEach
    final void startEndToEnd() throws Exception {
        store = new InMemoryWebhookStore();
        transport = JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
        receiver = TestReceiver.start();
        engine = newEngine(transport);
    }

    @AfterEach
    final void stopEndToEnd() throws Exception {
        engine.close();
        transport.close();
        receiver.close();
    }

    /** An engine over this test's store and clock, sending through {@code through}. */
    final WebhookEngine newEngine(JettyHttpTransport through) {
        return configure(WebhookEngine.builder()
                        .store(store)
                        .transport(through)
                        .clock(clock)
                        .retrySchedule(RetrySchedule.standardWithoutJitter()))
                .build();
    }

    /** The test's own engine settings on top of the common ones. */
    abstract WebhookEngineBuilder configure(WebhookEngineBuilder builder);

    /** A config sending {@code order_paid} events to this test's receiver: what most tests start from. */
    final WebhookConfig.Builder ordersConfig() {
        return WebhookConfig.builder().name("orders").eventName("order_paid").url(receiver.url("/hooks"));
    }
}
