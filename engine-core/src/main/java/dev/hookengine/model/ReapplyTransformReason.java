package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an event can or cannot be replayed with its transform re-applied (spec: {@code WebhookEvent.can_reapply_transform_reason}). */
public enum ReapplyTransformReason {
    AVAILABLE("available"),
    NO_TRANSFORM_CONFIGURED("no_transform_configured"),
    NO_ORIGINAL_SOURCE("no_original_source");

    private final String wireName;

    ReapplyTransformReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
