package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Result of an OAuth token exchange run on its own (spec: {@code TestOAuthResponse}). Never carries
 * the token itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestOAuthResponse(
        Boolean success,
        @JsonProperty("expires_in") Long expiresIn,
        @JsonProperty("token_type") String tokenType,
        String message) {}
