package dev.hookengine.internal;

import dev.hookengine.FieldError;
import dev.hookengine.ValidationException;
import java.util.ArrayList;
import java.util.List;

/** Collects the {@link FieldError}s of one request, so that all of them are reported at once. */
public final class Violations {

    private final List<FieldError> errors = new ArrayList<>();

    /** Records that {@code path} is wrong. */
    public void add(String path, String message) {
        errors.add(new FieldError(path, message));
    }

    /** Records errors found elsewhere, such as {@link dev.hookengine.condition.ConditionValidator}'s. */
    public void addAll(List<FieldError> found) {
        errors.addAll(found);
    }

    /** Records {@code path} as missing when {@code value} is null or blank; returns whether it was present. */
    public boolean require(String path, String value) {
        if (value == null) {
            add(path, "is required");
            return false;
        }
        if (value.isBlank()) {
            add(path, "must not be blank");
            return false;
        }
        return true;
    }

    /** Records {@code path} as missing when {@code value} is null; returns whether it was present. */
    public boolean require(String path, Object value) {
        if (value == null) {
            add(path, "is required");
            return false;
        }
        return true;
    }

    /** Records {@code path} as too long when {@code value} exceeds {@code max} characters. */
    public void maxLength(String path, String value, int max) {
        if (value != null && value.length() > max) {
            add(path, "must be at most " + max + " characters, was " + value.length());
        }
    }

    /** The errors so far. */
    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Throws a {@link ValidationException} about {@code subject} when anything was recorded. */
    public void throwIfAny(String subject) {
        if (!errors.isEmpty()) {
            throw new ValidationException(subject, errors);
        }
    }
}
