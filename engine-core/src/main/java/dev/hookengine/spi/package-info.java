/**
 * What a user of hookengine may implement: the {@link dev.hookengine.spi.WebhookStore} and its parts,
 * the {@link dev.hookengine.spi.EventCatalog} and the {@link dev.hookengine.spi.EntityHydrator}. Later
 * parts of the pipeline add the transport, secure-proxy router and key cipher here.
 *
 * <p>Every method's contract (what it returns, when it fails, what holds under concurrency) is in its
 * javadoc; time is always passed in, never read from a clock, so that stores stay deterministic under
 * test.
 */
package dev.hookengine.spi;
