package dev.hookengine.store.memory;

import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.tck.WebhookStoreContract;

/** Runs the store contract against {@link InMemoryWebhookStore}. */
class InMemoryWebhookStoreTest extends WebhookStoreContract {

    @Override
    protected WebhookStore newStore() {
        return new InMemoryWebhookStore();
    }
}
