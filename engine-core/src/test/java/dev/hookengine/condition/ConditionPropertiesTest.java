package dev.hookengine.condition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.FieldError;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.Filter;
import dev.hookengine.model.LogicalOperator;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.transform.ExpressionException;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.JsonPayloads;
import dev.hookengine.transform.JsonataFragments;
import dev.hookengine.transform.PayloadView;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated conditions (the spec's {@code WebhookConditionGroup}: random operations, field paths,
 * field types, values of every kind, array and repeatable-item flags, JSONata expressions) and legacy
 * filters, over generated payloads. Validation never throws, it reports; a group it accepts compiles,
 * and {@link EventFilter#test} gives a verdict or fails with an {@link ExpressionException}, within
 * the bounds: nothing else escapes.
 */
class ConditionPropertiesTest {

    /** Tight, so that a thousand tries stay quick. */
    private static final ExpressionLimits LIMITS = new ExpressionLimits(Duration.ofMillis(50), 200, 100_000, 65_536);

    private static final Duration MARGIN = Duration.ofSeconds(2);

    @Provide
    Arbitrary<WebhookConditionGroup> groups() {
        Arbitrary<WebhookCondition> condition = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, wellFormed()),
                net.jqwik.api.Tuple.of(2, fieldConditions()),
                net.jqwik.api.Tuple.of(1, JsonataFragments.sources().map(WebhookCondition::jsonata)),
                net.jqwik.api.Tuple.of(1, mixed()));
        return Combinators.combine(
                        condition.list().ofMaxSize(5).injectNull(0.02),
                        Arbitraries.of(LogicalOperator.class).injectNull(0.3))
                .as(WebhookConditionGroup::new);
    }

    @Provide
    Arbitrary<Filter> filters() {
        return Combinators.combine(validPaths(), JsonPayloads.texts().list().ofMaxSize(3))
                .as(Filter::new)
                .injectNull(0.6);
    }

    @Provide
    Arbitrary<JsonNode> payloads() {
        return JsonPayloads.objects();
    }

    private static Arbitrary<WebhookCondition> fieldConditions() {
        return Combinators.combine(
                        paths(),
                        Arbitraries.of(ConditionOperation.class),
                        values(),
                        Arbitraries.of(FieldType.class).injectNull(0.3),
                        Arbitraries.of(true, false).injectNull(0.5),
                        Arbitraries.of(true, false).injectNull(0.5))
                .as((field, operation, values, type, array, repeatable) ->
                        new WebhookCondition(field, operation, values, type, array, repeatable, null));
    }

    /**
     * Field conditions the validator accepts, mostly: an operation, a field type it is defined for,
     * and as many values as it takes, written as that type (with now and then one that is not).
     */
    private static Arbitrary<WebhookCondition> wellFormed() {
        return Arbitraries.of(ConditionOperation.class).flatMap(operation -> {
            List<FieldType> types = List.copyOf(Operations.fieldTypes(operation));
            return Arbitraries.of(types).flatMap(type -> {
                Arbitrary<String> value = Operations.isLength(operation)
                        ? Arbitraries.integers().between(0, 5).map(String::valueOf)
                        : Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(9, typedValues(type)),
                                net.jqwik.api.Tuple.of(1, JsonPayloads.texts()));
                int min = Operations.arity(operation) == Operations.Arity.NONE ? 0 : 1;
                int max = switch (Operations.arity(operation)) {
                    case NONE -> 0;
                    case ONE -> 1;
                    case AT_LEAST_ONE -> 4;
                };
                return Combinators.combine(
                                validPaths(),
                                value.list().ofMinSize(min).ofMaxSize(max),
                                Arbitraries.of(true, false).injectNull(0.5),
                                Arbitraries.of(true, false).injectNull(0.5))
                        .as((field, values, array, repeatable) ->
                                new WebhookCondition(field, operation, values, type, array, repeatable, null));
            });
        });
    }

    private static Arbitrary<String> typedValues(FieldType type) {
        return switch (type) {
            case STRING -> JsonPayloads.texts();
            case NUMBER ->
                Arbitraries.oneOf(
                        Arbitraries.integers().map(String::valueOf),
                        Arbitraries.doubles().map(String::valueOf),
                        Arbitraries.of("0", "-0", "1e308", "1e-320", "99999999999999999999999"));
            case BOOLEAN -> Arbitraries.of("true", "false");
            case DATE -> Arbitraries.of("2026-03-01", "1970-01-01", "9999-12-31", "2026-02-28");
            case DATETIME ->
                Arbitraries.of("2026-03-01T10:00:00Z", "2026-03-01T10:00:00+02:00", "1970-01-01T00:00:00.123456789Z");
        };
    }

    private static Arbitrary<String> validPaths() {
        return Arbitraries.oneOf(Arbitraries.of(JsonPayloads.KEYS), Arbitraries.of("1", "0", "[0]"))
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(steps -> String.join(".", steps).replace(".[", "["))
                .filter(path -> !path.startsWith("["));
    }

    /** Conditions the validator must refuse: both kinds at once, or neither. */
    private static Arbitrary<WebhookCondition> mixed() {
        return Combinators.combine(
                        paths().injectNull(0.5), JsonataFragments.expressions().injectNull(0.5))
                .as((field, expression) -> new WebhookCondition(
                        field, ConditionOperation.EQUALS, List.of("1"), null, null, null, expression));
    }

    private static Arbitrary<String> paths() {
        Arbitrary<String> step = Arbitraries.oneOf(
                Arbitraries.of(JsonPayloads.KEYS),
                Arbitraries.of("0", "1", "-1", "99999999999", "[0]", "[1]", "[x]", "", " ", "*"));
        return Arbitraries.oneOf(
                step.list().ofMinSize(1).ofMaxSize(5).map(steps -> String.join(".", steps)),
                step.list().ofMinSize(1).ofMaxSize(5).map(steps -> String.join("", steps)),
                Arbitraries.strings().withChars("ab.[]0 \\\"").ofMaxLength(12),
                Arbitraries.just("a" + ".a".repeat(5_000)));
    }

    private static Arbitrary<List<String>> values() {
        return JsonPayloads.texts().injectNull(0.02).list().ofMaxSize(4).injectNull(0.1);
    }

    @Property(tries = 1_000)
    void validatedConditionsEvaluateOnAnyPayloadWithoutAnExceptionEscaping(
            @ForAll("groups") WebhookConditionGroup group,
            @ForAll("filters") Filter filter,
            @ForAll("payloads") JsonNode payload) {
        List<FieldError> errors = ConditionValidator.validate(group, "filterConditions");
        boolean filterValid = filter == null || isValid(filter);
        if (!errors.isEmpty() || !filterValid) {
            errors.forEach(error -> assertThat(error.path()).startsWith("filterConditions"));
            Statistics.collect("refused by validation");
            return;
        }
        EventFilter compiled = EventFilter.compile(filter, group);

        long started = System.nanoTime();
        try {
            Verdict verdict = compiled.test(PayloadView.of(payload), LIMITS);
            Statistics.collect(verdict.matched() ? "matched" : "skipped");
        } catch (ExpressionException failed) {
            assertThat(failed.code()).startsWith("JSONATA_");
            Statistics.collect(failed.code());
        }
        int expressions = group.conditions() == null ? 0 : group.conditions().size();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(
                        LIMITS.timeout().multipliedBy(Math.max(1, expressions)).plus(MARGIN));
    }

    /** Whether the legacy filter passes the validation a config's save applies to it. */
    private static boolean isValid(Filter filter) {
        if (filter.keyToFilter() == null
                || filter.keyToFilter().isBlank()
                || filter.supportedValues() == null
                || filter.supportedValues().contains(null)) {
            return false;
        }
        try {
            FieldPath.parse(filter.keyToFilter());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
