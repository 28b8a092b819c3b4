package dev.hookengine;

import java.util.Objects;

/**
 * One thing wrong with a request, at one place in it.
 *
 * @param path    where, in the spec's JSON names: {@code name}, {@code auth.basicAuthConfig.username},
 *                {@code filterConditions.conditions[3].values[0]}
 * @param message what is wrong, without the offending value when that value may be a secret
 */
public record FieldError(String path, String message) {
    public FieldError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
