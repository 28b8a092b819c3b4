package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An extra parameter of the OAuth token request, in its body, query or headers (spec: {@code CustomOAuthParameter}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomOAuthParameter(ParameterLocation type, String key, String value) {}
