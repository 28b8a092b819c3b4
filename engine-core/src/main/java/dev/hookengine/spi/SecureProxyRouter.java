package dev.hookengine.spi;

import dev.hookengine.model.SecureProxy;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses the proxy for configs with {@code secureProxy} (an integration's private network route).
 * It takes precedence over {@code enableStaticIP}.
 *
 * <p>The engine asks twice. When a config is saved, {@link #hasRoute} must be true, or the save is
 * refused with a {@code ValidationException} naming {@code secureProxy} (REST 400): a route that does
 * not exist is a mistake to tell the caller now, not a failure to find at delivery. When a request is
 * sent (the delivery and its OAuth token request), {@link #route} gives the proxy; a route that has
 * gone since the save (the router's table changed) fails the delivery with code
 * {@code SECURE_PROXY_UNAVAILABLE} instead of sending it directly.
 *
 * <p>Implementations are called on delivery threads and must be thread-safe and quick.
 */
@FunctionalInterface
public interface SecureProxyRouter {

    /** Routes nothing: every config with {@code secureProxy} is refused when saved. */
    SecureProxyRouter NONE = (orgId, secureProxy) -> Optional.empty();

    /** The proxy for this organization's integration and use case, or empty when there is none. */
    Optional<ProxyAddress> route(String orgId, SecureProxy secureProxy);

    /**
     * Whether a config of {@code orgId} may ask for {@code secureProxy}: checked when the config is
     * saved. By default, whether {@link #route} finds one now.
     */
    default boolean hasRoute(String orgId, SecureProxy secureProxy) {
        return route(orgId, secureProxy).isPresent();
    }

    /**
     * A router with a fixed table, the same for every organization: each {@code (integration_id,
     * use_case_slug)} pair to its proxy. Pairs are matched exactly (the integration id as the UUID's
     * canonical lower-case text, so {@code ABC...} and {@code abc...} are one integration).
     */
    static SecureProxyRouter fixed(Map<SecureProxy, ProxyAddress> routes) {
        Map<SecureProxy, ProxyAddress> table = Map.copyOf(routes.entrySet().stream()
                .collect(Collectors.toMap(
                        entry -> canonical(entry.getKey()), entry -> Objects.requireNonNull(entry.getValue()))));
        return (orgId, secureProxy) ->
                secureProxy == null ? Optional.empty() : Optional.ofNullable(table.get(canonical(secureProxy)));
    }

    private static SecureProxy canonical(SecureProxy secureProxy) {
        String id = secureProxy.integrationId();
        return new SecureProxy(id == null ? null : id.toLowerCase(Locale.ROOT), secureProxy.useCaseSlug());
    }
}
