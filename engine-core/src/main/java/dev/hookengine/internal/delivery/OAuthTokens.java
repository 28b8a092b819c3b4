package dev.hookengine.internal.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.FieldError;
import dev.hookengine.OutcomeCode;
import dev.hookengine.ValidationException;
import dev.hookengine.internal.Json;
import dev.hookengine.internal.config.HeaderRules;
import dev.hookengine.model.AuthType;
import dev.hookengine.model.CustomOAuthParameter;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.ParameterLocation;
import dev.hookengine.model.TestOAuthResponse;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.spi.VariableStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for configs with {@code OAUTH_CLIENT_CREDENTIALS}:
 * the token request, and a cache that reuses a token until shortly before it expires.
 *
 * <p>The request goes to {@code endpoint} with the config's {@code httpMethod}, form-encoded
 * {@code grant_type=client_credentials}, {@code client_id} and {@code client_secret} in the body (in
 * the query for GET), plus each {@code customParameterList} entry in the body, query or headers. It
 * goes through the same transport as deliveries, so the SSRF guard applies. A token is reused until
 * {@code expires_in} minus a tenth of it (at most 30 s) has passed; without {@code expires_in}, for
 * {@value #DEFAULT_TOKEN_SECONDS} s. A 401 from the receiver drops the token so that the next request
 * fetches a fresh one. A failed token request is an attempt that ends with
 * {@link dev.hookengine.OutcomeCode#OAUTH_TOKEN_EXCHANGE_ERROR}: retried per the config's
 * {@code retryPolicy} when the endpoint timed out, could not be reached or answered 408, 429 (its
 * {@code Retry-After} honoured) or 5xx, as a receiver's answer would be; failed at once otherwise. A header of the token request that
 * holds a control character once resolved is never sent ({@link InvalidHeaderException}: the delivery
 * fails with {@link dev.hookengine.OutcomeCode#INVALID_HEADER}), and a token with one is refused as a
 * failed exchange, since it would go into the {@code Authorization} header.
 *
 * <p>{@link #test} runs the token request alone, for the {@code testOAuth} operation.
 */
public final class OAuthTokens {

    static final long DEFAULT_TOKEN_SECONDS = 300;
    /** Cached tokens before expired ones are swept out. */
    static final int MAX_CACHED_TOKENS = 10_000;

    private final HttpTransport transport;
    private final Clock clock;
    private final Duration deadline;
    private final EgressRoutes routes;
    private final Map<String, Token> cache = new ConcurrentHashMap<>();

    public OAuthTokens(HttpTransport transport, Clock clock, Duration deadline, EgressRoutes routes) {
        this.transport = transport;
        this.clock = clock;
        this.deadline = deadline;
        this.routes = routes;
    }

    /** A token from the token endpoint. Its {@code toString} never shows the token. */
    record Token(String accessToken, String tokenType, Long expiresIn, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[type=" + tokenType + ", expiresIn=" + expiresIn + "]";
        }
    }

    /**
     * The token request failed; the message says why without any credential. A retryable one (the
     * endpoint timed out, could not be reached, or answered 408, 429 or 5xx) may succeed on a later
     * attempt; any other (a 4xx, an answer without a token, a bad endpoint URL) will not.
     */
    static final class ExchangeException extends RuntimeException {
        private final boolean retryable;
        private final transient Optional<Duration> retryAfter;

        /** A failure no later attempt would mend. */
        ExchangeException(String message) {
            this(message, false, Optional.empty());
        }

        private ExchangeException(String message, boolean retryable, Optional<Duration> retryAfter) {
            super(message);
            this.retryable = retryable;
            this.retryAfter = retryAfter;
        }

        static ExchangeException retryable(String message, Optional<Duration> retryAfter) {
            return new ExchangeException(message, true, retryAfter);
        }

        /** What the delivery's attempt counts as: {@code OAuthTokenExchangeError}, retried when it may mend. */
        Outcome outcome() {
            return retryable
                    ? Outcome.retryableFailure(getMessage(), OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR, retryAfter)
                    : Outcome.failed(null, getMessage(), OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR);
        }
    }

    /** A cached token for the config, or a fresh one fetched through {@code proxy} ({@code null}: directly). */
    Token token(String cacheKey, OAuthConfig config, EnvResolver env, ProxyAddress proxy) {
        Instant now = clock.instant();
        Token cached = cache.get(cacheKey);
        if (cached != null && now.isBefore(cached.expiresAt())) {
            return cached;
        }
        Token fresh = exchange(config, env, proxy);
        if (cache.size() >= MAX_CACHED_TOKENS) {
            // Keys include the config revision, so edited configs leave old entries behind: sweep them.
            cache.values().removeIf(token -> !now.isBefore(token.expiresAt()));
        }
        cache.put(cacheKey, fresh);
        return fresh;
    }

    /**
     * {@code testOAuth}: the token request of {@code stored}, uncached, its variables resolved from
     * {@code variables}; never sends the webhook, never returns the token.
     *
     * @throws ValidationException when the config does not use OAuth client credentials
     */
    public TestOAuthResponse test(VariableStore variables, StoredConfig stored) {
        WebhookConfig config = stored.config();
        if (config.auth() == null
                || config.auth().authType() != AuthType.OAUTH_CLIENT_CREDENTIALS
                || config.auth().oauthConfig() == null) {
            throw new ValidationException(
                    "OAuth test",
                    new FieldError(
                            "auth.authType",
                            "webhook config '" + stored.id() + "' does not use OAUTH_CLIENT_CREDENTIALS"));
        }
        try {
            Token token = exchange(
                    config.auth().oauthConfig(),
                    new EnvResolver(variables, stored.orgId()),
                    routes.proxyFor(stored.orgId(), config));
            return new TestOAuthResponse(true, token.expiresIn(), token.tokenType(), "OAuth token exchange successful");
        } catch (ExchangeException
                | EnvResolver.MissingVariableException
                | InvalidHeaderException
                | EgressRoutes.UnavailableRoute e) {
            return new TestOAuthResponse(false, null, null, e.getMessage());
        }
    }

    /** Forgets the cached token, after a receiver refused it. */
    void invalidate(String cacheKey) {
        cache.remove(cacheKey);
    }

    /** Runs the token request, uncached, through {@code proxy} ({@code null}: directly). */
    Token exchange(OAuthConfig config, EnvResolver env, ProxyAddress proxy) {
        String clientSecret = config.clientSecret() == null
                ? null
                : env.resolve(config.clientSecret().reveal());
        List<String> form = new ArrayList<>();
        List<String> query = new ArrayList<>();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(new AbstractMap.SimpleEntry<>("Accept", "application/json"));
        form.add(pair("grant_type", "client_credentials"));
        form.add(pair("client_id", env.resolve(config.clientId())));
        if (clientSecret != null) {
            form.add(pair("client_secret", clientSecret));
        }
        if (config.customParameterList() != null) {
            for (CustomOAuthParameter parameter : config.customParameterList()) {
                String value = env.resolve(parameter.value());
                if (parameter.type() == ParameterLocation.HEADER) {
                    headers.add(new AbstractMap.SimpleEntry<>(
                            InvalidHeaderException.requireValidName(parameter.key()),
                            InvalidHeaderException.requireValidValue(
                                    "token request header " + parameter.key(), value)));
                } else if (parameter.type() == ParameterLocation.QUERY) {
                    query.add(pair(parameter.key(), value));
                } else {
                    form.add(pair(parameter.key(), value));
                }
            }
        }
        boolean formInQuery = config.httpMethod() == HttpMethod.GET;
        if (formInQuery) {
            query.addAll(form);
        } else {
            headers.add(new AbstractMap.SimpleEntry<>("Content-Type", "application/x-www-form-urlencoded"));
        }
        String endpoint = env.resolve(config.endpoint());
        URI uri;
        try {
            uri = URI.create(
                    query.isEmpty()
                            ? endpoint
                            : endpoint + (endpoint.contains("?") ? "&" : "?") + String.join("&", query));
        } catch (IllegalArgumentException e) {
            throw new ExchangeException("the token endpoint is not a valid URL");
        }
        byte[] body = formInQuery ? new byte[0] : String.join("&", form).getBytes(StandardCharsets.UTF_8);
        TransportResult result;
        try {
            result = transport
                    .send(new OutboundRequest(config.httpMethod(), uri, headers, body, deadline, proxy))
                    .get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw ExchangeException.retryable(
                    "the token request did not complete: " + e.getClass().getSimpleName(), Optional.empty());
        }
        if (result instanceof TransportResult.Failure failure) {
            String message = "the token request failed: " + failure.kind() + " " + failure.message();
            throw failure.kind().isRetryable()
                    ? ExchangeException.retryable(message, Optional.empty())
                    : new ExchangeException(message);
        }
        TransportResult.Response response = (TransportResult.Response) result;
        if (response.status() / 100 != 2) {
            String message = "the token endpoint answered HTTP " + response.status();
            throw Outcome.isRetryableStatus(response.status())
                    ? ExchangeException.retryable(
                            message, Outcome.retryAfter(response.header("retry-after"), clock.instant()))
                    : new ExchangeException(message);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new ExchangeException("the token endpoint's answer is not JSON");
        }
        JsonNode accessToken = json == null ? null : json.get("access_token");
        if (accessToken == null
                || !accessToken.isTextual()
                || accessToken.textValue().isEmpty()) {
            throw new ExchangeException("the token endpoint's answer has no access_token");
        }
        if (!HeaderRules.isValidValue(accessToken.textValue())) { // it goes into the Authorization header
            throw new ExchangeException("the token endpoint's access_token has control characters");
        }
        Long expiresIn = json.hasNonNull("expires_in") && json.get("expires_in").canConvertToLong()
                ? json.get("expires_in").asLong()
                : null;
        String tokenType =
                json.hasNonNull("token_type") ? json.get("token_type").asText() : "Bearer";
        long lifetime = expiresIn == null ? DEFAULT_TOKEN_SECONDS : expiresIn;
        long margin = Math.min(30, lifetime / 10);
        return new Token(
                accessToken.textValue(),
                tokenType,
                expiresIn,
                clock.instant().plusSeconds(Math.max(0, lifetime - margin)));
    }

    private static String pair(String key, String value) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
