package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Computed state of a webhook config (spec: {@code WebhookConfig.status}): {@code incomplete} when it cannot deliver, {@code inactive} when disabled, else {@code active}. */
public enum ConfigStatus {
    ACTIVE("active"),
    INACTIVE("inactive"),
    INCOMPLETE("incomplete");

    private final String wireName;

    ConfigStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
