package dev.hookengine.signing;

/** A webhook message failed verification; the message says which check failed, never a key. */
public class WebhookVerificationException extends RuntimeException {

    public WebhookVerificationException(String message) {
        super(message);
    }
}
