package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How hookengine authenticates to the receiver (spec: {@code AuthType}). */
public enum AuthType {
    BASIC("BASIC"),
    OAUTH_CLIENT_CREDENTIALS("OAUTH_CLIENT_CREDENTIALS"),
    API_KEY("API_KEY"),
    NONE("NONE");

    private final String wireName;

    AuthType(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
