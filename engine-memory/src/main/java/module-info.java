/** The in-memory {@code WebhookStore}. */
module dev.hookengine.store.memory {
    requires transitive dev.hookengine.core;

    exports dev.hookengine.store.memory;
}
