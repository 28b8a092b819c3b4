package dev.hookengine;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The request is invalid (REST: 400). Carries every {@link FieldError} found, not just the first,
 * so that a caller can fix them all at once. Nothing was changed.
 */
public class ValidationException extends WebhookEngineException {

    private final List<FieldError> errors;

    public ValidationException(String subject, List<FieldError> errors) {
        super(message(subject, errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** A single error. */
    public ValidationException(String subject, FieldError error) {
        this(subject, List.of(error));
    }

    /** Every error found, in the order of the request's fields. */
    public List<FieldError> errors() {
        return errors;
    }

    private static String message(String subject, List<FieldError> errors) {
        return "Invalid " + subject + ": "
                + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
}
