package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Parameters of an example payload (spec: {@code ExampleRequest}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExampleRequest(@JsonProperty("automation_id") String automationId) {}
