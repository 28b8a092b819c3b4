package dev.hookengine.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.condition.EventFilter;
import dev.hookengine.condition.Verdict;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.LogicalOperator;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.PayloadView;
import java.util.ArrayList;
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
 * Evaluating a config's {@code filterConditions} on one event: a 10-condition AND group (the spec's
 * maximum), compiled once with {@link EventFilter#compile}, tested on the parsed ~2 KiB order payload
 * of {@link Payloads}.
 *
 * <p>The group mixes every field type and the common operations: string {@code equals}, number
 * {@code greater_than}, {@code any_of}, {@code contains}, date {@code less_than}, boolean
 * {@code equals}, {@code is_not_empty}, {@code length_greater_than} over an array,
 * {@code entity.items.sku} (a path through the ten line items, matching only the last one, so the
 * whole array is walked) and {@code starts_with}.
 *
 * <ul>
 *   <li>{@link #allHold}: every condition holds, so all ten are evaluated: the worst case of a
 *       matching event.</li>
 *   <li>{@link #firstFails}: the same group with its first condition changed to fail, so evaluation
 *       stops at once and builds the skip reason.</li>
 * </ul>
 *
 * <p>DESIGN budget ("Quality bars"): evaluating a 10-condition group on a parsed event well under
 * 1 µs, without allocating per call beyond what comparison needs (see {@code -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConditionBenchmark {

    private ObjectNode payload;
    private EventFilter allHold;
    private EventFilter firstFails;

    @Setup
    public void setUp() {
        payload = Payloads.checkSize(Payloads.order());
        allHold = EventFilter.compile(
                null, group(condition("entity.status", ConditionOperation.EQUALS, FieldType.STRING, "open")));
        firstFails = EventFilter.compile(
                null, group(condition("entity.status", ConditionOperation.EQUALS, FieldType.STRING, "cancelled")));

        // Measure what the names say: a matching event and an early skip.
        Verdict matched = allHold.test(PayloadView.of(payload), ExpressionLimits.DEFAULT);
        if (!matched.matched()) {
            throw new IllegalStateException("allHold should match, but: " + matched.reason());
        }
        Verdict skipped = firstFails.test(PayloadView.of(payload), ExpressionLimits.DEFAULT);
        if (skipped.matched() || !skipped.reason().startsWith("filterConditions.conditions[0]")) {
            throw new IllegalStateException("firstFails should skip at condition 0, but: " + skipped);
        }
    }

    /** All ten conditions evaluated; the event matches. */
    @Benchmark
    public Verdict allHold() {
        return allHold.test(PayloadView.of(payload), ExpressionLimits.DEFAULT);
    }

    /** Stops at the first condition; the event is skipped with a reason. */
    @Benchmark
    public Verdict firstFails() {
        return firstFails.test(PayloadView.of(payload), ExpressionLimits.DEFAULT);
    }

    /** The ten-condition AND group, with {@code first} as condition 0 and nine that hold on the payload. */
    private static WebhookConditionGroup group(WebhookCondition first) {
        List<WebhookCondition> conditions = new ArrayList<>();
        conditions.add(first);
        conditions.add(condition("entity.total_amount", ConditionOperation.GREATER_THAN, FieldType.NUMBER, "1000"));
        conditions.add(condition("entity.currency", ConditionOperation.ANY_OF, FieldType.STRING, "USD", "GBP", "EUR"));
        conditions.add(condition("entity.customer.email", ConditionOperation.CONTAINS, FieldType.STRING, "@example."));
        conditions.add(condition("entity.delivery_date", ConditionOperation.LESS_THAN, FieldType.DATE, "2024-12-31"));
        conditions.add(condition("entity.express_shipping", ConditionOperation.EQUALS, FieldType.BOOLEAN, "true"));
        conditions.add(condition("entity.customer.name", ConditionOperation.IS_NOT_EMPTY, FieldType.STRING));
        conditions.add(condition("entity.items", ConditionOperation.LENGTH_GREATER_THAN, FieldType.STRING, "5"));
        conditions.add(condition(
                "entity.items.sku", ConditionOperation.EQUALS, FieldType.STRING, "SKU-" + (1000 + Payloads.ITEMS)));
        conditions.add(condition("entity.order_number", ConditionOperation.STARTS_WITH, FieldType.STRING, "OR-2024-"));
        if (conditions.size() != WebhookConditionGroup.MAX_CONDITIONS) {
            throw new IllegalStateException("expected a full group of " + WebhookConditionGroup.MAX_CONDITIONS);
        }
        return new WebhookConditionGroup(conditions, LogicalOperator.AND);
    }

    private static WebhookCondition condition(
            String field, ConditionOperation operation, FieldType type, String... values) {
        return new WebhookCondition(field, operation, List.of(values), type, null, null, null);
    }
}
