package dev.hookengine;

/**
 * Base of the exceptions the engine throws for a request it cannot carry out. Unchecked: each
 * subtype maps to one answer of the REST API, and Java callers handle the ones they expect.
 * Messages never contain secret values.
 */
public class WebhookEngineException extends RuntimeException {

    public WebhookEngineException(String message) {
        super(message);
    }

    public WebhookEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
