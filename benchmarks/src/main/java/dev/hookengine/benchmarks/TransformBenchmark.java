package dev.hookengine.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.JsonataExpression;
import dev.hookengine.transform.PayloadView;
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
 * Shaping a payload with a config's {@code jsonataExpression}: a typical mapping (a few fields, a
 * {@code $sum} over the line items, an array of SKUs, a string concatenation), compiled once with
 * {@link JsonataExpression#compile} and evaluated on the ~2 KiB order payload of {@link Payloads}
 * under {@link ExpressionLimits#DEFAULT}.
 *
 * <ul>
 *   <li>{@link #freshView}: a new {@link PayloadView} per evaluation, so the JSON tree is converted to
 *       the Java maps and lists JSONata reads every time: the real cost per event and config.</li>
 *   <li>{@link #reusedView}: one view, converted once in setup: the cost of the expression alone
 *       (and of turning its result back into JSON).</li>
 * </ul>
 *
 * <p>DESIGN has no budget for transforms; its metrics list "transform time" among what is watched.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TransformBenchmark {

    static final String MAPPING = """
            {
              "orderId": entity._id,
              "customer": entity.customer.name,
              "total": $sum(entity.items.(price * qty)),
              "skus": entity.items.sku,
              "shipTo": entity.shipping_address.city & ", " & entity.shipping_address.country
            }""";

    private ObjectNode payload;
    private JsonataExpression expression;
    private PayloadView view;

    @Setup
    public void setUp() {
        payload = Payloads.checkSize(Payloads.order());
        expression = JsonataExpression.compile(MAPPING);
        view = PayloadView.of(payload);
        JsonNode result = expression.evaluate(view, ExpressionLimits.DEFAULT); // converts the view once
        if (result == null
                || !"ord-7f3a9c21".equals(result.path("orderId").asText())
                || result.path("skus").size() != Payloads.ITEMS
                || !"Hamburg, DE".equals(result.path("shipTo").asText())
                || !result.path("total").isNumber()) {
            throw new IllegalStateException("unexpected transform result: " + result);
        }
    }

    /** Conversion of the payload plus evaluation: what one config's transform costs per event. */
    @Benchmark
    public JsonNode freshView() {
        return expression.evaluate(PayloadView.of(payload), ExpressionLimits.DEFAULT);
    }

    /** Evaluation alone, on a view converted once. */
    @Benchmark
    public JsonNode reusedView() {
        return expression.evaluate(view, ExpressionLimits.DEFAULT);
    }
}
