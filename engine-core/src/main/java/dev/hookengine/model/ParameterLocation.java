package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a custom OAuth parameter goes in the token request (spec: {@code CustomOAuthParameter.type}). */
public enum ParameterLocation {
    BODY("body"),
    QUERY("query"),
    HEADER("header");

    private final String wireName;

    ParameterLocation(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
