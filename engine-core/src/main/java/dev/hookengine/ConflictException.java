package dev.hookengine;

/**
 * The request is valid but clashes with the current state: a protected config changed without the
 * caller stating that intent, a config changed by someone else between read and write, or an
 * idempotency key used for a different event within its window (REST: 409).
 * Nothing was changed.
 */
public class ConflictException extends WebhookEngineException {

    public ConflictException(String message) {
        super(message);
    }
}
