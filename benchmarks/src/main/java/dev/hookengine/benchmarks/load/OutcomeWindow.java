package dev.hookengine.benchmarks.load;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The one meter a drain reports besides its rate: how long an attempt's outcome takes to be on record
 * after the receiver answered, the window in which a crash makes the receiver see the webhook again.
 * The engine's timer keeps no percentiles by default; the registry made here asks for them.
 */
final class OutcomeWindow {

    private static final String OUTCOME_WRITE = "hookengine.outcome.write.duration";

    private OutcomeWindow() {}

    /** A registry for the engine of a drain, keeping the median and the 99th percentile of the outcome window. */
    static SimpleMeterRegistry meters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals(OUTCOME_WRITE)
                        ? DistributionStatisticConfig.builder()
                                .percentiles(0.5, 0.99)
                                .build()
                                .merge(config)
                        : config;
            }
        });
        return registry;
    }

    /** The run's note on the window, from a registry made by {@link #meters()}. */
    static String note(SimpleMeterRegistry meters) {
        Timer timer = meters.find(OUTCOME_WRITE).timer();
        if (timer == null || timer.count() == 0) {
            return "no outcome was written";
        }
        ValueAtPercentile[] percentiles = timer.takeSnapshot().percentileValues();
        return String.format(
                "outcome on record after the answer (the duplicate window of a crash): p50 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms",
                percentiles[0].value(TimeUnit.MILLISECONDS),
                percentiles[1].value(TimeUnit.MILLISECONDS),
                timer.max(TimeUnit.MILLISECONDS));
    }
}
