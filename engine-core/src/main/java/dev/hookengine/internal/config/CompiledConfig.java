package dev.hookengine.internal.config;

import dev.hookengine.condition.EventFilter;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.transform.JsonataExpression;

/**
 * A stored config with its filters, transform and ordering key compiled, once per config revision
 * (a change of its controls is a new revision too).
 *
 * @param stored       the config as stored
 * @param filter       its compiled {@code filter} and {@code filterConditions}, or {@code null} when they
 *                     do not compile (then {@code compileError} says why)
 * @param transform    its compiled {@code jsonataExpression}, or {@code null} when it has none
 * @param orderingKey  its compiled ordering key ({@link ConfigControls.Ordering#key()}), or {@code null}
 *                     when it delivers in parallel or in one lane ({@link #ordered()} tells which)
 * @param files        its compiled file delivery settings ({@code deliveryMode}, {@code multipartConfig}),
 *                     or {@code null} for a plain JSON delivery
 * @param compileError why the stored config does not compile, or {@code null}; a config saved by this
 *                     engine always compiles, but one written by an older version or by hand may not
 */
public record CompiledConfig(
        StoredConfig stored,
        EventFilter filter,
        JsonataExpression transform,
        JsonataExpression orderingKey,
        FilePlan files,
        String compileError) {

    /** Compiles {@code stored}; never throws: a config that does not compile records why. */
    public static CompiledConfig compile(StoredConfig stored) {
        WebhookConfig config = stored.config();
        ConfigControls.Ordering ordering = stored.controls().ordering();
        try {
            EventFilter filter = EventFilter.compile(config.filter(), config.filterConditions());
            JsonataExpression transform =
                    config.jsonataExpression() == null ? null : JsonataExpression.compile(config.jsonataExpression());
            JsonataExpression orderingKey =
                    ordering == null || ordering.key() == null ? null : JsonataExpression.compile(ordering.key());
            return new CompiledConfig(stored, filter, transform, orderingKey, FilePlan.compile(config), null);
        } catch (RuntimeException e) {
            return new CompiledConfig(
                    stored, null, null, null, null, "stored config does not compile: " + e.getMessage());
        }
    }

    /**
     * This compiled config over {@code newer}, a revision of the same config whose compiled parts did
     * not change (its {@code eventVersion} pinned, say): nothing is compiled again.
     */
    public CompiledConfig withStored(StoredConfig newer) {
        return new CompiledConfig(newer, filter, transform, orderingKey, files, compileError);
    }

    /** Whether the config delivers in order ({@code ordering} in its controls): its jobs get a lane. */
    public boolean ordered() {
        return stored.controls().ordering() != null;
    }

    public WebhookConfig config() {
        return stored.config();
    }

    /** Whether the config takes part in publishing: enabled and complete. */
    public boolean isActive() {
        return ConfigStatuses.of(config()) == ConfigStatus.ACTIVE;
    }
}
