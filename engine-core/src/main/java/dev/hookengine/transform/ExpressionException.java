package dev.hookengine.transform;

import dev.hookengine.OutcomeCode;

/**
 * A JSONata expression failed while evaluating: a runtime error, or a bound of
 * {@link ExpressionLimits} was hit. The event it was evaluated for fails with {@link #code()}; the
 * worker and every other event go on.
 */
public class ExpressionException extends RuntimeException {

    private final OutcomeCode code;

    /**
     * @param code {@link OutcomeCode#JSONATA_EVALUATION_ERROR} (the expression raised an error),
     *             {@link OutcomeCode#JSONATA_TIMEOUT} (it ran longer than {@link ExpressionLimits#timeout()})
     *             or {@link OutcomeCode#JSONATA_LIMIT_EXCEEDED} (it nested deeper, or built a longer
     *             string, than {@link ExpressionLimits} allow)
     */
    public ExpressionException(OutcomeCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The outcome the event fails with. */
    public OutcomeCode outcomeCode() {
        return code;
    }

    /** The code the event fails with: one of the {@code JSONATA_*} {@link OutcomeCode}s, as recorded. */
    public String code() {
        return code.code();
    }
}
