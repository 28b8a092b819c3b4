package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How file data is delivered (spec: {@code WebhookConfig.deliveryMode}). */
public enum DeliveryMode {
    JSON_BASE64("json_base64"),
    BINARY_MULTIPART("binary_multipart");

    private final String wireName;

    DeliveryMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
