/**
 * Webhook configs: the operations behind {@code createConfig} and the rest
 * ({@link dev.hookengine.internal.config.ConfigService}), their validation, the handling of their
 * secrets and status, the {@link dev.hookengine.internal.config.ConfigIndex} of compiled configs
 * that publishing and delivery read instead of the store, and the organization variables their
 * {@code {{ env.NAME }}} references resolve to ({@link dev.hookengine.internal.config.OrgVariables}).
 */
package dev.hookengine.internal.config;
