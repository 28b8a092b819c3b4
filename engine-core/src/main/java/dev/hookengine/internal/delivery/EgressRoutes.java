package dev.hookengine.internal.delivery;

import dev.hookengine.EngineConfig;
import dev.hookengine.FieldError;
import dev.hookengine.OutcomeCode;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import java.util.Optional;

/**
 * Which proxy a config's requests go through: the one rule, asked when a config is saved
 * ({@link #missingRoute}) and when its delivery or OAuth token request is sent ({@link #proxyFor}).
 *
 * <p>{@code secureProxy} wins: the router's route, whatever {@code enableStaticIP} says (the spec:
 * "takes precedence"). Otherwise {@code enableStaticIP: true} goes through the static egress proxy.
 * Otherwise the request goes out directly. So a config with both fields needs only the secure route,
 * and its {@code enableStaticIP} is not checked.
 *
 * @param router        the engine's {@link SecureProxyRouter}
 * @param staticIpProxy the engine's static egress proxy, or {@code null} when it has none
 */
public record EgressRoutes(SecureProxyRouter router, ProxyAddress staticIpProxy) {

    /** The routes of an engine built with {@code config}. */
    public static EgressRoutes of(EngineConfig config) {
        return new EgressRoutes(config.secureProxyRouter(), config.staticIpProxy());
    }

    /**
     * Why {@code config} cannot be saved for {@code orgId}: it asks for a route this engine does not
     * have. The message does not repeat the caller's values.
     */
    public Optional<FieldError> missingRoute(String orgId, WebhookConfig config) {
        if (config.secureProxy() != null) {
            return router.hasRoute(orgId, config.secureProxy())
                    ? Optional.empty()
                    : Optional.of(new FieldError(
                            "secureProxy",
                            "no secure proxy route is configured on this engine for this integration_id and"
                                    + " use_case_slug"));
        }
        if (Boolean.TRUE.equals(config.enableStaticIP()) && staticIpProxy == null) {
            return Optional.of(
                    new FieldError("enableStaticIP", "this engine has no static IP egress proxy configured"));
        }
        return Optional.empty();
    }

    /**
     * The proxy {@code config}'s requests go through, or {@code null} to connect directly.
     *
     * @throws UnavailableRoute when the route it asks for has gone since it was saved
     */
    ProxyAddress proxyFor(String orgId, WebhookConfig config) {
        if (config.secureProxy() != null) {
            return router.route(orgId, config.secureProxy())
                    .orElseThrow(() -> new UnavailableRoute(
                            OutcomeCode.SECURE_PROXY_UNAVAILABLE,
                            "no secure proxy is configured for integration "
                                    + config.secureProxy().integrationId()));
        }
        if (Boolean.TRUE.equals(config.enableStaticIP())) {
            if (staticIpProxy == null) {
                throw new UnavailableRoute(
                        OutcomeCode.STATIC_IP_UNAVAILABLE,
                        "enableStaticIP is set but this engine has no static egress proxy configured");
            }
            return staticIpProxy;
        }
        return null;
    }

    /** A route the config asks for is not available: nothing is sent, the attempt fails with {@link #code}. */
    static final class UnavailableRoute extends RuntimeException {
        final OutcomeCode code;

        UnavailableRoute(OutcomeCode code, String message) {
            super(message);
            this.code = code;
        }

        Outcome outcome() {
            return Outcome.failed(null, getMessage(), code);
        }
    }
}
