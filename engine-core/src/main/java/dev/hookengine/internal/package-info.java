/**
 * The engine's implementation, behind {@link dev.hookengine.WebhookEngine}; not an API, and free to
 * change between versions. One subpackage per concept:
 *
 * <ul>
 *   <li>{@code config}: config operations, validation, secrets, status, the in-memory index of
 *       compiled configs that publishing and delivery read, and organization variables;</li>
 *   <li>{@code event}: what one config makes of one event (payloads, filters, transforms), the event
 *       log (recording, triggers, search, replay), examples and retention;</li>
 *   <li>{@code delivery}: claiming due jobs, making attempts (request, signature, auth, exchange,
 *       outcome, retry), and the threads that run them;</li>
 *   <li>{@code signing}: each organization's keys and each config's secrets, and the signature of a
 *       message.</li>
 * </ul>
 *
 * <p>This package holds what several of them share: the JSON mapper, ids, {@code {{ env.NAME }}}
 * references, validation errors and the meters.
 */
package dev.hookengine.internal;
