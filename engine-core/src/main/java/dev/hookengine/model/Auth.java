package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How hookengine authenticates to the receiver (spec: {@code Auth}). Only the sub-config that
 * matches {@code authType} may be set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Auth(
        AuthType authType, BasicAuthConfig basicAuthConfig, OAuthConfig oauthConfig, ApiKeyConfig apiKeyConfig) {

    /** No authentication. */
    public static Auth none() {
        return new Auth(AuthType.NONE, null, null, null);
    }

    /** HTTP Basic. */
    public static Auth basic(BasicAuthConfig config) {
        return new Auth(AuthType.BASIC, config, null, null);
    }

    /** An API key header. */
    public static Auth apiKey(ApiKeyConfig config) {
        return new Auth(AuthType.API_KEY, null, null, config);
    }

    /** OAuth 2.0 client credentials. */
    public static Auth oauth(OAuthConfig config) {
        return new Auth(AuthType.OAUTH_CLIENT_CREDENTIALS, null, config, null);
    }
}
