package dev.hookengine.signing;

/** The Standard Webhooks headers and signature prefixes. */
public final class WebhookHeaders {

    /** The message id, stable across retries: receivers dedupe on it. */
    public static final String ID = "webhook-id";
    /** Unix seconds of this attempt. */
    public static final String TIMESTAMP = "webhook-timestamp";
    /** Space-separated {@code version,base64} signatures, {@code v1a} first. */
    public static final String SIGNATURE = "webhook-signature";

    /** Symmetric: HMAC-SHA256 with the config's {@code whsec_} secret. */
    public static final String V1 = "v1";
    /** Asymmetric: Ed25519 with the organization's key. */
    public static final String V1A = "v1a";

    private WebhookHeaders() {}
}
