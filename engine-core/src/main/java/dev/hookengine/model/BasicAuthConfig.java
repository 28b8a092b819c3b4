package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * HTTP Basic credentials (spec: {@code BasicAuthConfig}). {@code password} is a {@link Secret}: never
 * returned by reads, kept when omitted on update, cleared by {@code null}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BasicAuthConfig(String username, Secret password, Boolean passwordIsEnvVar) {}
