package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How many attachments a multipart delivery accepts (spec: {@code WebhookConfig.multipartConfig.fileFieldStrategy}). */
public enum FileFieldStrategy {
    SINGLE("single"),
    MULTI("multi");

    private final String wireName;

    FileFieldStrategy(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
