package dev.hookengine.internal.delivery;

import dev.hookengine.internal.config.HeaderRules;

/**
 * A request header, or a text that goes into one, is not fit for the wire once its
 * {@code {{ env.NAME }}} references are resolved: a control character (a variable stored before
 * {@link dev.hookengine.internal.config.OrgVariables} refused them, or a token endpoint's answer), or
 * a header name that is no token. Nothing is sent; the delivery fails with
 * {@link dev.hookengine.OutcomeCode#INVALID_HEADER}. The message names the header or field, never the
 * value, which may be a secret.
 */
final class InvalidHeaderException extends RuntimeException {

    private InvalidHeaderException(String message) {
        super(message);
    }

    /**
     * {@code value}, when {@link HeaderRules#isValidValue} lets it be sent.
     *
     * @param what the header or field, as the failure names it
     * @throws InvalidHeaderException when it holds a control character other than tab
     */
    static String requireValidValue(String what, String value) {
        if (!HeaderRules.isValidValue(value)) {
            throw new InvalidHeaderException(what + " has control characters after resolving its variables");
        }
        return value;
    }

    /** {@code name}, when it is a valid header name. */
    static String requireValidName(String name) {
        if (!HeaderRules.isValidName(name)) {
            throw new InvalidHeaderException("a header name is not a valid token (RFC 9110)");
        }
        return name;
    }
}
