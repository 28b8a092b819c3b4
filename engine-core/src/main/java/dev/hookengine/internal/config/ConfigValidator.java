package dev.hookengine.internal.config;

import dev.hookengine.ValidationException;
import dev.hookengine.condition.ConditionValidator;
import dev.hookengine.condition.FieldPath;
import dev.hookengine.internal.EnvReferences;
import dev.hookengine.internal.Violations;
import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.AuthType;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.CustomOAuthParameter;
import dev.hookengine.model.Filter;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.MultipartConfig;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.ParameterLocation;
import dev.hookengine.model.PayloadConfiguration;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Secret;
import dev.hookengine.model.SecureProxy;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.WebhookVerifier;
import dev.hookengine.transform.JsonataExpression;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a webhook config as a caller sent it, before anything is stored. Every rule reports the
 * field path in the spec's JSON names, and all problems are reported together.
 *
 * <p>Read-only fields ({@code id}, {@code creationTime}, {@code updatedTime}, {@code status},
 * {@code signingSecret}) are not checked: the engine ignores them on input. A config that is valid
 * but cannot deliver yet (no URL, auth without its secret) is not an error; its status is
 * {@code incomplete}.
 */
public final class ConfigValidator {

    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_CUSTOM_HEADERS = 50;
    public static final int MAX_HEADER_VALUE_LENGTH = 8192;
    public static final int MAX_TRANSFORM_LENGTH = JsonataExpression.MAX_SOURCE_LENGTH;

    /** Why a text that is, or may become, a header is refused: see {@link HeaderRules#isValidValue}. */
    static final String CONTROL_CHARACTERS = "must not contain control characters (tab aside)";

    private static final Pattern EVENT_VERSION = Pattern.compile("^\\d+\\.\\d+$");
    private static final Set<HttpMethod> TOKEN_METHODS =
            EnumSet.of(HttpMethod.POST, HttpMethod.GET, HttpMethod.PUT, HttpMethod.PATCH);

    private ConfigValidator() {}

    /**
     * @throws ValidationException listing every problem of {@code config}
     */
    public static void validate(WebhookConfig config) {
        Violations violations = new Violations();
        if (violations.require("name", config.name())) {
            violations.maxLength("name", config.name(), MAX_NAME_LENGTH);
        }
        if (violations.require("eventName", config.eventName())) {
            violations.maxLength("eventName", config.eventName(), MAX_NAME_LENGTH);
        }
        if (config.eventVersion() != null
                && !EVENT_VERSION.matcher(config.eventVersion()).matches()) {
            violations.add("eventVersion", "must be MAJOR.MINOR, such as 1.0");
        }
        if (config.url() != null) {
            validateUrl("url", config.url(), violations);
        }
        if (config.auth() != null) {
            validateAuth(config.auth(), violations);
        }
        if (config.filter() != null) {
            validateFilter(config.filter(), violations);
        }
        if (config.filterConditions() != null) {
            violations.addAll(ConditionValidator.validate(config.filterConditions(), "filterConditions"));
        }
        if (config.payloadConfiguration() != null) {
            validateHeaders(config.payloadConfiguration(), violations);
        }
        if (config.jsonataExpression() != null && violations.require("jsonataExpression", config.jsonataExpression())) {
            if (config.jsonataExpression().length() > MAX_TRANSFORM_LENGTH) {
                violations.maxLength("jsonataExpression", config.jsonataExpression(), MAX_TRANSFORM_LENGTH);
            } else {
                violations.addAll(ConditionValidator.compileErrors("jsonataExpression", config.jsonataExpression()));
            }
        }
        if (config.retryPolicy() != null) {
            validateRetryPolicy(config.retryPolicy(), violations);
        }
        if (config.secureProxy() != null) {
            validateSecureProxy(config.secureProxy(), violations);
        }
        if (config.multipartConfig() != null) {
            validateMultipart(config.multipartConfig(), violations);
        }
        if (config.manifest() != null) {
            List<String> manifest = config.manifest();
            for (int i = 0; i < manifest.size(); i++) {
                if (!isUuid(manifest.get(i))) {
                    violations.add("_manifest[" + i + "]", "must be a UUID");
                }
            }
        }
        violations.throwIfAny("webhook config");
    }

