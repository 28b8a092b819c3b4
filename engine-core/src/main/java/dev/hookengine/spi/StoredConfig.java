package dev.hookengine.spi;

import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.WebhookConfig;
import java.util.List;
import java.util.Objects;

/**
 * A webhook config as a store keeps it: its organization, the config with its secret values, a
 * revision for optimistic concurrency, and the signing secrets it replaced that still sign.
 *
 * @param orgId    the organization that owns the config
 * @param config   the config, {@code id} set, secrets as stored (never redacted)
 * @param revision increases by at least one on every replace; the engine passes it back to
 *                 {@link ConfigStore#replaceConfig} so that of two concurrent updates one fails
 *                 instead of silently overwriting the other
 * @param retiredSecrets previous signing secrets, newest first, as {@link ConfigStore#rotateSigningSecret}
 *                       left them (some may have expired since)
 * @param controls how its deliveries flow, as {@link ConfigStore#replaceControls} left them
 *                 ({@link ConfigControls#NONE} for a config whose controls were never set)
 */
public record StoredConfig(
        String orgId,
        WebhookConfig config,
        long revision,
        List<RetiredSecret> retiredSecrets,
        ConfigControls controls) {
    public StoredConfig {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        Objects.requireNonNull(controls, "controls");
        retiredSecrets = List.copyOf(retiredSecrets);
    }

    /** A config with these retired secrets and no controls set. */
    public StoredConfig(String orgId, WebhookConfig config, long revision, List<RetiredSecret> retiredSecrets) {
        this(orgId, config, revision, retiredSecrets, ConfigControls.NONE);
    }

    /** A config that never had its signing secret rotated nor its controls set. */
    public StoredConfig(String orgId, WebhookConfig config, long revision) {
        this(orgId, config, revision, List.of(), ConfigControls.NONE);
    }

    /** The config's id. */
    public String id() {
        return config.id();
    }
}
