package dev.hookengine.server;

import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.SecureProxy;
import dev.hookengine.server.ServerOptions.UsageException;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The standalone server's proxy routes, from its environment:
 *
 * <ul>
 *   <li>{@code HOOKENGINE_STATIC_IP_PROXY=host:port}: the egress proxy of {@code enableStaticIP}
 *       configs;</li>
 *   <li>{@code HOOKENGINE_SECURE_PROXIES=integrationId/useCaseSlug=host:port,...}: the route table of
 *       {@code secureProxy} configs, the same for every organization ({@link SecureProxyRouter#fixed}).
 *       The integration id is a UUID, as a config's {@code secureProxy.integration_id} must be; the use
 *       case slug is the rest of the key, up to the last {@code =}.</li>
 * </ul>
 *
 * <p>A host is a name, an IPv4 address or an IPv6 address in brackets ({@code [::1]:3128}); a port is 1
 * to 65535. A proxy is an HTTP proxy, tunnelling https with {@code CONNECT}. A config asking for a route
 * that is not here is refused when it is saved (400 naming {@code secureProxy} or
 * {@code enableStaticIP}). Proxy credentials ({@code user:password@host:port}) are not supported: an
 * entry with {@code @} is refused, so that a password never sits in the environment of a server that
 * would not use it; messages name the variable and the entry's position, never its text. The proxies
 * are the operator's, trusted: the SSRF guard judges the targets behind them, not them.
 *
 * @param staticIpProxy the static egress proxy, or {@code null}
 * @param secureProxies each integration and use case's proxy
 */
public record ProxySettings(ProxyAddress staticIpProxy, Map<SecureProxy, ProxyAddress> secureProxies) {

    static final String STATIC_IP_PROXY = "HOOKENGINE_STATIC_IP_PROXY";
    static final String SECURE_PROXIES = "HOOKENGINE_SECURE_PROXIES";

    /** No proxies: {@code secureProxy} and {@code enableStaticIP} configs are refused. */
    public static final ProxySettings NONE = new ProxySettings(null, Map.of());

    public ProxySettings {
        secureProxies = Map.copyOf(secureProxies);
    }

    /**
     * The proxies {@code env} names.
     *
     * @throws UsageException naming the variable (and the entry) at fault
     */
    static ProxySettings parse(Map<String, String> env) throws UsageException {
        String staticIp = env.get(STATIC_IP_PROXY);
        ProxyAddress staticIpProxy =
                staticIp == null || staticIp.isBlank() ? null : address(staticIp.trim(), STATIC_IP_PROXY);
        Map<SecureProxy, ProxyAddress> routes = new LinkedHashMap<>();
        String table = env.get(SECURE_PROXIES);
        if (table != null && !table.isBlank()) {
            int position = 0;
            for (String entry : table.split(",")) {
                position++;
                String where = SECURE_PROXIES + " entry " + position;
                int equals = entry.lastIndexOf('=');
                int slash = entry.indexOf('/');
                if (equals < 0 || slash < 0 || slash > equals) {
                    throw new UsageException(where + " must be integrationId/useCaseSlug=host:port");
                }
                String integration = entry.substring(0, slash).trim();
                String useCase = entry.substring(slash + 1, equals).trim();
                if (!isUuid(integration)) {
                    throw new UsageException(where + ": the integration id must be a UUID");
                }
                if (useCase.isEmpty()) {
                    throw new UsageException(where + ": the use case slug is empty");
                }
                SecureProxy key = new SecureProxy(integration.toLowerCase(Locale.ROOT), useCase);
                if (routes.put(key, address(entry.substring(equals + 1).trim(), where)) != null) {
                    throw new UsageException(where + " repeats an integration and use case");
                }
            }
        }
        return new ProxySettings(staticIpProxy, routes);
    }

    /** Gives {@code builder} these routes. */
    WebhookEngineBuilder applyTo(WebhookEngineBuilder builder) {
        builder.secureProxyRouter(SecureProxyRouter.fixed(secureProxies));
        return staticIpProxy == null ? builder : builder.staticIpProxy(staticIpProxy);
    }

    /** How many routes there are; what the server logs at start. */
    @Override
    public String toString() {
        return "staticIpProxy=" + (staticIpProxy == null ? "none" : "set") + ", secureProxyRoutes="
                + secureProxies.size();
    }

    private static ProxyAddress address(String value, String where) throws UsageException {
        if (value.contains("@")) {
            throw new UsageException(where + ": proxy credentials (user:password@) are not supported");
        }
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = ""; // an IPv6 address without brackets: its port cannot be told from the address
        }
        if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '[' || c == ']')) {
            throw new UsageException(where + " must be host:port (an IPv6 address in brackets)");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            throw new UsageException(where + ": the port must be a number from 1 to 65535");
        }
        return new ProxyAddress(host, port);
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
