/**
 * Helpers for those who implement a {@link dev.hookengine.spi.WebhookStore}: code every store needs
 * the same way, kept out of the SPI package so that {@code dev.hookengine.spi} holds only what a store
 * implements. Nothing here is required; a store that uses it rejects bad input exactly as the stores
 * that ship with hookengine do.
 */
package dev.hookengine.store.support;
