package dev.hookengine.internal.config;

import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.WebhookConfig;

/**
 * Computes a config's {@code status}: {@code incomplete} when it cannot deliver (no URL, or auth
 * without a field it needs), else {@code inactive} when disabled, else {@code active}.
 */
public final class ConfigStatuses {

    private ConfigStatuses() {}

    /** The status of a config as stored (secrets present). */
    public static ConfigStatus of(WebhookConfig config) {
        if (config.url() == null || config.url().isBlank() || !authComplete(config.auth())) {
            return ConfigStatus.INCOMPLETE;
        }
        return Boolean.FALSE.equals(config.enabled()) ? ConfigStatus.INACTIVE : ConfigStatus.ACTIVE;
    }

    private static boolean authComplete(Auth auth) {
        if (auth == null || auth.authType() == null) {
            return true;
        }
        return switch (auth.authType()) {
            case NONE -> true;
            case BASIC -> {
                BasicAuthConfig basic = auth.basicAuthConfig();
                yield basic != null && basic.username() != null && basic.password() != null;
            }
            case API_KEY -> {
                ApiKeyConfig apiKey = auth.apiKeyConfig();
                yield apiKey != null && apiKey.keyName() != null && apiKey.keyValue() != null;
            }
            case OAUTH_CLIENT_CREDENTIALS -> {
                OAuthConfig oauth = auth.oauthConfig();
                yield oauth != null
                        && oauth.clientId() != null
                        && oauth.clientSecret() != null
                        && oauth.endpoint() != null
                        && oauth.httpMethod() != null;
            }
        };
    }
}
