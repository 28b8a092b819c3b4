package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) against a token {@code endpoint} (spec:
 * {@code OAuthConfig}). {@code clientSecret} is a {@link Secret}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OAuthConfig(
        String clientId,
        Secret clientSecret,
        Boolean clientSecretIsEnvVar,
        String endpoint,
        HttpMethod httpMethod,
        List<CustomOAuthParameter> customParameterList) {

    public OAuthConfig {
        customParameterList = Models.listCopy(customParameterList);
    }
}
