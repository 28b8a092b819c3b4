/**
 * What a user of hookengine may implement: the {@link dev.hookengine.spi.WebhookStore} and its parts,
 * the {@link dev.hookengine.spi.EventSink} a transactional store hands out, the
 * {@link dev.hookengine.spi.EventCatalog}, the {@link dev.hookengine.spi.EntityHydrator}, the
 * {@link dev.hookengine.spi.HttpTransport}, the {@link dev.hookengine.spi.SecureProxyRouter} and the
 * {@link dev.hookengine.spi.KeyCipher}.
 *
 * <p>Every method's contract (what it returns, when it fails, what holds under concurrency) is in its
 * javadoc; time is always passed in, never read from a clock, so that stores stay deterministic under
 * test.
 */
package dev.hookengine.spi;
