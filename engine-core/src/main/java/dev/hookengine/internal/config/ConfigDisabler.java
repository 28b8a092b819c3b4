package dev.hookengine.internal.config;

import dev.hookengine.internal.EngineMetrics;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the engine disables a config on its own, for a 410 Gone ({@link #GONE}) or for every
 * delivery failing through the auto-disable period ({@link #AUTO}): {@code enabled: false} by the
 * config's compare-and-set ({@code replaceConfig}), then the reason and time in its controls
 * ({@code ConfigControls.withDisabled}, by the controls' compare-and-set), a WARN line naming the
 * organization, the config and the reason (never its URL or a secret), and one count of
 * {@code hookengine.configs.disabled} with the reason's tag.
 *
 * <p>Idempotent across nodes: a config found disabled already is left alone, and of two nodes
 * disabling one config at once the compare-and-set lets one through; only that one logs, counts and
 * writes the reason. The two writes are not one transaction: a process that dies between them leaves
 * the config disabled without a reason, as a 410 did before reasons existed. A caller who enables the
 * config between them keeps it enabled (the reason is then not written).
 */
public final class ConfigDisabler {

    /** The meter tag of a config disabled for a 410 Gone. */
    public static final String GONE = "gone";

    /** The meter tag of a config disabled because its deliveries kept failing. */
    public static final String AUTO = "auto";

    /** Reads again after a lost compare-and-set; each round loses only to another writer. */
    private static final int TRIES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ConfigDisabler.class);

    private final WebhookStore store;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final Consumer<String> onConfigChanged;

    /**
     * @param onConfigChanged told the organization of a config this disabled, so that the engine's
     *                        views of its configs refresh
     */
    public ConfigDisabler(WebhookStore store, Clock clock, EngineMetrics metrics, Consumer<String> onConfigChanged) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.onConfigChanged = onConfigChanged;
    }

    /**
     * Disables the config, unless it is gone or disabled already.
     *
     * @param reason what the controls show as {@code disabledReason}: plain words, no URL, no secret
     * @param tag    {@link #GONE} or {@link #AUTO}
     * @return whether this call disabled it
     */
    public boolean disable(String orgId, String configId, String reason, String tag) {
        for (int tries = 0; tries < TRIES; tries++) {
            Optional<StoredConfig> current = store.findConfig(orgId, configId);
            if (current.isEmpty() || Boolean.FALSE.equals(current.get().config().enabled())) {
                return false;
            }
            StoredConfig stored = current.get();
            Instant now = now();
            WebhookConfig disabled = stored.config().toBuilder().enabled(false).build();
            disabled = disabled.toBuilder()
                    .status(ConfigStatuses.of(disabled))
                    .updatedTime(now)
                    .build();
            Optional<StoredConfig> replaced = store.replaceConfig(orgId, disabled, stored.revision());
            if (replaced.isPresent()) {
                writeReason(replaced.get(), reason, now);
                LOG.warn("config {} of org {} disabled: {}", configId, orgId, reason);
                metrics.configDisabled(tag);
                onConfigChanged.accept(orgId);
                return true;
            }
        }
        LOG.warn(
                "config {} of org {} kept changing while it was being disabled ({}); left as it is",
                configId,
                orgId,
                reason);
        return false;
    }

    /** Writes the reason into the controls of the config this disabled, unless someone enabled it since. */
    private void writeReason(StoredConfig disabled, String reason, Instant now) {
        StoredConfig current = disabled;
        for (int tries = 0; tries < TRIES; tries++) {
            if (!Boolean.FALSE.equals(current.config().enabled())) {
                return; // enabled again meanwhile
            }
            if (store.replaceControls(
                            current.orgId(),
                            current.id(),
                            current.controls().withDisabled(reason, now),
                            current.revision(),
                            now)
                    .isPresent()) {
                return;
            }
            Optional<StoredConfig> again = store.findConfig(current.orgId(), current.id());
            if (again.isEmpty()) {
                return;
            }
            current = again.get();
        }
    }

    private Instant now() {
        return Timestamps.now(clock);
    }
}
