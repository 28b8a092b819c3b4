package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.ReadmeSnippets;
import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Keeps the README's delivery snippet true: it is this test's code, and it compiles and runs. */
class ReadmeDeliveryTest {

    @Test
    void deliverySnippetRuns() {
        WebhookStore store = new InMemoryWebhookStore();
        MeterRegistry registry = new SimpleMeterRegistry();
        // spotless:off (the README shows this code as written here)
        // delivery:start
        JettyHttpTransport transport = JettyHttpTransport.builder().build();   // engine-http; SSRF guard on
        WebhookEngine engine = WebhookEngine.builder()
                .store(store)
                .transport(transport)
                .meterRegistry(registry)          // optional: hookengine.* meters
                .build();
        engine.start();
        // ... on shutdown: engine.close(); transport.close();
        // delivery:end
        // spotless:on
        engine.close();
        transport.close();
        assertThat(registry.find("hookengine.attempts").meters()).isEmpty();
        assertThat(registry.find("hookengine.queue.depth").gauge()).isNotNull();
    }

    @Test
    void readmeShowsTheCodeThisTestRuns() throws IOException {
        ReadmeSnippets.assertReadmeShowsTheCodeOf(
                "delivery", "src/test/java/dev/hookengine/delivery/ReadmeDeliveryTest.java", "the delivery snippet");
    }
}
