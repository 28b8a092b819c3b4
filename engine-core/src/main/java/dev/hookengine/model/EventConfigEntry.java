package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An event that can trigger webhooks (spec: {@code EventConfigEntry}; a list of them is the spec's
 * {@code EventConfigResp}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventConfigEntry(String eventName, String eventLabel) {}
