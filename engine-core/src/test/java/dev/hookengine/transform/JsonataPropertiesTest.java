package dev.hookengine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated JSONata ({@link JsonataFragments}: grammar fragments, hostile shapes, mangled sources) on
 * generated payloads ({@link JsonPayloads}): {@link JsonataExpression#compile} refuses a source with
 * an {@link IllegalArgumentException} or compiles it; an evaluation returns a value within
 * {@link ExpressionLimits#maxResultBytes()} or fails with an {@link ExpressionException}, within its
 * timeout. Nothing else ever escapes: no other exception, no {@link StackOverflowError}.
 */
class JsonataPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tight, so that a thousand tries stay quick: 50 ms, depth 200, 100,000 characters, 64 KiB. */
    private static final ExpressionLimits LIMITS = new ExpressionLimits(Duration.ofMillis(50), 200, 100_000, 65_536);

    /** How much later than its timeout an evaluation may return (JIT warm-up, a busy 2-core machine). */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @Provide
    Arbitrary<String> sources() {
        return JsonataFragments.sources();
    }

    @Provide
    Arbitrary<JsonNode> payloads() {
        return JsonPayloads.objects();
    }

    @Property(tries = 1_000)
    void compileRefusesOrCompilesAndEvaluationStaysInBounds(
            @ForAll("sources") String source, @ForAll("payloads") JsonNode payload) throws Exception {
        JsonataExpression expression;
        try {
            expression = JsonataExpression.compile(source);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("JSONata does not compile");
            Statistics.collect("refused at compile");
            return;
        }
        PayloadView view = PayloadView.of(payload);

        long started = System.nanoTime();
        try {
            JsonNode result = expression.evaluate(view, LIMITS);
            Statistics.collect(result == null ? "undefined" : "a value");
            if (result != null) {
                assertThat(JSON.writeValueAsBytes(result).length)
                        .as("the result's size")
                        .isLessThanOrEqualTo(LIMITS.maxResultBytes());
            }
        } catch (ExpressionException failed) {
            assertThat(failed.code()).startsWith("JSONATA_");
            Statistics.collect(failed.code());
        }
        try {
            expression.test(view, LIMITS);
        } catch (ExpressionException failed) {
            assertThat(failed.code()).startsWith("JSONATA_");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("two evaluations")
                .isLessThan(LIMITS.timeout().multipliedBy(2).plus(MARGIN));
    }

    @Property(tries = 1_000)
    void theLinearPadGivesWhatJsonatasOwnGives(
            @ForAll @net.jqwik.api.constraints.StringLength(max = 6) String text,
            @ForAll @net.jqwik.api.constraints.IntRange(min = -40, max = 40) int width,
            @ForAll @net.jqwik.api.constraints.StringLength(max = 3) String padding) {
        assertThat(JsonataExpression.padded(text, width, padding))
                .isEqualTo(com.dashjoin.jsonata.Functions.pad(text, width, padding));
    }
}
