package dev.hookengine.spi;

/**
 * Everything the engine keeps: configs, the event log, the delivery queue, signing keys and
 * organization variables. A store implements all of it over one backing storage, so that an
 * event and its delivery jobs can be written together.
 *
 * <p>Each part's contract is on its own interface. {@code engine-store-tck}'s
 * {@code WebhookStoreContract} is the executable form of those contracts, one contract per part: a
 * store is correct when it passes it. {@code dev.hookengine.store.support} holds helpers for store
 * authors.
 */
public interface WebhookStore extends ConfigStore, EventStore, DeliveryQueue, SigningKeyStore, VariableStore {}
