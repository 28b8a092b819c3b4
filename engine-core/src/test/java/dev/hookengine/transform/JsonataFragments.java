package dev.hookengine.transform;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * JSONata sources for generated-input tests, built from fragments of the grammar: paths, literals,
 * operators, constructors, function calls, lambdas and recursion, with the hostile shapes mixed in
 * (deep nesting, huge ranges, long strings, unbounded recursion, results that grow). Most compile;
 * some are cut or spliced so that they do not.
 */
public final class JsonataFragments {

    private JsonataFragments() {}

    /** Any source: well-formed expressions, hostile ones, and mangled ones. */
    public static Arbitrary<String> sources() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, expressions()),
                net.jqwik.api.Tuple.of(2, hostile()),
                net.jqwik.api.Tuple.of(1, mangled()));
    }

    /** Well-formed expressions, a few levels of fragments deep. */
    public static Arbitrary<String> expressions() {
        return Arbitraries.recursive(JsonataFragments::leaves, JsonataFragments::composed, 0, 4);
    }

    private static Arbitrary<String> leaves() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "a",
                        "a.b",
                        "entity",
                        "entity.items",
                        "entity.items.qty",
                        "entity.items[0]",
                        "entity.items[qty > 1].sku",
                        "entity.status",
                        "metadata.action",
                        "$",
                        "$$",
                        "*",
                        "**",
                        "entity.`odd key`",
                        "null",
                        "true",
                        "false",
                        "[]",
                        "{}",
                        "$now()",
                        "$random()"),
                Arbitraries.integers().between(-1_000_000, 1_000_000).map(String::valueOf),
                Arbitraries.doubles().between(-1e12, 1e12).ofScale(3).map(String::valueOf),
                Arbitraries.of("1e308", "-1e308", "0.1", "9007199254740993", "1e-320"),
                Arbitraries.strings()
                        .withChars("abc \"'\\\n\t{}[]()$.é€😀")
                        .ofMaxLength(12)
                        .map(JsonataFragments::stringLiteral),
                Arbitraries.of(3, 1_000, 100_000, 600_000, 9_999_999, 20_000_000)
                        .map(n -> "[1.." + n + "]"));
    }

    private static Arbitrary<String> composed(Arbitrary<String> inner) {
        Arbitrary<String> binary = Combinators.combine(
                        inner,
                        Arbitraries.of(
                                "+", "-", "*", "/", "%", "&", "=", "!=", "<", "<=", ">", ">=", "and", "or", "in", "..",
                                "~>", "."),
                        inner)
                .as((l, op, r) -> l + " " + op + " " + r);
        Arbitrary<String> call = Combinators.combine(
                        Arbitraries.of(
                                "$string",
                                "$number",
                                "$count",
                                "$sum",
                                "$max",
                                "$average",
                                "$boolean",
                                "$not",
                                "$exists",
                                "$keys",
                                "$lookup",
                                "$reverse",
                                "$sort",
                                "$distinct",
                                "$uppercase",
                                "$length",
                                "$trim",
                                "$join",
                                "$split",
                                "$substring",
                                "$append",
                                "$merge",
                                "$spread",
                                "$each",
                                "$zip",
                                "$shuffle",
                                "$base64encode",
                                "$formatNumber",
                                "$toMillis",
                                "$eval",
                                "$pad",
                                "$replace",
                                "$match",
                                "$type"),
                        inner.list().ofMaxSize(3))
                .as((f, args) -> f + "(" + String.join(", ", args) + ")");
        Arbitrary<String> higherOrder = Combinators.combine(
                        Arbitraries.of("$map", "$filter", "$single", "$sift"), inner, inner)
                .as((f, list, body) -> f + "(" + list + ", function($v, $i){ " + body + " })");
        Arbitrary<String> reduce = Combinators.combine(inner, inner)
                .as((list, body) -> "$reduce(" + list + ", function($acc, $v){ " + body + " }, [])");
        Arbitrary<String> object = Combinators.combine(inner, inner, inner)
                .as((k, v, w) -> "{\"k\": " + v + ", " + stringLiteral(k) + ": " + w + "}");
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]");
        Arbitrary<String> conditional =
                Combinators.combine(inner, inner, inner).as((c, t, e) -> "(" + c + " ? " + t + " : " + e + ")");
        Arbitrary<String> block = Combinators.combine(inner, inner).as((x, y) -> "($x := " + x + "; " + y + ")");
        Arbitrary<String> filter = Combinators.combine(inner, inner).as((x, p) -> "(" + x + ")[" + p + "]");
        Arbitrary<String> map = Combinators.combine(inner, inner).as((x, m) -> "(" + x + ").(" + m + ")");
        Arbitrary<String> sort = inner.map(x -> "(" + x + ")^(>$)");
        Arbitrary<String> group = Combinators.combine(inner, inner).as((x, v) -> "(" + x + "){$string($): " + v + "}");
        Arbitrary<String> negate = inner.map(x -> "-(" + x + ")");
        return Arbitraries.oneOf(
                binary,
                call,
                higherOrder,
                reduce,
                object,
                array,
                conditional,
                block,
                filter,
                map,
                sort,
                group,
                negate,
                inner.map(x -> "(" + x + ")"));
    }

    /** Shapes that hurt: deep nesting, growth, recursion, long strings. */
    public static Arbitrary<String> hostile() {
        Arbitrary<Integer> depth = Arbitraries.of(10, 50, 150, 199, 200, 201, 400, 1_000, 5_000);
        Arbitrary<Integer> size = Arbitraries.of(10, 1_000, 100_000, 600_000, 10_000_000);
        return Arbitraries.oneOf(
                depth.map(n -> "(".repeat(n) + "1" + ")".repeat(n)),
                depth.map(n -> "[".repeat(n) + "1" + "]".repeat(n)),
                depth.map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
                depth.map(n -> "$not(".repeat(n) + "true" + ")".repeat(n)),
                depth.map(n -> "-".repeat(n) + "1"),
                depth.map(n -> "a" + ".a".repeat(n)),
                depth.map(n -> "1" + "+1".repeat(n)),
                depth.map(n -> "a" + "[0]".repeat(n)),
                depth.map(n -> "function($x){".repeat(n) + "1" + "}".repeat(n)),
                depth.map(n -> "$eval('" + "(".repeat(n) + "1" + ")".repeat(n) + "')"),
                size.map(n -> "[1.." + n + "]"),
                size.map(n -> "{'items': [1.." + n + "].($ * 2)}"),
                size.map(n -> "$count([1.." + n + "])"),
                size.map(n -> "$reverse([1.." + n + "])"),
                size.map(n -> "[1.." + n + "].('0123456789')"),
                size.map(n -> "$pad('', " + n + ", 'x')"),
                size.map(n -> "$join([1.." + n + "].('ab'))"),
                size.map(n -> "$reduce([1.." + n + "], function($acc, $v){ {'a': $acc} }, {})"),
                size.map(n -> "$reduce([1.." + n + "], function($acc, $v){ $append($acc, $v) }, [])"),
                size.map(n -> "$merge([1.." + n + "].{$string($): $})"),
                size.map(n -> "($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(" + n + "))"),
                size.map(n -> "($f := function($n){ $n <= 0 ? [] : [$f($n - 1)] }; $f(" + n + "))"),
                size.map(n -> "($f := function($s){ $length($s) > " + n + " ? $s : $f($s & $s) }; $f('x'))"),
                Arbitraries.just("($f := function($x){ $f($x + 1) }; $f(1))"),
                Arbitraries.just("($f := function($x){ $f($x) + $f($x) }; $f(1))"));
    }

    /** Expressions cut short or spliced with stray tokens: mostly sources that do not compile. */
    public static Arbitrary<String> mangled() {
        Arbitrary<String> cut = Combinators.combine(
                        expressions(), Arbitraries.doubles().between(0, 1))
                .as((source, where) -> source.substring(0, (int) (source.length() * where)));
        Arbitrary<String> noise = Arbitraries.strings()
                .withChars("()[]{}.$'\"`:;,?~>=<!-+*/%&|^@#01ab \\\n")
                .ofMaxLength(40);
        return Arbitraries.oneOf(
                cut, noise, Combinators.combine(expressions(), noise).as((e, n) -> e + n));
    }

    /** {@code text} as a JSONata string literal. */
    private static String stringLiteral(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
