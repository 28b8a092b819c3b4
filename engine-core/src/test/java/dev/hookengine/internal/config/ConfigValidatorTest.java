package dev.hookengine.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hookengine.FieldError;
import dev.hookengine.ValidationException;
import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.AuthType;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.CustomOAuthParameter;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.Filter;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.LogicalOperator;
import dev.hookengine.model.MultipartConfig;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.ParameterLocation;
import dev.hookengine.model.PayloadConfiguration;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Secret;
import dev.hookengine.model.SecureProxy;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.model.WebhookConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per validation rule: each breaks one thing in an otherwise valid config and asserts that
 * the error names exactly that field path.
 */
class ConfigValidatorTest {

    private static final String SECRET = "s3cr3t-value";

    /** A config that uses most features and is valid. */
    static WebhookConfig valid() {
        return WebhookConfig.builder()
                .name("CRM sync")
                .eventName("customer_request_created")
                .eventVersion("1.0")
                .url("https://crm.example.com/hooks/{{ env.TENANT }}")
                .httpMethod(HttpMethod.POST)
                .enabled(true)
                .auth(Auth.basic(new BasicAuthConfig("user", Secret.of(SECRET), null)))
                .filter(new Filter("entity.status", List.of("open", "closed")))
                .filterConditions(new WebhookConditionGroup(
                        List.of(
                                WebhookCondition.of("entity.amount", ConditionOperation.GREATER_THAN, "10"),
                                WebhookCondition.jsonata("entity.status = 'open'")),
                        LogicalOperator.AND))
                .payloadConfiguration(
                        new PayloadConfiguration(true, true, null, null, null, Map.of("X-Tenant", "acme")))
                .retryPolicy(new RetryPolicy(true, 5))
                .secureProxy(new SecureProxy("123e4567-e89b-12d3-a456-426614174000", "erp"))
                .multipartConfig(new MultipartConfig("file", null, "event_attachments", Map.of("kind", "'invoice'")))
                .manifest(List.of("123e4567-e89b-12d3-a456-426614174000"))
                .jsonataExpression("{ 'id': entity._id }")
                .build();
    }

