package dev.hookengine.internal.config;

import dev.hookengine.internal.EnvReferences;
import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.AuthType;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;

/**
 * The rules for secret values in configs: what a read may show, and how an update treats a secret
 * it does not mention.
 *
 * <ul>
 *   <li>Reads never show a secret value (passwords, client secrets, API key values, the signing
 *       secret). A value that is a {@code {{ env.NAME }}} reference is not a secret and reads back as
 *       written.</li>
 *   <li>On update, an omitted secret keeps its stored value, {@code null} clears it, a string sets it;
 *       a secret is only kept while the auth type it belongs to stays the same, so a Basic password
 *       never turns into an API key.</li>
 * </ul>
 */
public final class ConfigSecrets {

    private ConfigSecrets() {}

    /** {@code config} as a read shows it: every secret value removed, references kept. */
    public static WebhookConfig redact(WebhookConfig config) {
        Auth auth = config.auth();
        if (auth != null) {
            auth = new Auth(
                    auth.authType(),
                    auth.basicAuthConfig() == null
                            ? null
                            : new BasicAuthConfig(
                                    auth.basicAuthConfig().username(),
                                    visible(auth.basicAuthConfig().password()),
                                    auth.basicAuthConfig().passwordIsEnvVar()),
                    auth.oauthConfig() == null
                            ? null
                            : withClientSecret(
                                    auth.oauthConfig(),
                                    visible(auth.oauthConfig().clientSecret()),
                                    auth.oauthConfig().clientSecretIsEnvVar()),
                    auth.apiKeyConfig() == null
                            ? null
                            : new ApiKeyConfig(
                                    auth.apiKeyConfig().keyName(),
                                    visible(auth.apiKeyConfig().keyValue()),
                                    auth.apiKeyConfig().keyValueIsEnvVar()));
        }
        return config.toBuilder().auth(auth).signingSecret(null).build();
    }

    /** {@code auth} as first stored: a {@code null} (clear) secret means no secret. */
    public static Auth forCreate(Auth auth) {
        return merge(auth, null);
    }

    /**
     * The auth to store when an update sends {@code incoming} over {@code existing}: omitted secrets
     * kept from {@code existing} if it had the same auth type, cleared ones removed.
     */
    public static Auth merge(Auth incoming, Auth existing) {
        if (incoming == null) {
            return null;
        }
        boolean sameType = existing != null && existing.authType() == incoming.authType();
        BasicAuthConfig basic = incoming.basicAuthConfig();
        if (basic != null && incoming.authType() == AuthType.BASIC) {
            BasicAuthConfig old = sameType ? existing.basicAuthConfig() : null;
            boolean kept = basic.password() == null && old != null && old.password() != null;
            basic = new BasicAuthConfig(
                    basic.username(),
                    kept ? old.password() : stored(basic.password()),
                    kept && basic.passwordIsEnvVar() == null ? old.passwordIsEnvVar() : basic.passwordIsEnvVar());
        }
        OAuthConfig oauth = incoming.oauthConfig();
        if (oauth != null && incoming.authType() == AuthType.OAUTH_CLIENT_CREDENTIALS) {
            OAuthConfig old = sameType ? existing.oauthConfig() : null;
            boolean kept = oauth.clientSecret() == null && old != null && old.clientSecret() != null;
            oauth = withClientSecret(
                    oauth,
                    kept ? old.clientSecret() : stored(oauth.clientSecret()),
                    kept && oauth.clientSecretIsEnvVar() == null
                            ? old.clientSecretIsEnvVar()
                            : oauth.clientSecretIsEnvVar());
        }
        ApiKeyConfig apiKey = incoming.apiKeyConfig();
        if (apiKey != null && incoming.authType() == AuthType.API_KEY) {
            ApiKeyConfig old = sameType ? existing.apiKeyConfig() : null;
            boolean kept = apiKey.keyValue() == null && old != null && old.keyValue() != null;
            apiKey = new ApiKeyConfig(
                    apiKey.keyName(),
                    kept ? old.keyValue() : stored(apiKey.keyValue()),
                    kept && apiKey.keyValueIsEnvVar() == null ? old.keyValueIsEnvVar() : apiKey.keyValueIsEnvVar());
        }
        return new Auth(incoming.authType(), basic, oauth, apiKey);
    }

    private static OAuthConfig withClientSecret(OAuthConfig oauth, Secret clientSecret, Boolean isEnvVar) {
        return new OAuthConfig(
                oauth.clientId(),
                clientSecret,
                isEnvVar,
                oauth.endpoint(),
                oauth.httpMethod(),
                oauth.customParameterList());
    }

    /** A secret as a store keeps it: a value, or nothing. */
    private static Secret stored(Secret secret) {
        return secret == null || secret.isCleared() ? null : secret;
    }

    /** A secret as a read shows it: only a reference, which is not secret. */
    private static Secret visible(Secret secret) {
        return secret != null && !secret.isCleared() && EnvReferences.isReference(secret.reveal()) ? secret : null;
    }
}
