package dev.hookengine.spi;

import dev.hookengine.model.SecureProxy;
import java.util.Optional;

/**
 * Chooses the proxy for configs with {@code secureProxy} (an integration's private network route).
 * It takes precedence over {@code enableStaticIP}. Without a router, or when it returns empty, such a
 * delivery fails with code {@code SECURE_PROXY_UNAVAILABLE} instead of going out directly.
 */
@FunctionalInterface
public interface SecureProxyRouter {

    /** Routes nothing: every {@code secureProxy} delivery fails clearly. */
    SecureProxyRouter NONE = (orgId, secureProxy) -> Optional.empty();

    /** The proxy for this organization's integration and use case, or empty when there is none. */
    Optional<ProxyAddress> route(String orgId, SecureProxy secureProxy);
}
