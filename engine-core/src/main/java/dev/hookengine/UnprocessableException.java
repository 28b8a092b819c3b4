package dev.hookengine;

/**
 * The request is well-formed but cannot be carried out on the data as it is (REST: 422): for
 * example, a replay that re-applies the transform to an event whose original payload is gone.
 * Nothing was changed.
 */
public class UnprocessableException extends WebhookEngineException {

    public UnprocessableException(String message) {
        super(message);
    }
}
