package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Error body of every 4xx and 5xx answer (spec: {@code ErrorResp}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResp(String message) {}
