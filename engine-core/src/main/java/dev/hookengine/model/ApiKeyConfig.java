package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API key sent as header {@code keyName} with value {@code keyValue} (spec: {@code ApiKeyConfig}).
 * {@code keyValue} is a {@link Secret}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyConfig(String keyName, Secret keyValue, Boolean keyValueIsEnvVar) {}
