package dev.hookengine.internal.delivery;

import static dev.hookengine.internal.delivery.InvalidHeaderException.requireValidName;
import static dev.hookengine.internal.delivery.InvalidHeaderException.requireValidValue;

import dev.hookengine.OutcomeCode;
import dev.hookengine.internal.config.HeaderRules;
import dev.hookengine.internal.signing.SigningService;
import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.AuthType;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.signing.WebhookHeaders;
import dev.hookengine.signing.WebhookVerifier;
import dev.hookengine.spi.MultipartBody;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.VariableStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Builds the request of one delivery attempt: the URL and header values with their
 * {@code {{ env.NAME }}} references resolved from the organization's variables, the Standard
 * Webhooks headers ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}), the
 * config's custom headers, its auth (with an OAuth token, cached or fetched), and the proxy the config
 * asks for. A request that cannot be built is {@link Refused} with the outcome it fails with, before
 * anything is sent.
 *
 * <p>Kept apart from sending so that what goes on the wire can be read in one place: every header a
 * receiver sees is added here.
 */
public final class SignedRequests {

    private final VariableStore variables;
    private final SigningService signing;
    private final OAuthTokens tokens;
    private final DeliverySettings settings;

    public SignedRequests(
            VariableStore variables, SigningService signing, OAuthTokens tokens, DeliverySettings settings) {
        this.variables = variables;
        this.signing = signing;
        this.tokens = tokens;
        this.settings = settings;
    }

    /** A request built for an attempt, or the reason there is none. */
    sealed interface Prepared permits Ready, Refused {}

    /**
     * A request ready to send, with what sending it again with a fresh OAuth token needs.
     *
     * @param request  the request
     * @param auth     the config's auth
     * @param env      the attempt's resolver, which has read each variable once already
     * @param tokenKey the OAuth token cache key: organization, config and revision, so that an edited
     *                 config never reuses the token of its previous credentials
     */
    record Ready(OutboundRequest request, Auth auth, EnvResolver env, String tokenKey) implements Prepared {

        /** Whether a 401 may be mended with a fresh token. */
        boolean isOAuth() {
            return auth != null && auth.authType() == AuthType.OAUTH_CLIENT_CREDENTIALS;
        }
    }

    /** Nothing can be sent; the attempt ends with {@code outcome}. */
    record Refused(Outcome outcome) implements Prepared {}

    /** The request that delivers {@code event} to {@code stored}'s receiver: its payload, as JSON. */
    Prepared prepare(StoredConfig stored, WebhookEvent event) {
        return prepare(stored, event, null, null);
    }

    /**
     * The request of a {@code json_base64} delivery: {@code body} (the payload with its attachments
     * embedded, {@link FileDeliveries}) instead of the payload, signed as sent.
     */
    Prepared prepareJson(StoredConfig stored, WebhookEvent event, byte[] body) {
        return prepare(stored, event, body, null);
    }

    /**
     * The request of a {@code binary_multipart} delivery: a {@code multipart/form-data} body whose
     * first part, {@value WebhookVerifier#MULTIPART_PAYLOAD_FIELD}, is the payload as JSON, exactly the
     * bytes the {@code webhook-signature} signs, as a plain delivery's body; then the extra fields,
     * their {@code {{ env.NAME }}} references resolved (not signed, as the spec says); then the files.
     *
     * @param extraFields the extra fields' values before their references are resolved, in order
     */
    Prepared prepareMultipart(
            StoredConfig stored, WebhookEvent event, Map<String, String> extraFields, List<MultipartBody.File> files) {
        return prepare(stored, event, null, new Form(extraFields, files));
    }

    /** The parts of a multipart body other than the signed payload. */
    private record Form(Map<String, String> extraFields, List<MultipartBody.File> files) {}

    /**
     * @param jsonBody the body to send instead of the payload, or {@code null}
     * @param form     the form to send the payload in, or {@code null} to send it as the body
     */
    private Prepared prepare(StoredConfig stored, WebhookEvent event, byte[] jsonBody, Form form) {
        WebhookConfig config = stored.config();
        EnvResolver env = new EnvResolver(variables, stored.orgId());
        HttpMethod method = config.httpMethod() == null ? HttpMethod.POST : config.httpMethod();
        boolean withBody = method != HttpMethod.GET && method != HttpMethod.HEAD;
        byte[] body = !withBody
                ? new byte[0]
                : jsonBody != null
                        ? jsonBody
                        : event.payload() != null ? event.payload().getBytes(StandardCharsets.UTF_8) : new byte[0];
        String tokenKey = stored.orgId() + "/" + config.id() + "/" + stored.revision();
        try {
            URI url = URI.create(env.resolve(config.url()));
            ProxyAddress proxy = settings.routes().proxyFor(stored.orgId(), config);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (withBody && form == null) {
                headers.add(header("Content-Type", "application/json"));
            } // a form's Content-Type, with its boundary, is the transport's to set
            long timestamp = Timestamps.now(settings.clock()).getEpochSecond();
            headers.add(header(WebhookHeaders.ID, event.eventId()));
            headers.add(header(WebhookHeaders.TIMESTAMP, Long.toString(timestamp)));
            headers.add(header(WebhookHeaders.SIGNATURE, signing.sign(stored, event.eventId(), timestamp, body)));
            if (config.payloadConfiguration() != null
                    && config.payloadConfiguration().customHeaders() != null) {
                for (Map.Entry<String, String> custom :
                        config.payloadConfiguration().customHeaders().entrySet()) {
                    if (!HeaderRules.isForbidden(custom.getKey())) {
                        headers.add(header(custom.getKey(), env.resolve(custom.getValue())));
                    }
                }
            }
            addAuth(config.auth(), env, tokenKey, proxy, headers);
            requireValid(headers);
            MultipartBody multipart = withBody && form != null ? multipart(body, form, env) : null;
            return new Ready(
                    new OutboundRequest(
                            method,
                            url,
                            headers,
                            multipart == null ? body : new byte[0],
                            settings.attemptDeadline(),
                            proxy,
                            multipart),
                    config.auth(),
                    env,
                    tokenKey);
        } catch (EnvResolver.MissingVariableException e) {
            return new Refused(Outcome.failed(null, e.getMessage(), OutcomeCode.MISSING_VARIABLE));
        } catch (InvalidHeaderException e) {
            return new Refused(Outcome.failed(null, e.getMessage(), OutcomeCode.INVALID_HEADER));
        } catch (OAuthTokens.ExchangeException e) {
            return new Refused(e.outcome());
        } catch (EgressRoutes.UnavailableRoute e) {
            return new Refused(e.outcome());
        } catch (IllegalArgumentException e) {
            return new Refused(Outcome.failed(
                    null, "the URL is not valid after resolving its variables", OutcomeCode.INTERNAL_ERROR));
        }
    }

