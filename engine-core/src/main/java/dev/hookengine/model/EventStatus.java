package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Outcome of a webhook event (spec: {@code WebhookEvent.status}). Every event ends {@code succeeded}, {@code failed} or {@code skipped}. */
public enum EventStatus {
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    IN_PROGRESS("in_progress"),
    SKIPPED("skipped");

    private final String wireName;

    EventStatus(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The status with this wire name.
     *
     * @throws IllegalArgumentException when no status has it
     */
    public static EventStatus ofWireName(String wireName) {
        for (EventStatus status : values()) {
            if (status.wireName.equals(wireName)) {
                return status;
            }
        }
        throw new IllegalArgumentException("no event status is named " + wireName);
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
