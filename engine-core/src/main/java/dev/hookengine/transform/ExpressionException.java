package dev.hookengine.transform;

/**
 * A JSONata expression failed while evaluating: a runtime error, or a bound of
 * {@link ExpressionLimits} was hit. The event it was evaluated for fails with {@link #code()}; the
 * worker and every other event go on.
 */
public class ExpressionException extends RuntimeException {

    /** The expression raised an error (a type error, an undefined function, ...). */
    public static final String EVALUATION_ERROR = "JSONATA_EVALUATION_ERROR";
    /** The evaluation took longer than {@link ExpressionLimits#timeout()}. */
    public static final String TIMEOUT = "JSONATA_TIMEOUT";
    /** The evaluation nested deeper, or built a longer string, than {@link ExpressionLimits} allow. */
    public static final String LIMIT_EXCEEDED = "JSONATA_LIMIT_EXCEEDED";

    private final String code;

    public ExpressionException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** {@link #EVALUATION_ERROR}, {@link #TIMEOUT} or {@link #LIMIT_EXCEEDED}. */
    public String code() {
        return code;
    }
}
