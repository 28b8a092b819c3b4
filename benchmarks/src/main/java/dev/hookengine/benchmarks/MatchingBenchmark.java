package dev.hookengine.benchmarks;

import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.PublishResult;
import dev.hookengine.WebhookEngine;
import dev.hookengine.internal.config.CompiledConfig;
import dev.hookengine.internal.config.ConfigIndex;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching an event to an organization's configs, with an organization of 10,000 configs over 100
 * event names (100 configs per name), created through {@link WebhookEngine#createConfig} on an
 * {@link InMemoryWebhookStore}.
 *
 * <ul>
 *   <li>{@link #activeConfigs}: finding the configs an event reaches: {@link ConfigIndex#activeConfigs}
 *       on a warm index over the same store (100 configs returned). DESIGN budget ("Quality bars"):
 *       finding the matching configs of an org with 10,000 configs in under 10 µs.</li>
 *   <li>{@link #publish}: a whole {@link WebhookEngine#publish} of the ~2 KiB order event
 *       ({@link Payloads}) to an event name 100 configs subscribe to, none with filters or a
 *       transform: index lookup plus building 100 payloads and 100 dispatches. No DESIGN budget;
 *       divide by 100 for the cost per config.</li>
 * </ul>
 *
 * <p>Both the index and the engine refresh from the store once an hour here instead of the engine's
 * default 5 seconds, so that a reload of all 10,000 configs (which a real node does in the
 * background of its traffic every refresh interval) does not land inside a measurement iteration:
 * these figures are the steady-state cost per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatchingBenchmark {

    static final String ORG = "acme";
    static final int CONFIGS = 10_000;
    static final int EVENT_NAMES = 100;
    static final String EVENT = "event_42";
    static final Duration REFRESH = Duration.ofHours(1);

    private WebhookEngine engine;
    private ConfigIndex index;
    private DomainEvent event;

    @Setup
    public void setUp() {
        InMemoryWebhookStore store = new InMemoryWebhookStore();
        engine = WebhookEngine.builder()
                .store(store)
                .configRefreshInterval(REFRESH)
                .build();
        for (int i = 0; i < CONFIGS; i++) {
            engine.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("config " + i)
                            .eventName("event_" + i % EVENT_NAMES)
                            .url("https://example.com/hooks/" + i)
                            .build());
        }
        index = new ConfigIndex(store, REFRESH);
        List<CompiledConfig> found = index.activeConfigs(ORG, EVENT); // loads the organization's entry
        int expected = CONFIGS / EVENT_NAMES;
        if (found.size() != expected) {
            throw new IllegalStateException(
                    "expected " + expected + " configs for " + EVENT + ", found " + found.size());
        }

        event = DomainEvent.builder(ORG, EVENT)
                .property("metadata", Payloads.eventMetadata())
                .entity(Payloads.entity())
                .build();
        PublishResult result = engine.publish(event); // loads the engine's own index
        if (result.dispatches().size() != expected
                || !result.dispatches().stream().allMatch(dispatch -> dispatch instanceof Dispatch.Deliver)) {
            throw new IllegalStateException("expected " + expected + " deliveries, got " + result.dispatches());
        }
        Payloads.checkSize(result.dispatches().get(0).payload()); // each config gets the ~2 KiB payload
    }

    /** The 100 active configs for one event name out of 10,000. */
    @Benchmark
    public List<CompiledConfig> activeConfigs() {
        return index.activeConfigs(ORG, EVENT);
    }

    /** One event fanned out to 100 configs: 100 payloads built, no filters, no transform. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public PublishResult publish() {
        return engine.publish(event);
    }
}
