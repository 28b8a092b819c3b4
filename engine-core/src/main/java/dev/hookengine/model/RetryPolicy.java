package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Automatic retries of transient failures (spec: {@code WebhookConfig.retryPolicy}). {@code maxAttempts}
 * counts retries after the first attempt, {@value #MIN_ATTEMPTS} to {@value #MAX_ATTEMPTS}, default
 * {@value #DEFAULT_MAX_ATTEMPTS}. A config created without a policy gets {@link #DEFAULT}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetryPolicy(Boolean enabled, Integer maxAttempts) {

    public static final int MIN_ATTEMPTS = 1;
    public static final int MAX_ATTEMPTS = 5;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** What a newly created config gets when it names no policy: enabled, 3 retries. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(true, DEFAULT_MAX_ATTEMPTS);
}
