package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Routes deliveries through a secure proxy chosen by the {@code SecureProxyRouter} SPI (spec:
 * {@code WebhookConfig.secureProxy}). Takes precedence over {@code enableStaticIP}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecureProxy(
        @JsonProperty("integration_id") String integrationId,
        @JsonProperty("use_case_slug") String useCaseSlug) {}