    /**
     * Checks an absolute http(s) URL that may hold {@code {{ env.NAME }}} references; the references
     * are checked as if they were plain text, since their values are only known at send time.
     */
    static void validateUrl(String path, String url, Violations violations) {
        if (url.length() > MAX_URL_LENGTH) {
            violations.add(path, "must be at most " + MAX_URL_LENGTH + " characters, was " + url.length());
            return;
        }
        String example = "; expected an absolute http or https URL such as https://example.com/hooks";
        if (!HeaderRules.isValidValue(url)) { // java.net.URI lets C1 controls and some others through
            violations.add(path, CONTROL_CHARACTERS);
            return;
        }
        URI uri;
        try {
            uri = new URI(EnvReferences.replaceAll(url, "env"));
        } catch (URISyntaxException e) {
            violations.add(path, "is not a valid URL (" + e.getReason() + ")" + example);
            return;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            violations.add(path, "must use http or https" + example);
        } else if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            violations.add(path, "has no host" + example);
        } else if (uri.getRawUserInfo() != null) {
            violations.add(path, "must not contain credentials; use auth instead");
        }
    }

    private static void validateAuth(Auth auth, Violations violations) {
        AuthType type = auth.authType();
        if (!violations.require("auth.authType", type)) {
            return;
        }
        forbidUnless(auth.basicAuthConfig(), "auth.basicAuthConfig", type, AuthType.BASIC, violations);
        forbidUnless(auth.oauthConfig(), "auth.oauthConfig", type, AuthType.OAUTH_CLIENT_CREDENTIALS, violations);
        forbidUnless(auth.apiKeyConfig(), "auth.apiKeyConfig", type, AuthType.API_KEY, violations);
        if (type == AuthType.BASIC && auth.basicAuthConfig() != null) {
            validateBasic(auth.basicAuthConfig(), violations);
        }
        if (type == AuthType.OAUTH_CLIENT_CREDENTIALS && auth.oauthConfig() != null) {
            validateOAuth(auth.oauthConfig(), violations);
        }
        if (type == AuthType.API_KEY && auth.apiKeyConfig() != null) {
            validateApiKey(auth.apiKeyConfig(), violations);
        }
    }

    private static void forbidUnless(
            Object subConfig, String path, AuthType actual, AuthType owner, Violations violations) {
        if (subConfig != null && actual != owner) {
            violations.add(
                    path,
                    "must only be set when authType is " + owner.wireName() + ", but authType is " + actual.wireName());
        }
    }

    private static void validateBasic(BasicAuthConfig basic, Violations violations) {
        String path = "auth.basicAuthConfig";
        if (violations.require(path + ".username", basic.username())) {
            if (!HeaderRules.isValidValue(basic.username())) {
                violations.add(path + ".username", CONTROL_CHARACTERS);
            } else if (basic.username().indexOf(':') >= 0 && !EnvReferences.isReference(basic.username())) {
                violations.add(path + ".username", "must not contain ':' (RFC 7617)");
            }
        }
        validateSecret(path + ".password", basic.password(), basic.passwordIsEnvVar(), violations);
    }

    private static void validateOAuth(OAuthConfig oauth, Violations violations) {
        String path = "auth.oauthConfig";
        if (violations.require(path + ".clientId", oauth.clientId()) && !HeaderRules.isValidValue(oauth.clientId())) {
            violations.add(path + ".clientId", CONTROL_CHARACTERS);
        }
        validateSecret(path + ".clientSecret", oauth.clientSecret(), oauth.clientSecretIsEnvVar(), violations);
        if (violations.require(path + ".endpoint", oauth.endpoint())) {
            validateUrl(path + ".endpoint", oauth.endpoint(), violations);
        }
        if (violations.require(path + ".httpMethod", oauth.httpMethod())
                && !TOKEN_METHODS.contains(oauth.httpMethod())) {
            violations.add(
                    path + ".httpMethod",
                    "must be one of "
                            + TOKEN_METHODS.stream().map(HttpMethod::wireName).toList() + " for a token request");
        }
        List<CustomOAuthParameter> parameters = oauth.customParameterList();
        if (parameters == null) {
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            String at = path + ".customParameterList[" + i + "]";
            CustomOAuthParameter parameter = parameters.get(i);
            if (parameter == null) {
                violations.add(at, "must not be null");
                continue;
            }
            violations.require(at + ".type", parameter.type());
            // Control characters are refused wherever the parameter goes: a body or query parameter is
            // encoded, but one text rule for every auth field is easier to trust than three.
            if (violations.require(at + ".value", (Object) parameter.value())
                    && !HeaderRules.isValidValue(parameter.value())) {
                violations.add(at + ".value", CONTROL_CHARACTERS);
            }
            if (!violations.require(at + ".key", parameter.key())) {
                continue;
            }
            if (parameter.type() != ParameterLocation.HEADER) {
                if (!HeaderRules.isValidValue(parameter.key())) {
                    violations.add(at + ".key", CONTROL_CHARACTERS);
                }
            } else if (!HeaderRules.isValidName(parameter.key())) {
                violations.add(at + ".key", "is not a valid header name");
            } else if (HeaderRules.isForbidden(parameter.key()) && !"authorization".equalsIgnoreCase(parameter.key())) {
                violations.add(at + ".key", "header " + parameter.key() + " cannot be set");
            }
        }
    }

    private static void validateApiKey(ApiKeyConfig apiKey, Violations violations) {
        String path = "auth.apiKeyConfig";
        if (violations.require(path + ".keyName", apiKey.keyName())) {
            if (!HeaderRules.isValidName(apiKey.keyName())) {
                violations.add(path + ".keyName", "is not a valid header name");
            } else if (!HeaderRules.isAllowedForApiKey(apiKey.keyName())) {
                violations.add(path + ".keyName", "header " + apiKey.keyName() + " cannot carry an API key");
            }
        }
        validateSecret(path + ".keyValue", apiKey.keyValue(), apiKey.keyValueIsEnvVar(), violations);
    }

    /** A set secret is not empty, and is exactly one reference when flagged as one. Never echoes the value. */
    private static void validateSecret(String path, Secret secret, Boolean isEnvVar, Violations violations) {
        if (secret == null || secret.isCleared()) {
            return;
        }
        String value = secret.reveal();
        if (value.isEmpty()) {
            violations.add(path, "must not be empty; send null to clear it");
        } else if (!HeaderRules.isValidValue(value)) {
            violations.add(path, CONTROL_CHARACTERS);
        } else if (Boolean.TRUE.equals(isEnvVar) && !EnvReferences.isReference(value)) {
            violations.add(
                    path,
                    "is marked as an environment variable, so it must be one reference such as {{ env.MY_SECRET }}");
        }
    }

    private static void validateFilter(Filter filter, Violations violations) {
        if (violations.require("filter.keyToFilter", filter.keyToFilter())) {
            try {
                FieldPath.parse(filter.keyToFilter());
            } catch (IllegalArgumentException e) {
                violations.add("filter.keyToFilter", e.getMessage());
            }
        }
        List<String> values = filter.supportedValues();
        if (violations.require("filter.supportedValues", values)) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    violations.add("filter.supportedValues[" + i + "]", "must not be null");
                }
            }
        }
    }

    private static void validateHeaders(PayloadConfiguration payload, Violations violations) {
        Map<String, String> headers = payload.customHeaders();
        if (headers == null) {
            return;
        }
        String path = "payloadConfiguration.custom_headers";
        if (headers.size() > MAX_CUSTOM_HEADERS) {
            violations.add(path, "must have at most " + MAX_CUSTOM_HEADERS + " headers, had " + headers.size());
        }
        headers.forEach((name, value) -> {
            String at = path + "." + name;
            if (!HeaderRules.isValidName(name)) {
                violations.add(at, "is not a valid header name");
            } else if (HeaderRules.isForbidden(name)) {
                violations.add(
                        at, "header " + name + " is set by hookengine or the transport and cannot be customized");
            }
            if (value == null) {
                violations.add(at, "must not be null");
            } else if (!HeaderRules.isValidValue(value)) {
                violations.add(at, CONTROL_CHARACTERS);
            } else {
                violations.maxLength(at, value, MAX_HEADER_VALUE_LENGTH);
            }
        });
    }

    private static void validateRetryPolicy(RetryPolicy policy, Violations violations) {
        violations.require("retryPolicy.enabled", policy.enabled());
        Integer max = policy.maxAttempts();
        if (max != null && (max < RetryPolicy.MIN_ATTEMPTS || max > RetryPolicy.MAX_ATTEMPTS)) {
            violations.add(
                    "retryPolicy.maxAttempts",
                    "must be between " + RetryPolicy.MIN_ATTEMPTS + " and " + RetryPolicy.MAX_ATTEMPTS + ", was "
                            + max);
        }
    }

    private static void validateSecureProxy(SecureProxy proxy, Violations violations) {
        if (violations.require("secureProxy.integration_id", proxy.integrationId()) && !isUuid(proxy.integrationId())) {
            violations.add("secureProxy.integration_id", "must be a UUID");
        }
        violations.require("secureProxy.use_case_slug", proxy.useCaseSlug());
    }

    private static void validateMultipart(MultipartConfig multipart, Violations violations) {
        String path = "multipartConfig";
        // The signed JSON payload travels in a form field of its own name; no other part may take it.
        String payloadField = WebhookVerifier.MULTIPART_PAYLOAD_FIELD;
        if (multipart.fileFieldName() != null
                && violations.require(path + ".fileFieldName", multipart.fileFieldName())
                && multipart.fileFieldName().equals(payloadField)) {
            violations.add(path + ".fileFieldName", "'" + payloadField + "' is the form field of the signed payload");
        }
        if (multipart.fileSource() != null && violations.require(path + ".fileSource", multipart.fileSource())) {
            violations.addAll(ConditionValidator.compileErrors(path + ".fileSource", multipart.fileSource()));
        }
        if (multipart.extraFields() != null) {
            multipart.extraFields().forEach((name, expression) -> {
                if (name.isBlank()) {
                    violations.add(path + ".extraFields", "field names must not be blank");
                } else if (name.equals(payloadField)) {
                    violations.add(
                            path + ".extraFields." + name,
                            "'" + payloadField + "' is the form field of the signed payload");
                } else if (violations.require(path + ".extraFields." + name, expression)) {
                    violations.addAll(ConditionValidator.compileErrors(path + ".extraFields." + name, expression));
                }
            });
        }
    }

    private static boolean isUuid(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
