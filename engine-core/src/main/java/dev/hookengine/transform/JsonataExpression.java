package dev.hookengine.transform;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.OutcomeCode;
import java.util.Objects;

/**
 * A JSONata expression, compiled once and shared by any number of threads; each evaluation runs
 * under {@link ExpressionLimits}.
 *
 * <p>Bounds are enforced from inside the evaluator: every evaluation step checks the deadline and
 * the nesting depth, every step's result is checked against the string limit, and {@code $pad},
 * which builds its whole string in one step, is replaced by a version that refuses widths over the
 * limit. JSONata's own range operator refuses sequences over ten million items. Converting a result
 * to JSON happens after the bounds, in time linear in the result's size. A bound that
 * is hit fails the evaluation with an {@link ExpressionException}; it never stops the calling thread.
 */
public final class JsonataExpression {

    private final String source;
    private final Jsonata compiled;

    private JsonataExpression(String source, Jsonata compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    /**
     * Compiles {@code source}.
     *
     * @throws IllegalArgumentException with the parser's message and position when it does not compile
     */
    public static JsonataExpression compile(String source) {
        Objects.requireNonNull(source, "source");
        try {
            return new JsonataExpression(source, Jsonata.jsonata(source));
        } catch (JException e) {
            throw new IllegalArgumentException(
                    "JSONata does not compile: " + e.getMessage() + " (at position " + e.getLocation() + ")", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("JSONata does not compile: " + e.getMessage(), e);
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
     * @throws ExpressionException when evaluation fails or hits a bound
     */
    public JsonNode evaluate(PayloadView payload, ExpressionLimits limits) {
        Object result = run(payload.javaForm(), limits);
        return result == null || result == Jsonata.NULL_VALUE ? null : JsonataValues.toJson(result);
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
            checkTime();
        }

        String pad(String text, Number width, String padding) {
            if (width != null && Math.abs(width.doubleValue()) > limits.maxStringLength()) {
                throw exceeded(
                        OutcomeCode.JSONATA_LIMIT_EXCEEDED,
                        "$pad width " + width + " is over the string limit of " + limits.maxStringLength());
            }
            return Functions.pad(text, width, padding);
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

    /** Thrown from inside the evaluator to abandon an evaluation; never escapes this class. */
    private static final class BoundExceeded extends RuntimeException {
        private final OutcomeCode code;

        BoundExceeded(OutcomeCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