    @Test
    void aValidConfigPasses() {
        assertThatCode(() -> ConfigValidator.validate(valid())).doesNotThrowAnyException();
        assertThatCode(() -> ConfigValidator.validate(
                        WebhookConfig.builder().name("n").eventName("e").build()))
                .as("a minimal config: name and eventName are all the spec requires")
                .doesNotThrowAnyException();
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("name is required", c -> c.name(null), "name", "is required"),
                rule("name not blank", c -> c.name("  "), "name", "blank"),
                rule("name length", c -> c.name("n".repeat(256)), "name", "at most 255"),
                rule("eventName is required", c -> c.eventName(null), "eventName", "is required"),
                rule("eventName length", c -> c.eventName("e".repeat(256)), "eventName", "at most 255"),
                rule("eventVersion MAJOR.MINOR", c -> c.eventVersion("1"), "eventVersion", "MAJOR.MINOR"),
                rule("url scheme", c -> c.url("ftp://example.com/x"), "url", "http or https"),
                rule("url syntax", c -> c.url("https://exa mple.com"), "url", "not a valid URL"),
                rule("url relative", c -> c.url("/hooks"), "url", "http or https"),
                rule("url host", c -> c.url("https:///path"), "url", "no host"),
                rule("url credentials", c -> c.url("https://u:p@example.com/"), "url", "credentials"),
                rule("url length", c -> c.url("https://example.com/" + "a".repeat(2048)), "url", "at most 2048"),
                rule(
                        "authType is required",
                        c -> c.auth(new Auth(null, null, null, null)),
                        "auth.authType",
                        "is required"),
                rule(
                        "basic config only for BASIC",
                        c -> c.auth(new Auth(AuthType.NONE, new BasicAuthConfig("u", null, null), null, null)),
                        "auth.basicAuthConfig",
                        "BASIC"),
                rule(
                        "oauth config only for OAUTH",
                        c -> c.auth(new Auth(AuthType.BASIC, new BasicAuthConfig("u", null, null), oauth(), null)),
                        "auth.oauthConfig",
                        "OAUTH_CLIENT_CREDENTIALS"),
                rule(
                        "api key config only for API_KEY",
                        c -> c.auth(new Auth(
                                AuthType.BASIC,
                                new BasicAuthConfig("u", null, null),
                                null,
                                new ApiKeyConfig("X-Key", null, null))),
                        "auth.apiKeyConfig",
                        "API_KEY"),
                rule(
                        "basic username is required",
                        c -> c.auth(Auth.basic(new BasicAuthConfig(null, null, null))),
                        "auth.basicAuthConfig.username",
                        "is required"),
                rule(
                        "basic username has no colon",
                        c -> c.auth(Auth.basic(new BasicAuthConfig("a:b", null, null))),
                        "auth.basicAuthConfig.username",
                        "':'"),
                rule(
                        "password not empty",
                        c -> c.auth(Auth.basic(new BasicAuthConfig("u", Secret.of(""), null))),
                        "auth.basicAuthConfig.password",
                        "send null to clear"),
                rule(
                        "password env var is a reference",
                        c -> c.auth(Auth.basic(new BasicAuthConfig("u", Secret.of(SECRET), true))),
                        "auth.basicAuthConfig.password",
                        "{{ env."),
                rule(
                        "password without control characters",
                        c -> c.auth(Auth.basic(new BasicAuthConfig("u", Secret.of("a\r\nb"), null))),
                        "auth.basicAuthConfig.password",
                        "control"),
                rule(
                        "oauth clientId is required",
                        c -> c.auth(Auth.oauth(new OAuthConfig(
                                null,
                                Secret.of(SECRET),
                                null,
                                "https://idp.example.com/token",
                                HttpMethod.POST,
                                null))),
                        "auth.oauthConfig.clientId",
                        "is required"),
                rule(
                        "oauth endpoint is required",
                        c -> c.auth(Auth.oauth(new OAuthConfig("id", null, null, null, HttpMethod.POST, null))),
                        "auth.oauthConfig.endpoint",
                        "is required"),
                rule(
                        "oauth endpoint is a URL",
                        c -> c.auth(Auth.oauth(
                                new OAuthConfig("id", null, null, "idp.example.com/token", HttpMethod.POST, null))),
                        "auth.oauthConfig.endpoint",
                        "http or https"),
                rule(
                        "oauth httpMethod is required",
                        c -> c.auth(Auth.oauth(
                                new OAuthConfig("id", null, null, "https://idp.example.com/token", null, null))),
                        "auth.oauthConfig.httpMethod",
                        "is required"),
                rule(
                        "oauth httpMethod can carry a token request",
                        c -> c.auth(Auth.oauth(new OAuthConfig(
                                "id", null, null, "https://idp.example.com/token", HttpMethod.HEAD, null))),
                        "auth.oauthConfig.httpMethod",
                        "token request"),
                rule(
                        "oauth client secret env var is a reference",
                        c -> c.auth(Auth.oauth(new OAuthConfig(
                                "id",
                                Secret.of(SECRET),
                                true,
                                "https://idp.example.com/token",
                                HttpMethod.POST,
                                null))),
                        "auth.oauthConfig.clientSecret",
                        "{{ env."),
                rule(
                        "oauth parameter type is required",
                        c -> c.auth(oauthWith(new CustomOAuthParameter(null, "aud", "x"))),
                        "auth.oauthConfig.customParameterList[1].type",
                        "is required"),
                rule(
                        "oauth parameter key is required",
                        c -> c.auth(oauthWith(new CustomOAuthParameter(ParameterLocation.BODY, null, "x"))),
                        "auth.oauthConfig.customParameterList[1].key",
                        "is required"),
                rule(
                        "oauth parameter value is required",
                        c -> c.auth(oauthWith(new CustomOAuthParameter(ParameterLocation.QUERY, "k", null))),
                        "auth.oauthConfig.customParameterList[1].value",
                        "is required"),
                rule(
                        "oauth header parameter name is a token",
                        c -> c.auth(oauthWith(new CustomOAuthParameter(ParameterLocation.HEADER, "a b", "x"))),
                        "auth.oauthConfig.customParameterList[1].key",
                        "not a valid header name"),
                rule(
                        "oauth header parameter not forbidden",
                        c -> c.auth(oauthWith(new CustomOAuthParameter(ParameterLocation.HEADER, "Host", "x"))),
                        "auth.oauthConfig.customParameterList[1].key",
                        "cannot be set"),
                rule(
                        "oauth header parameter value",
                        c -> c.auth(oauthWith(new CustomOAuthParameter(ParameterLocation.HEADER, "X-A", "a\nb"))),
                        "auth.oauthConfig.customParameterList[1].value",
                        "control"),
                rule(
                        "oauth parameter not null",
                        c -> c.auth(oauthWith(null)),
                        "auth.oauthConfig.customParameterList[1]",
                        "must not be null"),
                rule(
                        "api key name is required",
                        c -> c.auth(Auth.apiKey(new ApiKeyConfig(null, Secret.of(SECRET), null))),
                        "auth.apiKeyConfig.keyName",
                        "is required"),
                rule(
                        "api key name is a header name",
                        c -> c.auth(Auth.apiKey(new ApiKeyConfig("X Key", Secret.of(SECRET), null))),
                        "auth.apiKeyConfig.keyName",
                        "not a valid header name"),
                rule(
                        "api key name not a framing header",
                        c -> c.auth(Auth.apiKey(new ApiKeyConfig("Content-Length", Secret.of(SECRET), null))),
                        "auth.apiKeyConfig.keyName",
                        "cannot carry"),
                rule(
                        "api key value not empty",
                        c -> c.auth(Auth.apiKey(new ApiKeyConfig("X-Key", Secret.of(""), null))),
                        "auth.apiKeyConfig.keyValue",
                        "send null to clear"),
                rule(
                        "api key env var is a reference",
                        c -> c.auth(Auth.apiKey(new ApiKeyConfig("X-Key", Secret.of(SECRET), true))),
                        "auth.apiKeyConfig.keyValue",
                        "{{ env."),
                rule(
                        "filter key is required",
                        c -> c.filter(new Filter(null, List.of("a"))),
                        "filter.keyToFilter",
                        "is required"),
                rule(
                        "filter values are required",
                        c -> c.filter(new Filter("k", null)),
                        "filter.supportedValues",
                        "is required"),
                rule(
                        "filter values not null",
                        c -> c.filter(new Filter("k", Arrays.asList("a", null))),
                        "filter.supportedValues[1]",
                        "must not be null"),
                rule(
                        "at most 10 conditions",
                        c -> c.filterConditions(
                                group(Collections.nCopies(11, WebhookCondition.of("a", ConditionOperation.IS_EMPTY)))),
                        "filterConditions.conditions",
                        "at most 10"),
                rule(
                        "condition not null",
                        c -> c.filterConditions(
                                group(Arrays.asList(WebhookCondition.of("a", ConditionOperation.IS_EMPTY), null))),
                        "filterConditions.conditions[1]",
                        "must not be null"),
                rule(
                        "condition is field or jsonata, not both",
                        c -> c.filterConditions(group(List.of(new WebhookCondition(
                                "a", ConditionOperation.EQUALS, List.of("1"), null, null, null, "true")))),
                        "filterConditions.conditions[0]",
                        "both"),
                rule(
                        "condition is field or jsonata, not neither",
                        c -> c.filterConditions(group(
                                List.of(new WebhookCondition(null, null, null, FieldType.NUMBER, null, null, null)))),
                        "filterConditions.conditions[0]",
                        "either"),
                rule(
                        "condition field is required with operation",
                        c -> c.filterConditions(group(List.of(new WebhookCondition(
                                null, ConditionOperation.EQUALS, List.of("1"), null, null, null, null)))),
                        "filterConditions.conditions[0].field",
                        "is required"),
                rule(
                        "condition field is a path",
                        c -> c.filterConditions(
                                group(List.of(WebhookCondition.of("entity..status", ConditionOperation.EQUALS, "1")))),
                        "filterConditions.conditions[0].field",
                        "empty step"),
                rule(
                        "condition field index is numeric",
                        c -> c.filterConditions(
                                group(List.of(WebhookCondition.of("items[x].id", ConditionOperation.EQUALS, "1")))),
                        "filterConditions.conditions[0].field",
                        "not a non-negative integer"),
                rule(
                        "condition operation is required with field",
                        c -> c.filterConditions(
                                group(List.of(new WebhookCondition("a", null, List.of("1"), null, null, null, null)))),
                        "filterConditions.conditions[0].operation",
                        "is required"),
                rule(
                        "single-value operation needs a value",
                        c -> c.filterConditions(group(List.of(WebhookCondition.of("a", ConditionOperation.EQUALS)))),
                        "filterConditions.conditions[0].values",
                        "exactly 1"),
                rule(
                        "single-value operation takes one value",
                        c -> c.filterConditions(
                                group(List.of(WebhookCondition.of("a", ConditionOperation.STARTS_WITH, "x", "y")))),
                        "filterConditions.conditions[0].values",
                        "exactly 1"),
                rule(
                        "is_empty takes no values",
                        c -> c.filterConditions(
                                group(List.of(WebhookCondition.of("a", ConditionOperation.IS_EMPTY, "x")))),
                        "filterConditions.conditions[0].values",
                        "no values"),
                rule(
                        "any_of needs values",
                        c -> c.filterConditions(group(List.of(WebhookCondition.of("a", ConditionOperation.ANY_OF)))),
                        "filterConditions.conditions[0].values",
                        "at least 1"),
                rule(
                        "condition value not null",
                        c -> c.filterConditions(group(List.of(new WebhookCondition(
                                "a", ConditionOperation.ANY_OF, Arrays.asList("x", null), null, null, null, null)))),
                        "filterConditions.conditions[0].values[1]",
                        "must not be null"),
                rule(
                        "number values parse",
                        c -> c.filterConditions(group(List.of(
                                WebhookCondition.of("a", ConditionOperation.EQUALS, "1"),
                                        WebhookCondition.of("a", ConditionOperation.EQUALS, "1"),
                                WebhookCondition.of("a", ConditionOperation.EQUALS, "1"),
                                        typed("a", ConditionOperation.ANY_OF, FieldType.NUMBER, "12", "twelve")))),
                        "filterConditions.conditions[3].values[1]",
                        "not a number"),
                rule(
                        "boolean values parse",
                        c -> c.filterConditions(
                                group(List.of(typed("a", ConditionOperation.EQUALS, FieldType.BOOLEAN, "yes")))),
                        "filterConditions.conditions[0].values[0]",
                        "true or false"),
                rule(
                        "date values parse",
                        c -> c.filterConditions(
                                group(List.of(typed("a", ConditionOperation.LESS_THAN, FieldType.DATE, "31.10.2025")))),
                        "filterConditions.conditions[0].values[0]",
                        "ISO date"),
                rule(
                        "datetime values parse with offset",
                        c -> c.filterConditions(group(List.of(typed(
                                "a", ConditionOperation.GREATER_THAN, FieldType.DATETIME, "2025-10-31T12:00:00")))),
                        "filterConditions.conditions[0].values[0]",
                        "offset"),
                rule(
                        "length value is a non-negative integer",
                        c -> c.filterConditions(group(
                                List.of(WebhookCondition.of("items", ConditionOperation.LENGTH_GREATER_THAN, "-1")))),
                        "filterConditions.conditions[0].values[0]",
                        "non-negative integer"),
                rule(
                        "ordering not defined on booleans",
                        c -> c.filterConditions(
                                group(List.of(typed("a", ConditionOperation.GREATER_THAN, FieldType.BOOLEAN, "true")))),
                        "filterConditions.conditions[0].field_type",
                        "not defined"),
                rule(
                        "starts_with only on strings",
                        c -> c.filterConditions(
                                group(List.of(typed("a", ConditionOperation.STARTS_WITH, FieldType.NUMBER, "1")))),
                        "filterConditions.conditions[0].field_type",
                        "not defined"),
                rule(
                        "jsonata condition not blank",
                        c -> c.filterConditions(group(List.of(WebhookCondition.jsonata(" ")))),
                        "filterConditions.conditions[0].jsonata_expression",
                        "blank"),
                rule(
                        "jsonata condition length",
                        c -> c.filterConditions(group(List.of(WebhookCondition.jsonata("a".repeat(15_001))))),
                        "filterConditions.conditions[0].jsonata_expression",
                        "at most 15000"),
                rule(
                        "custom header name is a token",
                        c -> c.payloadConfiguration(headers(Map.of("X Bad", "v"))),
                        "payloadConfiguration.custom_headers.X Bad",
                        "not a valid header name"),
                rule(
                        "custom header not forbidden",
                        c -> c.payloadConfiguration(headers(Map.of("Transfer-Encoding", "chunked"))),
                        "payloadConfiguration.custom_headers.Transfer-Encoding",
                        "cannot be customized"),
                rule(
                        "custom header not a signature header",
                        c -> c.payloadConfiguration(headers(Map.of("webhook-signature", "v1,x"))),
                        "payloadConfiguration.custom_headers.webhook-signature",
                        "cannot be customized"),
                rule(
                        "custom header not a proxy header",
                        c -> c.payloadConfiguration(headers(Map.of("X-Forwarded-For", "1.2.3.4"))),
                        "payloadConfiguration.custom_headers.X-Forwarded-For",
                        "cannot be customized"),
                rule(
                        "custom header value",
                        c -> c.payloadConfiguration(headers(Map.of("X-A", "a\r\nInjected: 1"))),
                        "payloadConfiguration.custom_headers.X-A",
                        "control"),
                rule(
                        "custom header value not null",
                        c -> c.payloadConfiguration(headers(nullValued("X-A"))),
                        "payloadConfiguration.custom_headers.X-A",
                        "must not be null"),
                rule(
                        "custom header value length",
                        c -> c.payloadConfiguration(headers(Map.of("X-A", "v".repeat(8193)))),
                        "payloadConfiguration.custom_headers.X-A",
                        "at most 8192"),
                rule(
                        "at most 50 custom headers",
                        c -> c.payloadConfiguration(headers(manyHeaders(51))),
                        "payloadConfiguration.custom_headers",
                        "at most 50"),
                rule("transform not blank", c -> c.jsonataExpression(""), "jsonataExpression", "blank"),
                rule(
                        "transform compiles",
                        c -> c.jsonataExpression("{ 'id': entity._id "),
                        "jsonataExpression",
                        "does not compile"),
                rule(
                        "jsonata condition compiles",
                        c -> c.filterConditions(group(List.of(WebhookCondition.jsonata("entity.total >")))),
                        "filterConditions.conditions[0].jsonata_expression",
                        "does not compile"),
                rule(
                        "multipart file source compiles",
                        c -> c.multipartConfig(new MultipartConfig(null, null, "event_attachments[", null)),
                        "multipartConfig.fileSource",
                        "does not compile"),
                rule(
                        "multipart extra field compiles",
                        c -> c.multipartConfig(new MultipartConfig(null, null, null, Map.of("kind", "'invoice"))),
                        "multipartConfig.extraFields.kind",
                        "does not compile"),
                rule(
                        "the signed payload's form field is no extra field",
                        c -> c.multipartConfig(new MultipartConfig(null, null, null, Map.of("payload", "'x'"))),
                        "multipartConfig.extraFields.payload",
                        "signed payload"),
                rule(
                        "the signed payload's form field is no file field",
                        c -> c.multipartConfig(new MultipartConfig("payload", null, null, null)),
                        "multipartConfig.fileFieldName",
                        "signed payload"),
                rule(
                        "filter key is a path",
                        c -> c.filter(new Filter("entity..id", List.of("a"))),
                        "filter.keyToFilter",
                        "empty step"),
                rule(
                        "transform length",
                        c -> c.jsonataExpression("a".repeat(16_385)),
                        "jsonataExpression",
                        "at most 16384"),
                rule(
                        "retry enabled is required",
                        c -> c.retryPolicy(new RetryPolicy(null, 3)),
                        "retryPolicy.enabled",
                        "is required"),
                rule(
                        "retry attempts at least 1",
                        c -> c.retryPolicy(new RetryPolicy(true, 0)),
                        "retryPolicy.maxAttempts",
                        "between 1 and 5"),
                rule(
                        "retry attempts at most 5",
                        c -> c.retryPolicy(new RetryPolicy(true, 6)),
                        "retryPolicy.maxAttempts",
                        "between 1 and 5"),
                rule(
                        "secure proxy integration is required",
                        c -> c.secureProxy(new SecureProxy(null, "erp")),
                        "secureProxy.integration_id",
                        "is required"),
                rule(
                        "secure proxy integration is a UUID",
                        c -> c.secureProxy(new SecureProxy("erp-1", "erp")),
                        "secureProxy.integration_id",
                        "UUID"),
                rule(
                        "secure proxy use case is required",
                        c -> c.secureProxy(new SecureProxy("123e4567-e89b-12d3-a456-426614174000", null)),
                        "secureProxy.use_case_slug",
                        "is required"),
                rule(
                        "multipart file field not blank",
                        c -> c.multipartConfig(new MultipartConfig(" ", null, null, null)),
                        "multipartConfig.fileFieldName",
                        "blank"),
                rule(
                        "multipart file source not blank",
                        c -> c.multipartConfig(new MultipartConfig(null, null, "", null)),
                        "multipartConfig.fileSource",
                        "blank"),
                rule(
                        "multipart extra field expression",
                        c -> c.multipartConfig(new MultipartConfig(null, null, null, Map.of("kind", " "))),
                        "multipartConfig.extraFields.kind",
                        "blank"),
                rule(
                        "manifest items are UUIDs",
                        c -> c.manifest(List.of("123e4567-e89b-12d3-a456-426614174000", "m-2")),
                        "_manifest[1]",
                        "UUID"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleNamesItsField(String rule, WebhookConfig config, String path, String messagePart) {
        ValidationException failure =
                catchThrowableOfType(ValidationException.class, () -> ConfigValidator.validate(config));

        assertThat(failure).as(rule).isNotNull();
        assertThat(failure.errors()).as(rule).extracting(FieldError::path).containsExactly(path);
        assertThat(failure.errors().get(0).message()).as(rule).contains(messagePart);
        assertThat(failure.getMessage()).contains(path).doesNotContain(SECRET);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        WebhookConfig config = valid().toBuilder()
                .name(null)
                .url("ftp://x")
                .retryPolicy(new RetryPolicy(true, 9))
                .build();

        ValidationException failure =
                catchThrowableOfType(ValidationException.class, () -> ConfigValidator.validate(config));

        assertThat(failure.errors())
                .extracting(FieldError::path)
                .containsExactly("name", "url", "retryPolicy.maxAttempts");
        assertThat(failure.getMessage()).startsWith("Invalid webhook config: name: is required; url: ");
    }

    @Test
    void secretsAreNeverEchoedInErrors() {
        WebhookConfig config = valid().toBuilder()
                .auth(Auth.apiKey(new ApiKeyConfig("X-Key", Secret.of(SECRET + "\n"), true)))
                .build();

        ValidationException failure =
                catchThrowableOfType(ValidationException.class, () -> ConfigValidator.validate(config));

        assertThat(failure.errors()).extracting(FieldError::path).containsExactly("auth.apiKeyConfig.keyValue");
        assertThat(failure.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void envReferencesAreAcceptedWhereSecretsAreFlaggedAsVariables() {
        WebhookConfig config = valid().toBuilder()
                .auth(Auth.apiKey(new ApiKeyConfig("Authorization", Secret.of("{{ env.CRM_TOKEN }}"), true)))
                .build();

        assertThatCode(() -> ConfigValidator.validate(config)).doesNotThrowAnyException();
    }

    /** A field that is, or may become, part of a request header, and a config with {@code text} in it. */
    private record HeaderField(String path, java.util.function.Function<String, WebhookConfig> withText) {
        @Override
        public String toString() {
            return path;
        }
    }

    static List<HeaderField> headerFields() {
        return List.of(
                new HeaderField(
                        "url",
                        t -> valid().toBuilder()
                                .url("https://crm.example.com/a" + t)
                                .build()),
                new HeaderField(
                        "payloadConfiguration.custom_headers.X-Tenant",
                        t -> valid().toBuilder()
                                .payloadConfiguration(new PayloadConfiguration(
                                        null, null, null, null, null, Map.of("X-Tenant", "a" + t)))
                                .build()),
                new HeaderField(
                        "auth.basicAuthConfig.username",
                        t -> valid().toBuilder()
                                .auth(Auth.basic(new BasicAuthConfig("user" + t, Secret.of(SECRET), null)))
                                .build()),
                new HeaderField(
                        "auth.basicAuthConfig.password",
                        t -> valid().toBuilder()
                                .auth(Auth.basic(new BasicAuthConfig("user", Secret.of(SECRET + t), null)))
                                .build()),
                new HeaderField(
                        "auth.apiKeyConfig.keyName",
                        t -> valid().toBuilder()
                                .auth(Auth.apiKey(new ApiKeyConfig("X-Key" + t, Secret.of(SECRET), null)))
                                .build()),
                new HeaderField(
                        "auth.apiKeyConfig.keyValue",
                        t -> valid().toBuilder()
                                .auth(Auth.apiKey(new ApiKeyConfig("X-Key", Secret.of(SECRET + t), null)))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.clientId",
                        t -> valid().toBuilder()
                                .auth(Auth.oauth(new OAuthConfig(
                                        "id" + t,
                                        Secret.of(SECRET),
                                        null,
                                        "https://idp.example.com/token",
                                        HttpMethod.POST,
                                        null)))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.clientSecret",
                        t -> valid().toBuilder()
                                .auth(Auth.oauth(new OAuthConfig(
                                        "id",
                                        Secret.of(SECRET + t),
                                        null,
                                        "https://idp.example.com/token",
                                        HttpMethod.POST,
                                        null)))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.endpoint",
                        t -> valid().toBuilder()
                                .auth(Auth.oauth(new OAuthConfig(
                                        "id",
                                        Secret.of(SECRET),
                                        null,
                                        "https://idp.example.com/tok" + t,
                                        HttpMethod.POST,
                                        null)))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.customParameterList[1].key",
                        t -> valid().toBuilder()
                                .auth(oauthWith(
                                        new CustomOAuthParameter(ParameterLocation.HEADER, "X-Partner" + t, "p")))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.customParameterList[1].value",
                        t -> valid().toBuilder()
                                .auth(oauthWith(
                                        new CustomOAuthParameter(ParameterLocation.HEADER, "X-Partner", "p" + t)))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.customParameterList[1].key",
                        t -> valid().toBuilder()
                                .auth(oauthWith(new CustomOAuthParameter(ParameterLocation.BODY, "audience" + t, "p")))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.customParameterList[1].value",
                        t -> valid().toBuilder()
                                .auth(oauthWith(new CustomOAuthParameter(ParameterLocation.BODY, "audience", "p" + t)))
                                .build()),
                new HeaderField(
                        "auth.oauthConfig.customParameterList[1].value",
                        t -> valid().toBuilder()
                                .auth(oauthWith(new CustomOAuthParameter(ParameterLocation.QUERY, "tenant", "p" + t)))
                                .build()));
    }

    static Stream<Arguments> controlCharactersInHeaderFields() {
        List<String> controls = List.of("\r\nX-Injected: yes", "\n", "\r", "\u0000", "\u001b", "\u007f", "\u0085");
        return headerFields().stream()
                .flatMap(field -> controls.stream()
                        .map(control -> Arguments.of(
                                field,
                                control.chars()
                                        .mapToObj(c -> String.format("U+%04X", c))
                                        .toList()
                                        .toString(),
                                control)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("controlCharactersInHeaderFields")
    void controlCharactersAreRefusedInEveryFieldThatCanReachAHeader(HeaderField field, String shown, String control) {
        ValidationException failure = catchThrowableOfType(
                ValidationException.class,
                () -> ConfigValidator.validate(field.withText().apply(control)));

        assertThat(failure).as("refused").isNotNull();
        assertThat(failure.errors()).extracting(FieldError::path).containsExactly(field.path());
        assertThat(failure.getMessage()).doesNotContain(SECRET).doesNotContain("X-Injected");
    }

    @Test
    void aTabIsAllowedInHeaderValuesAndAuthFields() {
        for (HeaderField field : headerFields()) {
            if (field.path().endsWith("keyName")
                    || field.path().endsWith("key")
                    || field.path().equals("url")
                    || field.path().endsWith("endpoint")) {
                continue; // names and URLs have no tab in them at all
            }
            assertThatCode(() -> ConfigValidator.validate(field.withText().apply("\tx")))
                    .as(field.path())
                    .doesNotThrowAnyException();
        }
    }

    private static Arguments rule(
            String name, UnaryOperator<WebhookConfig.Builder> change, String path, String messagePart) {
        return Arguments.of(name, change.apply(valid().toBuilder()).build(), path, messagePart);
    }

    private static OAuthConfig oauth() {
        return new OAuthConfig("id", Secret.of(SECRET), null, "https://idp.example.com/token", HttpMethod.POST, null);
    }

    private static Auth oauthWith(CustomOAuthParameter parameter) {
        List<CustomOAuthParameter> parameters = new ArrayList<>();
        parameters.add(new CustomOAuthParameter(ParameterLocation.BODY, "audience", "crm"));
        parameters.add(parameter);
        return Auth.oauth(new OAuthConfig(
                "id",
                Secret.of(SECRET),
                null,
                "https://idp.example.com/token",
                HttpMethod.POST,
                Collections.unmodifiableList(parameters)));
    }

    private static WebhookConditionGroup group(List<WebhookCondition> conditions) {
        return new WebhookConditionGroup(conditions, null);
    }

    private static WebhookCondition typed(
            String field, ConditionOperation operation, FieldType type, String... values) {
        return new WebhookCondition(field, operation, List.of(values), type, null, null, null);
    }

    private static PayloadConfiguration headers(Map<String, String> headers) {
        return new PayloadConfiguration(null, null, null, null, null, headers);
    }

    private static Map<String, String> nullValued(String name) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(name, null);
        return headers;
    }

    private static Map<String, String> manyHeaders(int count) {
        Map<String, String> headers = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> headers.put("X-H" + i, "v"));
        return headers;
    }
}
