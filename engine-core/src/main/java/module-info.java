/**
 * hookengine's engine: the public API ({@code dev.hookengine}), the spec's model, the store and
 * transport SPI, and the mechanisms an embedder or a receiver may use on their own (conditions,
 * transforms, signing, retry schedules). {@code dev.hookengine.internal} is not exported: it may
 * change in any release.
 */
module dev.hookengine.core {
    // In the API's signatures: JsonNode payloads, MeterRegistry.
    requires transitive com.fasterxml.jackson.databind;
    requires transitive micrometer.core;
    requires com.dashjoin.jsonata;
    requires dev.failsafe.core;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.hookengine;
    exports dev.hookengine.model;
    exports dev.hookengine.spi;
    exports dev.hookengine.store.support;
    exports dev.hookengine.condition;
    exports dev.hookengine.transform;
    exports dev.hookengine.signing;
    exports dev.hookengine.delivery;

    // The model's (de)serializers are nested classes Jackson instantiates by reflection.
    opens dev.hookengine.model to
            com.fasterxml.jackson.databind;
}
