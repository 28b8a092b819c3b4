package dev.hookengine.internal;

import dev.hookengine.Dispatch;
import dev.hookengine.spi.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The engine's Micrometer meters, all under {@code hookengine.*}. Tags carry outcomes only, never an
 * organization, config, URL or secret: cardinality stays bounded and nothing sensitive leaves.
 *
 * <ul>
 *   <li>{@code hookengine.events} (counter, tag {@code outcome}: queued, skipped, failed): events
 *       recorded by publish, triggers and replays;</li>
 *   <li>{@code hookengine.dispatch.duration} (timer): matching and shaping one event for all its configs;</li>
 *   <li>{@code hookengine.attempts} (counter, tag {@code outcome}: succeeded, retrying, failed,
 *       deferred) and {@code hookengine.attempt.duration} (timer, same tag): delivery attempts; a
 *       deferred one waited for an open circuit breaker and spent no attempt;</li>
 *   <li>{@code hookengine.delivery.latency} (timer): from an event's creation to its successful delivery;</li>
 *   <li>{@code hookengine.outcome.write.duration} (timer): from an attempt's end to its outcome being on
 *       record (group commit included); a crash inside this window makes the attempt happen again, so
 *       its size is the window in which a receiver can get a duplicate;</li>
 *   <li>{@code hookengine.queue.depth}, {@code hookengine.queue.due} and {@code hookengine.queue.lag.seconds}
 *       (gauges): the delivery queue as sampled by the workers, at most once a second;</li>
 *   <li>{@code hookengine.breakers.open} (gauge): destinations whose circuit breaker is open;</li>
 *   <li>{@code hookengine.configs.disabled} (counter, tag {@code reason}: {@code gone} for a 410 Gone,
 *       {@code auto} for every delivery failing for the auto-disable period): configs the engine
 *       disabled, each counted once, by the node that disabled it.</li>
 * </ul>
 */
public final class EngineMetrics {

    private final MeterRegistry registry;
    private final Timer dispatch;
    private final Timer latency;
    private final Timer outcomeWrite;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong lagSeconds = new AtomicLong();
    // Meters by outcome, registered on first use: looking a tagged meter up in the registry on every
    // attempt was 4 % of a delivery thread's CPU under load (benchmarks/README.md, "Load harness").
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, Timer> attemptDurations = new ConcurrentHashMap<>();
    private final Map<String, Counter> disabledConfigs = new ConcurrentHashMap<>();

    public EngineMetrics(MeterRegistry registry, IntSupplier openBreakers) {
        this.registry = registry;
        this.dispatch = Timer.builder("hookengine.dispatch.duration")
                .description("Matching and shaping one event for all its configs")
                .register(registry);
        this.latency = Timer.builder("hookengine.delivery.latency")
                .description("From an event's creation to its successful delivery")
                .register(registry);
        this.outcomeWrite = Timer.builder("hookengine.outcome.write.duration")
                .description("From an attempt's end to its outcome on record: a crash inside it makes a duplicate")
                .register(registry);
        Gauge.builder("hookengine.queue.depth", depth, AtomicLong::get)
                .description("Queued delivery jobs")
                .register(registry);
        Gauge.builder("hookengine.queue.due", due, AtomicLong::get)
                .description("Jobs due and waiting for a worker")
                .register(registry);
        Gauge.builder("hookengine.queue.lag.seconds", lagSeconds, AtomicLong::get)
                .description("Age of the oldest due job")
                .register(registry);
        // Micrometer holds a gauge's object weakly; nothing else holds this lambda, so without a strong
        // reference the gauge reads NaN after the first garbage collection.
        Gauge.builder("hookengine.breakers.open", openBreakers, supplier -> supplier.getAsInt())
                .strongReference(true)
                .description("Destinations whose circuit breaker is open")
                .register(registry);
    }

    /** Times the matching and shaping of one event. */
    public Timer dispatchTimer() {
        return dispatch;
    }

    /** One recorded event. */
    public void recorded(Dispatch dispatch) {
        String outcome = dispatch instanceof Dispatch.Deliver
                ? "queued"
                : dispatch instanceof Dispatch.Skip ? "skipped" : "failed";
        events.computeIfAbsent(
                        outcome,
                        tag -> Counter.builder("hookengine.events")
                                .tag("outcome", tag)
                                .register(registry))
                .increment();
    }

    /** One attempt and how it ended: succeeded, retrying, failed or deferred. */
    public void attempt(String outcome, Duration took) {
        attempts.computeIfAbsent(
                        outcome,
                        tag -> Counter.builder("hookengine.attempts")
                                .tag("outcome", tag)
                                .register(registry))
                .increment();
        attemptDurations
                .computeIfAbsent(
                        outcome,
                        tag -> Timer.builder("hookengine.attempt.duration")
                                .tag("outcome", tag)
                                .register(registry))
                .record(took);
    }

    /** A config the engine disabled, for {@code reason}: {@code gone} or {@code auto}. */
    public void configDisabled(String reason) {
        disabledConfigs
                .computeIfAbsent(
                        reason,
                        tag -> Counter.builder("hookengine.configs.disabled")
                                .description("Webhook configs the engine disabled")
                                .tag("reason", tag)
                                .register(registry))
                .increment();
    }

    /** An event delivered, {@code sinceCreated} after it was accepted. */
    public void delivered(Duration sinceCreated) {
        latency.record(sinceCreated.isNegative() ? Duration.ZERO : sinceCreated);
    }

    /** An attempt's outcome written, {@code took} after the attempt ended. */
    public void outcomeWritten(Duration took) {
        outcomeWrite.record(took);
    }

    /** A fresh sample of the queue. */
    public void queue(QueueStats stats, Instant now) {
        depth.set(stats.depth());
        due.set(stats.due());
        lagSeconds.set(
                stats.oldestDueAt() == null
                        ? 0
                        : Math.max(0, Duration.between(stats.oldestDueAt(), now).toSeconds()));
    }
}
