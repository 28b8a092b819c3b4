package dev.hookengine.server;

import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import net.jqwik.api.PropertyDefaults;

/**
 * {@link GeneratedInputProperties} on the in-memory store: 1,000 requests per operation, the number
 * issue 18 asks of {@code mvn verify}.
 */
@PropertyDefaults(tries = 1000)
class GeneratedInputTest extends GeneratedInputProperties {

    @Override
    WebhookStore newStore() {
        return new InMemoryWebhookStore();
    }
}
