package dev.hookengine.internal;

import dev.hookengine.FieldError;
import dev.hookengine.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the {@link FieldError}s of one request, so that all of them are reported at once.
 *
 * <p>Also the one place of the rule for <b>identifier text</b> ({@link #identifier}): organization ids,
 * config ids, event ids, event names, cursors and variable names that the engine's API accepts must
 * not contain a C0 control character (U+0000 to U+001F), DEL (U+007F) or an unpaired surrogate. The
 * engine checks it at its edge, the public methods of {@link dev.hookengine.WebhookEngine}, so that it
 * holds for the REST server and for embedders alike, and the same for every store: such values are
 * kept in plain text columns (PostgreSQL refuses a NUL byte in any text, and writes an unpaired
 * surrogate as {@code ?}), compared, logged and put in URLs and headers, where a control character
 * is at best invisible and at worst an injection. No id the engine makes, and no sane name, contains
 * one. Text the engine keeps as JSON (config fields, payloads) is escaped by the JSON writer and may
 * hold any character.
 */
public final class Violations {

    /** Said of a value with a C0 control character or DEL. */
    public static final String CONTROL_CHARACTERS = "must not contain control characters";
    /** Said of a value with a high or low surrogate that is not half of a pair. */
    public static final String UNPAIRED_SURROGATES = "must not contain unpaired surrogates";

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

    /**
     * Records {@code path} as wrong when {@code value} breaks the rule for identifier text (see the
     * class comment); {@code null} passes, whether it may be missing is for the caller to say.
     *
     * @return this, so that the arguments of one call read as one sentence
     */
    public Violations identifier(String path, String value) {
        String wrong = identifierProblem(value);
        if (wrong != null) {
            add(path, wrong);
        }
        return this;
    }

    /** Whether {@code value} keeps the rule for identifier text; {@code null} does. */
    public static boolean isIdentifierText(String value) {
        return identifierProblem(value) == null;
    }

    /** What is wrong with {@code value} as identifier text, or {@code null} when nothing is. */
    private static String identifierProblem(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return CONTROL_CHARACTERS;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++; // a pair: one supplementary character, which is fine
                } else {
                    return UNPAIRED_SURROGATES;
                }
            } else if (Character.isLowSurrogate(c)) {
                return UNPAIRED_SURROGATES;
            }
        }
        return null;
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
