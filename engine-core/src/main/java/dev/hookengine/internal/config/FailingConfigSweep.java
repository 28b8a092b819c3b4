package dev.hookengine.internal.config;

import dev.hookengine.EngineConfig;
import dev.hookengine.model.Timestamps;
import dev.hookengine.spi.FailingConfig;
import dev.hookengine.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Auto-disable: finds the enabled configs whose deliveries have all failed for
 * {@link EngineConfig#autoDisablePeriod()} or longer, with at least
 * {@link EngineConfig#autoDisableMinAttempts()} failed attempts ({@code ConfigStore.failingConfigs},
 * the health the store keeps with every outcome), and disables each through the
 * {@link ConfigDisabler}, reason {@code "every delivery failed for 5 days (37 attempts since ...)"}.
 *
 * <p>Time is the engine's clock: a config is disabled by the first sweep at or after its streak's
 * start plus the period. The workers sweep every minute on every node ({@link #INTERVAL}), so a
 * config is disabled within a minute of its deadline; nodes sweeping at once disable each config
 * once (the disabler's compare-and-set). A config paused meanwhile is treated like any other: the
 * pause holds its deliveries, it does not excuse the failures before it.
 */
public final class FailingConfigSweep {

    /** How often the workers sweep: a minute, small beside the days of the period and cheap (one indexed read). */
    public static final Duration INTERVAL = Duration.ofMinutes(1);

    /** Configs read at once; each disabled one leaves the next read's answer. */
    static final int BATCH = 100;

    private final WebhookStore store;
    private final EngineConfig config;
    private final ConfigDisabler disabler;

    public FailingConfigSweep(WebhookStore store, EngineConfig config, ConfigDisabler disabler) {
        this.store = store;
        this.config = config;
        this.disabler = disabler;
    }

    /**
     * Disables every config due for it now.
     *
     * @return how many configs this call disabled (0 when auto-disable is off)
     */
    public int sweep() {
        if (!config.autoDisables()) {
            return 0;
        }
        Instant now = Timestamps.now(config.clock());
        Instant failingSince = now.minus(config.autoDisablePeriod());
        int disabled = 0;
        List<FailingConfig> found;
        int disabledNow;
        do {
            found = store.failingConfigs(failingSince, config.autoDisableMinAttempts(), BATCH);
            disabledNow = 0;
            for (FailingConfig failing : found) {
                if (disabler.disable(failing.orgId(), failing.configId(), reason(failing), ConfigDisabler.AUTO)) {
                    disabledNow++;
                }
            }
            disabled += disabledNow;
            // a full batch of which none could be disabled (each changed meanwhile) is left to the next sweep
        } while (found.size() == BATCH && disabledNow > 0);
        return disabled;
    }

    private String reason(FailingConfig failing) {
        return "every delivery failed for " + describe(config.autoDisablePeriod()) + " (" + failing.failedAttempts()
                + " attempts since " + failing.failingSince() + ")";
    }

    /** A period in the largest whole unit that states it exactly: "5 days", "36 hours", "90 seconds". */
    static String describe(Duration period) {
        long seconds = period.getSeconds();
        if (period.getNano() != 0) {
            return period.toMillis() + " ms";
        }
        if (seconds % 86_400 == 0) {
            return plural(seconds / 86_400, "day");
        }
        if (seconds % 3_600 == 0) {
            return plural(seconds / 3_600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
