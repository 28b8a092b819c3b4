package dev.hookengine.transform;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one evaluation of a JSONata expression, so that a runaway expression fails that one
 * event in bounded time and memory instead of hanging or killing a worker.
 *
 * <p>What an expression may be when it is compiled (its length and nesting) is bounded apart, once,
 * by {@link JsonataExpression#compile}: those bounds protect the parser, not an evaluation.
 *
 * @param timeout         wall-clock time one evaluation may take
 * @param maxDepth        deepest nesting of evaluation steps (recursion included)
 * @param maxStringLength longest string an evaluation may build, in characters; also caps the width
 *                        of {@code $pad}, which builds its string in one step the other bounds cannot
 *                        interrupt
 * @param maxResultBytes  largest result, as the bytes of its compact JSON text in UTF-8; also bounds
 *                        every step on the way, which may yield no array,
 *                        sequence or object of more than {@link #maxCollectionItems()} items, since
 *                        one that long could never fit in a result, and would take memory and time
 *                        to build
 */
public record ExpressionLimits(Duration timeout, int maxDepth, int maxStringLength, int maxResultBytes) {

    /** One MiB, the size of the largest request body the REST server accepts. */
    public static final int DEFAULT_MAX_RESULT_BYTES = 1_048_576;

    /** One second, depth 500, one million characters, results up to one MiB. */
    public static final ExpressionLimits DEFAULT =
            new ExpressionLimits(Duration.ofSeconds(1), 500, 1_000_000, DEFAULT_MAX_RESULT_BYTES);

    public ExpressionLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1: " + maxDepth);
        }
        if (maxStringLength < 1) {
            throw new IllegalArgumentException("maxStringLength must be at least 1: " + maxStringLength);
        }
        if (maxResultBytes < 2) {
            throw new IllegalArgumentException("maxResultBytes must be at least 2: " + maxResultBytes);
        }
    }

    /** These bounds with results up to {@link #DEFAULT_MAX_RESULT_BYTES}. */
    public ExpressionLimits(Duration timeout, int maxDepth, int maxStringLength) {
        this(timeout, maxDepth, maxStringLength, DEFAULT_MAX_RESULT_BYTES);
    }

    /**
     * The most items one step may yield in an array, a sequence or an object: half of
     * {@link #maxResultBytes}, since the shortest JSON of {@code n} items ({@code [0,0,...]}) takes
     * {@code 2n + 1} bytes.
     */
    public int maxCollectionItems() {
        return maxResultBytes / 2;
    }
}
