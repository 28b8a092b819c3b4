package dev.hookengine.http;

import dev.hookengine.spi.ProxyAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;

/**
 * Sends each request through its own HTTP proxy, on one Jetty client.
 *
 * <p>Jetty configures proxies per client, not per request. So each distinct {@link ProxyAddress} is
 * registered once, as a proxy that serves only the requests tagged for it, whatever their host. The tag
 * is part of a destination's identity in Jetty, so proxied requests get connection pools of their own
 * and never share a connection with direct ones. Thread-safe.
 */
final class ProxyRoutes {

    private final HttpClient client;
    private final ConcurrentMap<ProxyAddress, ProxyTag> tags = new ConcurrentHashMap<>();

    ProxyRoutes(HttpClient client) {
        this.client = client;
    }

    /** The tag that routes a request through {@code proxy}; the proxy is registered on first use. */
    Object tagFor(ProxyAddress proxy) {
        return tags.computeIfAbsent(proxy, address -> {
            ProxyTag tag = new ProxyTag(address);
            client.getProxyConfiguration().addProxy(new TaggedHttpProxy(tag));
            return tag;
        });
    }

    /** Tags the requests that go through one proxy; part of their destination's identity. */
    private record ProxyTag(ProxyAddress proxy) {}

    /** An HTTP proxy that serves only the requests tagged for it, whatever their host. */
    private static final class TaggedHttpProxy extends HttpProxy {
        private final ProxyTag tag;

        TaggedHttpProxy(ProxyTag tag) {
            super(new Origin.Address(tag.proxy().host(), tag.proxy().port()), false);
            this.tag = tag;
        }

        @Override
        public boolean matches(Origin origin) {
            return tag.equals(origin.getTag());
        }
    }
}
