/**
 * Events: what each config makes of a published event
 * ({@link dev.hookengine.internal.event.Dispatcher}, over the payloads of
 * {@link dev.hookengine.internal.event.EventPayloads}), the event log with triggers, search and
 * replay ({@link dev.hookengine.internal.event.EventService}), examples and retention.
 */
package dev.hookengine.internal.event;
