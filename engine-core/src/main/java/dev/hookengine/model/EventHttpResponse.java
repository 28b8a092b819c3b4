package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Outcome of a delivery attempt as the event records it (spec: {@code WebhookEvent.http_response}).
 * {@code status_code} is absent for engine-internal failures; {@code code} classifies the outcome
 * ({@code OAuthTokenExchangeError}, {@code INTERNAL_RESPONSE_TOO_LARGE}, {@code INTERNAL_ERROR}, ...).
 * A JSON response is kept as {@code body}, other text as {@code message}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventHttpResponse(
        @JsonProperty("status_code") Integer statusCode, String message, JsonNode body, String code) {}
