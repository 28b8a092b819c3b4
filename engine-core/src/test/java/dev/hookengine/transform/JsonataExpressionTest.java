package dev.hookengine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.OutcomeCode;
import dev.hookengine.condition.EventFilter;
import dev.hookengine.condition.Verdict;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonataExpressionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tight bounds for hostile expressions: 200 ms, depth 200, 10,000 characters. */
    private static final ExpressionLimits SMALL = new ExpressionLimits(Duration.ofMillis(200), 200, 10_000);

    /** How much later than its timeout a bounded evaluation may return (JIT warm-up, a busy 2-core CI box). */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    // ------------------------------------------------------------------------------------------------
    // Results
    // ------------------------------------------------------------------------------------------------

    @Test
    void typicalMappingGivesTheExactJson() throws Exception {
        JsonNode payload = JSON.readTree("""
                {"metadata": {"event": "order.created", "org": "o1"},
                 "entity": {"id": "ord_1",
                            "customer": {"first": "ada", "last": "lovelace"},
                            "lines": [{"sku": "a-1", "qty": 2, "price": 1.25},
                                      {"sku": "b-2", "qty": 1, "price": 2.5},
                                      {"sku": "c-3", "qty": 3, "price": 0.5}],
                            "tags": ["vip", "new"]}}""");
        JsonataExpression transform = JsonataExpression.compile("""
                {
                  "event": metadata.event,
                  "orderId": $uppercase(entity.id),
                  "customer": $uppercase($substring(entity.customer.first, 0, 1)) & $substring(entity.customer.first, 1)
                              & " " & $substring(entity.customer.last, 0, 4),
                  "total": $sum(entity.lines.(qty * price)),
                  "items": $count(entity.lines.qty),
                  "units": $sum(entity.lines.qty),
                  "skus": entity.lines.$substringBefore(sku, "-"),
                  "expensive": entity.lines[price > 1].sku,
                  "lines": entity.lines.{"sku": sku, "amount": qty * price},
                  "tags": $join(entity.tags, ","),
                  "half": 5 / 2,
                  "whole": 4 / 2,
                  "flag": "vip" in entity.tags
                }""");

        JsonNode result = transform.evaluate(PayloadView.of(payload), ExpressionLimits.DEFAULT);

        assertThat(JSON.writeValueAsString(result))
                .isEqualTo("{\"event\":\"order.created\",\"orderId\":\"ORD_1\","
                        + "\"customer\":\"Ada love\",\"total\":6.5,\"items\":3,\"units\":6,\"skus\":[\"a\",\"b\",\"c\"],"
                        + "\"expensive\":[\"a-1\",\"b-2\"],"
                        + "\"lines\":[{\"sku\":\"a-1\",\"amount\":2.5},{\"sku\":\"b-2\",\"amount\":2.5},{\"sku\":\"c-3\",\"amount\":1.5}],"
                        + "\"tags\":\"vip,new\",\"half\":2.5,\"whole\":2,\"flag\":true}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "4 / 2                   | 2",
                "$sum([1.5, 0.5])        | 2",
                "1.5 * 2                 | 3",
                "$sum(entity.lines.price) | 4",
                "$average([1, 2])        | 1.5",
                "10 / 4                  | 2.5",
                "-6 / 3                  | -2",
                "$number(\"7.0\")        | 7",
                "[4 / 2, 1.0]            | [2,1]",
                "{\"n\": 9 / 3}          | {\"n\":3}"
            })
    void wholeNumberResultsAreWrittenAsIntegers(String expression, String expectedJson) throws Exception {
        JsonNode payload = JSON.readTree("{\"entity\":{\"lines\":[{\"price\":1.5},{\"price\":2.5}]}}");
        JsonNode result =
                JsonataExpression.compile(expression).evaluate(PayloadView.of(payload), ExpressionLimits.DEFAULT);
        assertThat(JSON.writeValueAsString(result)).isEqualTo(expectedJson);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"entity.nothing", "entity.lines[price > 100]", "$lookup(entity, \"nope\")"})
    void undefinedResultIsNull(String expression) throws Exception {
        JsonNode payload = JSON.readTree("{\"entity\":{\"lines\":[{\"price\":1.5}]}}");
        JsonataExpression compiled = JsonataExpression.compile(expression);
        assertThat(compiled.evaluate(PayloadView.of(payload), ExpressionLimits.DEFAULT))
                .isNull();
        assertThat(compiled.test(PayloadView.of(payload), ExpressionLimits.DEFAULT))
                .isFalse();
        // The same expression on a payload where it is defined gives a value: the null above is not a constant.
        JsonNode defined = JSON.readTree("{\"entity\":{\"nothing\":1,\"nope\":2,\"lines\":[{\"price\":101}]}}");
        assertThat(compiled.evaluate(PayloadView.of(defined), ExpressionLimits.DEFAULT))
                .isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"1 +                  | 3", "{\"a\": }            | 7", "$sum(1, 2            | 9"})
    void syntaxErrorFailsAtCompileWithThePosition(String source, int position) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonataExpression.compile(source))
                .withMessageContaining("does not compile")
                .withMessageContaining("position " + position);
    }

    // ------------------------------------------------------------------------------------------------
    // One compiled transform, many threads
    // ------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneCompiledTransformServesEightThreadsWithoutAWrongResult() throws Exception {
        JsonataExpression transform = JsonataExpression.compile("""
                {"id": id, "name": $uppercase(name), "total": $sum(items.(price * qty)), "skus": items.sku,
                 "big": id > 50000}""");
        int threads = 8;
        int total = 100_000;
        int perThread = total / threads;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger evaluated = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        ConcurrentLinkedQueue<String> firstWrong = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = from; i < from + perThread; i++) {
                        String expected = expectedOutput(i);
                        String actual;
                        try {
                            actual = JSON.writeValueAsString(
                                    transform.evaluate(PayloadView.of(input(i)), WITHOUT_A_DEADLINE_TO_MISS));
                        } catch (ExpressionException e) {
                            actual = e.code() + ": " + e.getMessage();
                        }
                        evaluated.incrementAndGet();
                        if (!expected.equals(actual)) {
                            wrong.incrementAndGet();
                            if (firstWrong.size() < 5) {
                                firstWrong.add("input " + i + ": expected " + expected + " but was " + actual);
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(firstWrong).isEmpty();
        assertThat(wrong.get()).isZero();
        assertThat(evaluated.get()).isEqualTo(total);
    }

    /**
     * The default bounds but a minute's deadline: this test is about sharing one compiled transform
     * between threads, and on a loaded machine (eight threads on two busy cores) an evaluation of a
     * few microseconds can wait out the default second for its core, which is no wrong result.
     */
    private static final ExpressionLimits WITHOUT_A_DEADLINE_TO_MISS = new ExpressionLimits(
            Duration.ofMinutes(1),
            ExpressionLimits.DEFAULT.maxDepth(),
            ExpressionLimits.DEFAULT.maxStringLength(),
            ExpressionLimits.DEFAULT.maxResultBytes());

    /** Input {@code i}: every value depends on {@code i}, so a result computed for another input shows. */
    private static JsonNode input(int i) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", i);
        root.put("name", "user-" + i);
        ArrayNode items = root.putArray("items");
        items.addObject().put("sku", "a" + i).put("price", i).put("qty", 2);
        items.addObject().put("sku", "b" + i).put("price", 0.5).put("qty", i % 7);
        return root;
    }

    /** What the transform must give for input {@code i}, computed in Java. */
    private static String expectedOutput(int i) {
        double total = 2.0 * i + 0.5 * (i % 7);
        String totalText = total == Math.rint(total) ? Long.toString((long) total) : Double.toString(total);
        return "{\"id\":" + i + ",\"name\":\"USER-" + i + "\",\"total\":" + totalText + ",\"skus\":[\"a" + i + "\",\"b"
                + i + "\"],\"big\":" + (i > 50000) + "}";
    }

    // ------------------------------------------------------------------------------------------------
    // Hostile expressions
    // ------------------------------------------------------------------------------------------------

    private record Hostile(String name, String source, ExpressionLimits limits, String code, String messagePart) {}

    @Test
    void hostileExpressionsFailWithTheirCodeInBoundedTimeAndTheEngineGoesOn() throws Exception {
        List<Hostile> hostile = List.of(
                new Hostile(
                        "infinite (tail) recursion",
                        "($f := function($x){ $f($x+1) }; $f(1))",
                        SMALL,
                        OutcomeCode.JSONATA_TIMEOUT.code(),
                        "200 ms"),
                new Hostile(
                        "range of a hundred million",
                        "[1..100000000]",
                        SMALL,
                        OutcomeCode.JSONATA_EVALUATION_ERROR.code(),
                        "range"),
                new Hostile(
                        "$pad to a hundred million characters",
                        "$pad(\"\", 100000000)",
                        SMALL,
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED.code(),
                        "$pad"),
                new Hostile(
                        "negative $pad width",
                        "$pad(\"x\", -100000000, \"#\")",
                        SMALL,
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED.code(),
                        "$pad"),
                new Hostile(
                        "string doubling",
                        "($f := function($s){ $f($s & $s) }; $f(\"x\"))",
                        SMALL,
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED.code(),
                        "string"),
                new Hostile(
                        "a long loop over a big range",
                        "$sum([1..100000].($sum([1..10000].($ * 2))))",
                        SMALL,
                        OutcomeCode.JSONATA_TIMEOUT.code(),
                        "200 ms"),
                new Hostile(
                        "deep non-tail recursion",
                        "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))",
                        SMALL,
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED.code(),
                        "deeper than 200"),
                new Hostile(
                        "deep non-tail recursion past the thread's stack",
                        "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(10000000))",
                        new ExpressionLimits(Duration.ofSeconds(5), Integer.MAX_VALUE, 10_000),
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED.code(),
                        "stack"),
                new Hostile(
                        "infinite recursion inside $eval",
                        "$eval(\"($f := function($x){ $f($x+1) }; $f(1))\")",
                        SMALL,
                        OutcomeCode.JSONATA_TIMEOUT.code(),
                        "200 ms"),
                new Hostile(
                        "$pad inside $eval",
                        "$eval(\"$pad('', 100000000)\")",
                        SMALL,
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED.code(),
                        "$pad"),
                new Hostile("type error", "\"a\" + 1", SMALL, OutcomeCode.JSONATA_EVALUATION_ERROR.code(), "number"),
                new Hostile(
                        "calling an undefined function",
                        "$nope(1)",
                        SMALL,
                        OutcomeCode.JSONATA_EVALUATION_ERROR.code(),
                        "JSONata evaluation failed"));

        PayloadView empty = PayloadView.of(JSON.readTree("{\"entity\":{}}"));
        List<String> failures = new ArrayList<>();
        for (Hostile h : hostile) {
            JsonataExpression expression = JsonataExpression.compile(h.source());
            long started = System.nanoTime();
            ExpressionException thrown =
                    catchThrowableOfType(ExpressionException.class, () -> expression.evaluate(empty, h.limits()));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (thrown == null) {
                failures.add(h.name() + ": no ExpressionException");
                continue;
            }
            if (!h.code().equals(thrown.code())) {
                failures.add(
                        h.name() + ": code " + thrown.code() + " (" + thrown.getMessage() + "), expected " + h.code());
            }
            if (thrown.getMessage() == null || !thrown.getMessage().contains(h.messagePart())) {
                failures.add(h.name() + ": message '" + thrown.getMessage() + "' lacks '" + h.messagePart() + "'");
            }
            if (elapsed.compareTo(h.limits().timeout().plus(MARGIN)) >= 0) {
                failures.add(h.name() + ": took " + elapsed.toMillis() + " ms");
            }
        }
        assertThat(failures).isEmpty();

        // The engine goes on matching afterwards, on this same thread.
        JsonNode order =
                JSON.readTree("{\"entity\":{\"status\":\"open\",\"amount\":150,\"lines\":[{\"qty\":2},{\"qty\":3}]}}");
        JsonataExpression normal =
                JsonataExpression.compile("{\"units\": $sum(entity.lines.qty), \"status\": entity.status}");
        assertThat(JSON.writeValueAsString(normal.evaluate(PayloadView.of(order), SMALL)))
                .isEqualTo("{\"units\":5,\"status\":\"open\"}");

        EventFilter filter = EventFilter.compile(
                null,
                new WebhookConditionGroup(
                        List.of(
                                new WebhookCondition(
                                        "entity.amount",
                                        ConditionOperation.GREATER_THAN,
                                        List.of("100"),
                                        FieldType.NUMBER,
                                        null,
                                        null,
                                        null),
                                WebhookCondition.jsonata("$sum(entity.lines.qty) = 5")),
                        null));
        assertThat(filter.test(PayloadView.of(order), SMALL)).isEqualTo(Verdict.MATCHED);
        JsonNode small = JSON.readTree("{\"entity\":{\"status\":\"open\",\"amount\":150,\"lines\":[{\"qty\":1}]}}");
        Verdict skipped = filter.test(PayloadView.of(small), SMALL);
        assertThat(skipped.matched()).isFalse();
        assertThat(skipped.reason()).contains("filterConditions.conditions[1]");
    }

    @Test
    void aHostileJsonataConditionFailsTheEvaluationRatherThanSkipping() throws Exception {
        EventFilter filter = EventFilter.compile(
                null,
                new WebhookConditionGroup(
                        List.of(WebhookCondition.jsonata("($f := function($x){ $f($x+1) }; $f(1))")), null));
        PayloadView payload = PayloadView.of(JSON.readTree("{\"entity\":{}}"));
        long started = System.nanoTime();
        ExpressionException thrown = catchThrowableOfType(ExpressionException.class, () -> filter.test(payload, SMALL));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(thrown).isNotNull();
        assertThat(thrown.code()).isEqualTo(OutcomeCode.JSONATA_TIMEOUT.code());
        assertThat(elapsed).isLessThan(SMALL.timeout().plus(MARGIN));
    }

    // ------------------------------------------------------------------------------------------------
    // Bounds are per evaluation
    // ------------------------------------------------------------------------------------------------

    @Test
    void aTimeoutDoesNotPoisonLaterEvaluationsOfTheSameExpression() throws Exception {
        JsonataExpression loop = JsonataExpression.compile("$sum([1..n].($sum([1..$$.m])))");
        PayloadView endless = PayloadView.of(JSON.readTree("{\"n\":100000,\"m\":10000}"));
        // The quick evaluations get a timeout that a busy machine cannot exhaust by descheduling the
        // thread; a deadline left over from the timed-out evaluation would still fail them at once.
        ExpressionLimits quick =
                new ExpressionLimits(Duration.ofSeconds(10), SMALL.maxDepth(), SMALL.maxStringLength());
        for (int round = 0; round < 3; round++) {
            long started = System.nanoTime();
            ExpressionException thrown =
                    catchThrowableOfType(ExpressionException.class, () -> loop.evaluate(endless, SMALL));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            assertThat(thrown).as("round %d", round).isNotNull();
            assertThat(thrown.code()).isEqualTo(OutcomeCode.JSONATA_TIMEOUT.code());
            assertThat(elapsed).isLessThan(SMALL.timeout().plus(MARGIN));

            for (int n = 1; n <= 20; n++) {
                JsonNode result = loop.evaluate(PayloadView.of(JSON.readTree("{\"n\":" + n + ",\"m\":4}")), quick);
                assertThat(result.asLong()).as("round %d, n %d", round, n).isEqualTo(10L * n);
            }
        }
        // A long evaluation that fits a bigger timeout still completes: the 200 ms hit before is not remembered.
        ExpressionLimits roomy = new ExpressionLimits(Duration.ofSeconds(30), 200, 10_000);
        JsonNode result = loop.evaluate(PayloadView.of(JSON.readTree("{\"n\":2000,\"m\":100}")), roomy);
        assertThat(result.asLong()).isEqualTo(2000L * 5050);
    }

    @Test
    void aDepthOrStringLimitDoesNotPoisonLaterEvaluations() throws Exception {
        JsonataExpression recursion =
                JsonataExpression.compile("($f := function($k){ $k = 0 ? 0 : 1 + $f($k - 1) }; $f(n))");
        JsonataExpression repeat = JsonataExpression.compile("$join([1..n].(\"ab\"))");
        for (int round = 0; round < 3; round++) {
            assertThat(catchThrowableOfType(
                                    ExpressionException.class,
                                    () -> recursion.evaluate(PayloadView.of(JSON.readTree("{\"n\":100000}")), SMALL))
                            .code())
                    .isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
            for (int n = 0; n <= 30; n += 5) {
                assertThat(recursion
                                .evaluate(PayloadView.of(JSON.readTree("{\"n\":" + n + "}")), SMALL)
                                .asInt())
                        .as("round %d, n %d", round, n)
                        .isEqualTo(n);
            }
            assertThat(catchThrowableOfType(
                                    ExpressionException.class,
                                    () -> repeat.evaluate(PayloadView.of(JSON.readTree("{\"n\":6000}")), SMALL))
                            .code())
                    .isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
            assertThat(repeat.evaluate(PayloadView.of(JSON.readTree("{\"n\":3}")), SMALL)
                            .textValue())
                    .isEqualTo("ababab");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // What compiles: length and nesting, bounded before the parser can overflow
    // ------------------------------------------------------------------------------------------------

    static List<String> tooDeep() {
        int n = 1_000;
        return List.of(
                "(".repeat(n) + "1" + ")".repeat(n),
                "[".repeat(n) + "1" + "]".repeat(n),
                "{\"a\":".repeat(n) + "1" + "}".repeat(n),
                "$not(".repeat(n) + "true" + ")".repeat(n),
                "-".repeat(n) + "1",
                "a" + ".a".repeat(7_000),
                "1" + "+1".repeat(7_000),
                "true" + " and true".repeat(1_500),
                "'x'" + " & 'x'".repeat(2_000),
                "a" + "[0]".repeat(4_000),
                "$f" + "(1)".repeat(4_000),
                "1" + " ~> $string".repeat(1_000),
                "function($x){".repeat(n) + "1" + "}".repeat(n),
                "true ? ".repeat(n) + "1" + " : 2".repeat(n),
                "[1..".repeat(n) + "1" + "]".repeat(n),
                "(".repeat(n) + "1", // never closed: the parser still recurses into it
                "(".repeat(n) + "1" + ")".repeat(n) + "+1".repeat(5_000));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("tooDeep")
    void sourcesNestedTooDeeplyAreRefusedAtCompileNeverOverflowingTheStack(String source) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> JsonataExpression.compile(source));

        assertThat(thrown)
                .as("%s...", source.substring(0, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the limit of " + JsonataExpression.MAX_NESTING_DEPTH)
                .hasNoCause();
    }

    @Test
    void theDeepestAcceptedSourcesCompileAndEvaluateOnASmallStack() throws Exception {
        int depth = JsonataExpression.MAX_NESTING_DEPTH;
        List<String> deepest = List.of(
                "(".repeat(depth - 1) + "1" + ")".repeat(depth - 1),
                "[".repeat(depth - 1) + "1" + "]".repeat(depth - 1),
                "{\"a\":".repeat(depth / 2) + "1" + "}".repeat(depth / 2),
                "1" + "+1".repeat(depth),
                "-".repeat(depth) + "1",
                "(".repeat(depth / 2 - 1) + "1" + "+1".repeat(depth / 2) + ")".repeat(depth / 2 - 1));
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        // 512 KiB, half the JVM's default thread stack, run first thing (interpreted, the largest frames).
        Thread small = new Thread(
                null,
                () -> {
                    for (String source : deepest) {
                        try {
                            JsonataExpression.compile(source)
                                    .evaluate(PayloadView.of(JSON.createObjectNode()), ExpressionLimits.DEFAULT);
                        } catch (Throwable e) {
                            failures.add(source.substring(0, 10) + "...: " + e);
                        }
                    }
                },
                "small-stack",
                512 * 1024);
        small.start();
        small.join();
        assertThat(failures).isEmpty();
    }

    @Test
    void nestingInsideStringsNamesAndCommentsDoesNotCount() {
        String text = "(".repeat(3_000);
        JsonataExpression expression = JsonataExpression.compile(
                "/* " + text + " */ {\"a\": \"" + text + "\", \"b\": '" + text + "', \"c\": `" + text + "`}");
        assertThat(expression
                        .evaluate(PayloadView.of(JSON.createObjectNode()), ExpressionLimits.DEFAULT)
                        .get("a")
                        .textValue())
                .isEqualTo(text);
        // Commas and semicolons end a chain: a long object or block is wide, not deep.
        assertThat(JsonataExpression.compile("{" + "\"k\": a.b.c,".repeat(1_000) + "\"z\": 1}"))
                .isNotNull();
    }

    @Test
    void sourcesLongerThan16KiBAreRefused() {
        String longest = "\"" + "x".repeat(JsonataExpression.MAX_SOURCE_LENGTH - 2) + "\"";
        assertThat(JsonataExpression.compile(longest)).isNotNull();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonataExpression.compile(longest + " "))
                .withMessageContaining("over the limit of 16384");
    }

    // ------------------------------------------------------------------------------------------------
    // The size of a result
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[1..9999999]|items",
                "$reverse([1..3000000])|items",
                "[1..9999999].($ * 2)|items",
                "$merge([1..600000].{$string($): 1})|items",
                "[1..120000].('0123456789')|bytes",
                "{'a': [1..30000].('vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv')}|bytes",
                "$reduce([1..2000], function($acc, $v){ {'a': $acc} }, {})|levels",
                "$reduce([1..2000], function($acc, $v){ [[$acc]] }, [0])|levels"
            })
    void aResultOverTheSizeBoundFailsWithLimitExceeded(String source, String messagePart) {
        JsonataExpression expression = JsonataExpression.compile(source);
        // A roomy timeout: the size bound must be what stops these, even on a busy machine.
        ExpressionLimits roomy = new ExpressionLimits(Duration.ofSeconds(20), 500, 1_000_000);

        ExpressionException thrown = catchThrowableOfType(
                ExpressionException.class, () -> expression.evaluate(PayloadView.of(JSON.createObjectNode()), roomy));

        assertThat(thrown).as(source).isNotNull();
        assertThat(thrown.code()).isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
        assertThat(thrown.getMessage()).contains(messagePart);
    }

    @Test
    void aResultJustUnderTheSizeBoundIsWhole() throws Exception {
        ExpressionLimits limits = new ExpressionLimits(Duration.ofSeconds(5), 500, 1_000_000, 1_000);
        // ["xx...x"] with 995 x: 2 brackets, 2 quotes, 995 characters = 999 bytes.
        JsonataExpression fits = JsonataExpression.compile("[$pad('', 995, 'x')]");
        JsonataExpression over = JsonataExpression.compile("[$pad('', 997, 'x')]");
        JsonataExpression multibyte = JsonataExpression.compile("[$pad('', 400, 'é')]"); // 800 bytes + 4

        assertThat(fits.evaluate(PayloadView.of(JSON.createObjectNode()), limits)
                        .get(0)
                        .textValue())
                .hasSize(995);
        assertThat(multibyte.evaluate(PayloadView.of(JSON.createObjectNode()), limits))
                .hasSize(1);
        assertThat(catchThrowableOfType(
                                ExpressionException.class,
                                () -> over.evaluate(PayloadView.of(JSON.createObjectNode()), limits))
                        .code())
                .isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
        assertThat(catchThrowableOfType(
                                ExpressionException.class,
                                () -> JsonataExpression.compile("[$pad('', 501, 'é')]")
                                        .evaluate(PayloadView.of(JSON.createObjectNode()), limits))
                        .code())
                .as("counted in UTF-8 bytes, not characters")
                .isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
    }

    @Test
    void aPadAsWideAsTheStringLimitIsBuiltInBoundedTime() {
        // JSONata's own $pad took quadratic time (seconds for a width of 40,000 with a two-character
        // padding), in one step that no timeout can interrupt.
        JsonataExpression wide = JsonataExpression.compile("$length($pad('', 1000000, 'ab'))");
        long started = System.nanoTime();

        JsonNode length = wide.evaluate(PayloadView.of(JSON.createObjectNode()), ExpressionLimits.DEFAULT);

        assertThat(length.asInt()).isEqualTo(1_000_000);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(ExpressionLimits.DEFAULT.timeout().plus(MARGIN));
    }
}
