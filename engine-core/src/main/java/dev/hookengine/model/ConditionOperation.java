package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Comparison of a {@link WebhookCondition} (spec: {@code WebhookCondition.operation}). */
public enum ConditionOperation {
    EQUALS("equals"),
    NOT_EQUALS("not_equals"),
    ANY_OF("any_of"),
    NONE_OF("none_of"),
    CONTAINS("contains"),
    NOT_CONTAINS("not_contains"),
    STARTS_WITH("starts_with"),
    ENDS_WITH("ends_with"),
    GREATER_THAN("greater_than"),
    LESS_THAN("less_than"),
    GREATER_THAN_OR_EQUALS("greater_than_or_equals"),
    LESS_THAN_OR_EQUALS("less_than_or_equals"),
    IS_EMPTY("is_empty"),
    IS_NOT_EMPTY("is_not_empty"),
    LENGTH_EQUALS("length_equals"),
    LENGTH_NOT_EQUALS("length_not_equals"),
    LENGTH_GREATER_THAN("length_greater_than"),
    LENGTH_LESS_THAN("length_less_than"),
    LENGTH_GREATER_THAN_OR_EQUALS("length_greater_than_or_equals"),
    LENGTH_LESS_THAN_OR_EQUALS("length_less_than_or_equals");

    private final String wireName;

    ConditionOperation(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
