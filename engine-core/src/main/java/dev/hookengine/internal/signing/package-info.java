/**
 * Signing keys and secrets over the store ({@link dev.hookengine.internal.signing.SigningService}):
 * each organization's Ed25519 keys, each config's {@code whsec_} secrets, their rotation, and the
 * {@code webhook-signature} of a message. The signature algorithms themselves are the public
 * {@link dev.hookengine.signing} package.
 */
package dev.hookengine.internal.signing;
