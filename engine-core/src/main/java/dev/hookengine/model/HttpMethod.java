package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** HTTP method of a webhook request or an OAuth token request (spec: {@code HttpMethod}). */
public enum HttpMethod {
    GET("GET"),
    POST("POST"),
    PUT("PUT"),
    PATCH("PATCH"),
    DELETE("DELETE"),
    OPTIONS("OPTIONS"),
    HEAD("HEAD");

    private final String wireName;

    HttpMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec writes on the wire. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
