package dev.hookengine.spi;

import java.util.Objects;

/**
 * An {@link AttachmentSource} could not open an attachment; the delivery attempt fails without
 * anything being sent to the receiver, with the outcome code of {@link #problem()}.
 *
 * <p>The message is recorded in the event's {@code http_response.message}: name the attachment (its
 * file name, host or status), never a credential or a signed URL's query.
 */
public final class AttachmentException extends RuntimeException {

    /** What went wrong, and so whether a later attempt may mend it. */
    public enum Problem {
        /**
         * The bytes could not be had now (the file server failed, timed out, answered an error status, or
         * the attachment names no place to fetch it from). {@code ATTACHMENT_UNAVAILABLE}; retried per
         * the config's {@code retryPolicy} when {@code retryable}.
         */
        UNAVAILABLE,
        /** The attachment is larger than the engine's cap. {@code ATTACHMENT_TOO_LARGE}; never retried. */
        TOO_LARGE
    }

    private final Problem problem;
    private final boolean retryable;

    /**
     * @param retryable whether a later attempt may succeed; ignored (false) for {@link Problem#TOO_LARGE}
     */
    public AttachmentException(Problem problem, boolean retryable, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.retryable = retryable && problem != Problem.TOO_LARGE;
    }

    public Problem problem() {
        return problem;
    }

    public boolean retryable() {
        return retryable;
    }
}
