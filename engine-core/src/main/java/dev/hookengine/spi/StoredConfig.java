package dev.hookengine.spi;

import dev.hookengine.model.WebhookConfig;
import java.util.Objects;

/**
 * A webhook config as a store keeps it: its organization, the config with its secret values, and a
 * revision for optimistic concurrency.
 *
 * @param orgId    the organization that owns the config
 * @param config   the config, {@code id} set, secrets as stored (never redacted)
 * @param revision increases by at least one on every replace; the engine passes it back to
 *                 {@link ConfigStore#replaceConfig} so that of two concurrent updates one fails
 *                 instead of silently overwriting the other
 */
public record StoredConfig(String orgId, WebhookConfig config, long revision) {
    public StoredConfig {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
    }

    /** The config's id. */
    public String id() {
        return config.id();
    }
}
