package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the conditions of a group combine (spec: {@code WebhookConditionGroup.logical_operator}). */
public enum LogicalOperator {
    AND("AND"),
    OR("OR");

    private final String wireName;

    LogicalOperator(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