    private static MultipartBody multipart(byte[] payload, Form form, EnvResolver env) {
        List<MultipartBody.Part> parts = new ArrayList<>();
        parts.add(new MultipartBody.Field(WebhookVerifier.MULTIPART_PAYLOAD_FIELD, "application/json", payload));
        form.extraFields()
                .forEach((name, value) -> parts.add(
                        new MultipartBody.Field(name, null, env.resolve(value).getBytes(StandardCharsets.UTF_8))));
        parts.addAll(form.files());
        return new MultipartBody(parts);
    }

    /** Drops {@code ready}'s cached OAuth token, so that the next request built fetches a fresh one. */
    void forgetToken(Ready ready) {
        tokens.invalidate(ready.tokenKey());
    }

    /**
     * {@code ready} again with a fresh OAuth token, after its receiver answered 401: the cached token
     * is dropped and a new one fetched.
     */
    Prepared withFreshToken(Ready ready) {
        tokens.invalidate(ready.tokenKey());
        List<Map.Entry<String, String>> headers =
                new ArrayList<>(ready.request().headers());
        try {
            headers.removeIf(h -> h.getKey().equalsIgnoreCase("Authorization"));
            addAuth(ready.auth(), ready.env(), ready.tokenKey(), ready.request().proxy(), headers);
            requireValid(headers);
        } catch (InvalidHeaderException e) {
            return new Refused(Outcome.failed(null, e.getMessage(), OutcomeCode.INVALID_HEADER));
        } catch (OAuthTokens.ExchangeException e) {
            return new Refused(e.outcome());
        }
        OutboundRequest sent = ready.request();
        return new Ready(
                new OutboundRequest(sent.method(), sent.url(), headers, sent.body(), sent.deadline(), sent.proxy()),
                ready.auth(),
                ready.env(),
                ready.tokenKey());
    }

    /** Adds the auth header; an OAuth token request goes through {@code proxy}, as the delivery does. */
    private void addAuth(
            Auth auth, EnvResolver env, String tokenKey, ProxyAddress proxy, List<Map.Entry<String, String>> headers) {
        if (auth == null || auth.authType() == null) {
            return;
        }
        switch (auth.authType()) {
            case BASIC -> {
                BasicAuthConfig basic = auth.basicAuthConfig();
                // Base64 would hide a line break from the header check below, so the parts are checked
                // before they are encoded.
                String credentials = requireValidValue("auth.basicAuthConfig.username", env.resolve(basic.username()))
                        + ":"
                        + (basic.password() == null
                                ? ""
                                : requireValidValue(
                                        "auth.basicAuthConfig.password",
                                        env.resolve(basic.password().reveal())));
                headers.add(header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
            }
            case API_KEY -> {
                ApiKeyConfig apiKey = auth.apiKeyConfig();
                headers.add(
                        header(apiKey.keyName(), env.resolve(apiKey.keyValue().reveal())));
            }
            case OAUTH_CLIENT_CREDENTIALS -> {
                OAuthTokens.Token token = tokens.token(tokenKey, auth.oauthConfig(), env, proxy);
                headers.add(header("Authorization", "Bearer " + token.accessToken()));
            }
            case NONE -> {}
        }
    }

    /**
     * Every header is fit for the wire: the last check before anything is sent, on the values as they
     * will be sent, whatever built them (the names of custom headers were checked when the config was
     * saved, but a config may have been stored by an older version).
     *
     * @throws InvalidHeaderException naming the first header that is not
     */
    private static void requireValid(List<Map.Entry<String, String>> headers) {
        for (Map.Entry<String, String> header : headers) {
            requireValidValue("header " + requireValidName(header.getKey()), header.getValue());
        }
    }

    private static Map.Entry<String, String> header(String name, String value) {
        return new AbstractMap.SimpleEntry<>(name, value);
    }
}
