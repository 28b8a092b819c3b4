/** The contract kit: the JUnit suite every {@code WebhookStore} must pass, and its test helpers. */
module dev.hookengine.store.tck {
    requires transitive dev.hookengine.core;
    // A store's test extends the contract, a JUnit class.
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports dev.hookengine.store.tck;

    // JUnit runs the contract's @Nested classes and @Test methods, which are not public, by reflection.
    opens dev.hookengine.store.tck to
            org.junit.platform.commons;
}
