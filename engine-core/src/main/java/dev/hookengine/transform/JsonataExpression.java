package dev.hookengine.transform;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.OutcomeCode;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * A JSONata expression, compiled once and shared by any number of threads; each evaluation runs
 * under {@link ExpressionLimits}.
 *
 * <p>Bounds are enforced from inside the evaluator: every evaluation step checks the deadline and
 * the nesting depth, every step's result is checked against the string limit, and {@code $pad},
 * which builds its whole string in one step, is replaced by a version that refuses widths over the
 * limit and builds its string in linear time (JSONata's own takes quadratic time: 17 s for a width of
 * 100,000, which no timeout could interrupt). Every step's result is also checked against {@link ExpressionLimits#maxCollectionItems()}, so
 * that {@code [1..9999999]} fails at once rather than after building ten million items (JSONata's own
 * range operator refuses sequences over ten million items). Converting a result to JSON counts its
 * size as it goes and stops at {@link ExpressionLimits#maxResultBytes()}, or at a result nested deeper
 * than {@value JsonataValues#MAX_RESULT_NESTING} levels (which {@code $reduce} can build without deep
 * evaluation); its time is linear in what it converted. A bound that is hit fails the evaluation with
 * an {@link ExpressionException}; it never stops the calling thread.
 *
 * <p>What compiles is bounded too, before the parser runs: at most {@value #MAX_SOURCE_LENGTH}
 * characters, nested at most {@value #MAX_NESTING_DEPTH} levels deep as {@link ExpressionNesting}
 * counts them (brackets, and the operators of one chain). JSONata's parser recurses once per level,
 * and overflows a thread's stack a few hundred levels down; the bound leaves room below that on a
 * 512 KiB stack, and the evaluator's own {@link ExpressionLimits#maxDepth()} would refuse much deeper
 * expressions anyway. A {@link StackOverflowError} in the parser is still caught and reported as an
 * expression that does not compile, on a thread with an unusually small stack. The length bound is
 * 16 KiB, not more, because JSONata's tokenizer takes quadratic time in the length of a string
 * literal and of the source (a 64 KiB source took 2 to 15 s to compile here, at every save and
 * example); at 16 KiB the worst case stays well under a second, and the spec's 15,000 characters for
 * a condition's {@code jsonata_expression} fit.
 */
public final class JsonataExpression {

    /** The longest source {@link #compile} accepts: 16 KiB of characters. */
    public static final int MAX_SOURCE_LENGTH = 16_384;

    /** The deepest nesting {@link #compile} accepts, as {@link ExpressionNesting} estimates it. */
    public static final int MAX_NESTING_DEPTH = 200;

    private final String source;
    private final Jsonata compiled;

    private JsonataExpression(String source, Jsonata compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    /**
     * Compiles {@code source}.
     *
     * @throws IllegalArgumentException with the parser's message and position when it does not compile,
     *                                  or when it is longer than {@value #MAX_SOURCE_LENGTH} characters or
     *                                  nests deeper than {@value #MAX_NESTING_DEPTH} levels
     */
    public static JsonataExpression compile(String source) {
        Objects.requireNonNull(source, "source");
        if (source.length() > MAX_SOURCE_LENGTH) {
            throw new IllegalArgumentException("JSONata does not compile: it is " + source.length()
                    + " characters long, over the limit of " + MAX_SOURCE_LENGTH);
        }
        int depth = ExpressionNesting.depth(source);
        if (depth > MAX_NESTING_DEPTH) {
            throw new IllegalArgumentException("JSONata does not compile: it nests " + depth
                    + " levels deep (brackets, and the operators of one chain), over the limit of "
                    + MAX_NESTING_DEPTH);
        }
        try {
            return new JsonataExpression(source, Jsonata.jsonata(source));
        } catch (JException e) {
            throw new IllegalArgumentException(
                    "JSONata does not compile: " + e.getMessage() + " (at position " + e.getLocation() + ")", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("JSONata does not compile: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // No cause: the overflow's trace is a thousand identical lines that say nothing more.
            throw new IllegalArgumentException("JSONata does not compile: it nests too deeply for the parser");
        }
    }

    /** The expression as written. */
    public String source() {
        return source;
    }

    /**
     * Evaluates on {@code payload}.
     *
     * @return the result as JSON, or {@code null} when the result is undefined (or JSON {@code null})
     * @throws ExpressionException when evaluation fails or hits a bound, the size of the result included
     */
    public JsonNode evaluate(PayloadView payload, ExpressionLimits limits) {
        Object result = run(payload.javaForm(), limits);
        if (result == null || result == Jsonata.NULL_VALUE) {
            return null;
        }
        try {
            return JsonataValues.toJson(result, limits.maxResultBytes());
        } catch (JsonataValues.ResultTooLarge e) {
            throw new ExpressionException(OutcomeCode.JSONATA_LIMIT_EXCEEDED, e.getMessage(), null);
        }
    }

    /**
     * Whether the result on {@code payload} is truthy by JSONata's {@code $boolean}; undefined is false.
     *
     * @throws ExpressionException when evaluation fails or hits a bound
     */
    public boolean test(PayloadView payload, ExpressionLimits limits) {
        Object result = run(payload.javaForm(), limits);
        return result != null && result != Jsonata.NULL_VALUE && Jsonata.boolize(result);
    }

    private Object run(Object input, ExpressionLimits limits) {
        Bounds bounds = new Bounds(limits);
        Jsonata.Frame frame = compiled.createFrame();
        frame.setEvaluateEntryCallback((expression, value, environment) -> bounds.enter(environment));
        frame.setEvaluateExitCallback((expression, value, environment, result) -> bounds.exit(environment, result));
        frame.bind(
                "pad", Jsonata.function("pad", (Jsonata.Fn3<String, Number, String, String>) bounds::pad, "<s-ns?:s>"));
        try {
            return compiled.evaluate(input, frame);
        } catch (RuntimeException | StackOverflowError e) {
            throw classify(e, bounds.exceeded);
        }
    }

    private static ExpressionException classify(Throwable failure, BoundExceeded recorded) {
        if (recorded != null) { // a bound was hit, even if a function such as $eval re-threw it without a cause
            return new ExpressionException(recorded.code, recorded.getMessage(), null);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BoundExceeded exceeded) {
                return new ExpressionException(exceeded.code, exceeded.getMessage(), null);
            }
        }
        if (failure instanceof StackOverflowError) {
            return new ExpressionException(
                    OutcomeCode.JSONATA_LIMIT_EXCEEDED, "evaluation nested too deeply for the thread's stack", null);
        }
        String message = failure.getMessage() != null
                ? failure.getMessage()
                : failure.getClass().getSimpleName();
        return new ExpressionException(
                OutcomeCode.JSONATA_EVALUATION_ERROR, "JSONata evaluation failed: " + message, failure);
    }

    /** The state of one evaluation's bounds. Confined to the evaluating thread. */
    private static final class Bounds {
        private final ExpressionLimits limits;
        private final long deadline;
        private int depth;
        private BoundExceeded exceeded;

        Bounds(ExpressionLimits limits) {
            this.limits = limits;
            this.deadline = System.nanoTime() + limits.timeout().toNanos();
        }

        void enter(Jsonata.Frame environment) {
            checkTime();
            if (environment.isParallelCall) {
                return;
            }
            if (++depth > limits.maxDepth()) {
                throw exceeded(
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED,
                        "evaluation nested deeper than " + limits.maxDepth() + " steps");
            }
        }

        void exit(Jsonata.Frame environment, Object result) {
            if (!environment.isParallelCall) {
                depth--;
            }
            if (result instanceof String text && text.length() > limits.maxStringLength()) {
                throw exceeded(
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED,
                        "evaluation built a string of " + text.length() + " characters, over the limit of "
                                + limits.maxStringLength());
            }
            int items = result instanceof Collection<?> collection
                    ? collection.size()
                    : result instanceof Map<?, ?> map ? map.size() : 0;
            if (items > limits.maxCollectionItems()) {
                throw exceeded(
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED,
                        "evaluation built a sequence or object of " + items + " items, over the limit of "
                                + limits.maxCollectionItems() + " (half of maxResultBytes "
                                + limits.maxResultBytes() + ")");
            }
            checkTime();
        }

        String pad(String text, Number width, String padding) {
            if (width != null && Math.abs(width.doubleValue()) > limits.maxStringLength()) {
                throw exceeded(
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED,
                        "$pad width " + width + " is over the string limit of " + limits.maxStringLength());
            }
            return padded(text, width, padding);
        }

        private void checkTime() {
            if (System.nanoTime() - deadline > 0) {
                throw exceeded(
                        OutcomeCode.JSONATA_TIMEOUT,
                        "evaluation took longer than " + limits.timeout().toMillis() + " ms");
            }
        }

        private BoundExceeded exceeded(OutcomeCode code, String message) {
            if (exceeded == null) {
                exceeded = new BoundExceeded(code, message);
            }
            return exceeded;
        }
    }

    /**
     * JSONata's {@code $pad}, in time linear in its result: {@code text} with {@code padding} (a space
     * when absent or empty) repeated, and cut, after it (a positive {@code width}) or before it (a
     * negative one) until it is {@code |width|} characters long, counted as code points.
     */
    static String padded(String text, Number width, String padding) {
        if (text == null) {
            return null;
        }
        int target = width.intValue();
        int missing = Math.abs(target) - text.codePointCount(0, text.length());
        if (missing <= 0) {
            return text;
        }
        int[] fill = (padding == null || padding.isEmpty() ? " " : padding)
                .codePoints()
                .toArray();
        StringBuilder pad = new StringBuilder(missing);
        for (int i = 0; i < missing; i++) {
            pad.appendCodePoint(fill[i % fill.length]);
        }
        return target > 0 ? text + pad : pad + text;
    }

    /** Thrown from inside the evaluator to abandon an evaluation; never escapes this class. */
    private static final class BoundExceeded extends RuntimeException {
        private final OutcomeCode code;

        BoundExceeded(OutcomeCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
