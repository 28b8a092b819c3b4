package dev.hookengine.transform;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one evaluation of a JSONata expression, so that a runaway expression fails that one
 * event in bounded time and memory instead of hanging or killing a worker.
 *
 * @param timeout         wall-clock time one evaluation may take
 * @param maxDepth        deepest nesting of evaluation steps (recursion included)
 * @param maxStringLength longest string an evaluation may build, in characters; also caps the width
 *                        of {@code $pad}, which builds its string in one step the other bounds cannot
 *                        interrupt
 */
public record ExpressionLimits(Duration timeout, int maxDepth, int maxStringLength) {

    /** One second, depth 500, one million characters. */
    public static final ExpressionLimits DEFAULT = new ExpressionLimits(Duration.ofSeconds(1), 500, 1_000_000);

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
    }
}
