package dev.hookengine.http;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Jetty's address resolver with the {@link SsrfGuard} between resolution and connection.
 *
 * <p>Jetty resolves the host of a destination each time it opens a connection and connects to the
 * addresses it got, in order. Filtering those addresses here means the guard judges exactly the
 * addresses that will be connected to, at connect time: a name that resolved to a public address when
 * the webhook was saved and to 169.254.169.254 now (DNS rebinding) is refused now. When nothing is
 * left the connection attempt fails with {@link BlockedDestinationException} before any socket is
 * opened. Jetty 12.1 sends IP literals through the resolver too ({@code InetAddress.getAllByName}
 * parses them without a lookup), so literals pass here as well; the transport also checks them
 * before a request is made.
 *
 * <p>When the destination goes through a proxy, the host resolved here is the proxy's, which the
 * operator configured and is trusted; it passes unfiltered.
 */
final class GuardedResolver implements SocketAddressResolver {

    private final SocketAddressResolver delegate;
    private final SsrfGuard guard;

    GuardedResolver(SocketAddressResolver delegate, SsrfGuard guard) {
        this.delegate = delegate;
        this.guard = guard;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        if (context != null
                && context.get(Destination.CONTEXT_KEY) instanceof Destination destination
                && destination.getProxy() != null) {
            delegate.resolve(host, port, context, promise);
            return;
        }
        delegate.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                if (addresses.isEmpty()) {
                    promise.failed(new UnknownHostException(host));
                    return;
                }
                List<InetSocketAddress> allowed = new ArrayList<>(addresses.size());
                String firstRefusal = null;
                for (InetSocketAddress address : addresses) {
                    Optional<String> refusal = address.getAddress() == null
                            ? Optional.of("unresolved")
                            : guard.refusal(address.getAddress());
                    if (refusal.isEmpty()) {
                        allowed.add(address);
                    } else if (firstRefusal == null) {
                        firstRefusal = address.getAddress() == null
                                ? "unresolved"
                                : address.getAddress().getHostAddress() + " (" + refusal.get() + ")";
                    }
                }
                if (allowed.isEmpty()) {
                    promise.failed(new BlockedDestinationException(
                            "'" + host + "' resolves only to refused addresses, such as " + firstRefusal));
                } else {
                    promise.succeeded(allowed);
                }
            }

            @Override
            public void failed(Throwable failure) {
                promise.failed(failure);
            }
        });
    }
}
