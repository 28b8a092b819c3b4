package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How both sides of a condition are coerced before comparing (spec: {@code WebhookCondition.field_type}). */
public enum FieldType {
    STRING("string"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    DATE("date"),
    DATETIME("datetime");

    private final String wireName;

    FieldType(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
