package dev.hookengine.http;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.Origin;
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
 * <p>When the destination goes through a proxy, the host Jetty asks for is the proxy's, which the
 * operator configured and is trusted: it passes unfiltered. But first the target's own name is
 * resolved here and judged, and every address it resolves to must pass, since the proxy, not this
 * resolver, chooses which one it connects to: a tenant cannot reach {@code 10.0.0.5} or
 * {@code localhost} by asking the proxy for it. A target name that does not resolve here fails as an
 * unknown host (closed, not open: a name only the proxy can resolve is a name the guard cannot
 * judge). The proxy resolves the name again, so a name that changes between the two lookups (DNS
 * rebinding) is the proxy's own egress rules to catch; this check stops every name that resolves to a
 * refused address here.
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
            Origin.Address target = destination.getOrigin().getAddress();
            delegate.resolve(target.getHost(), target.getPort(), context, new Guarded(target.getHost(), true) {
                @Override
                void allowed(List<InetSocketAddress> targetAddresses) {
                    delegate.resolve(host, port, context, promise);
                }

                @Override
                void refused(Throwable failure) {
                    promise.failed(failure);
                }
            });
            return;
        }
        delegate.resolve(host, port, context, new Guarded(host, false) {
            @Override
            void allowed(List<InetSocketAddress> addresses) {
                promise.succeeded(addresses);
            }

            @Override
            void refused(Throwable failure) {
                promise.failed(failure);
            }
        });
    }

    /**
     * Judges the addresses {@code host} resolved to: the allowed ones go on, or the whole resolution
     * fails with why. With {@code everyAddress}, one refused address refuses them all.
     */
    private abstract class Guarded implements Promise<List<InetSocketAddress>> {
        private final String host;
        private final boolean everyAddress;

        Guarded(String host, boolean everyAddress) {
            this.host = host;
            this.everyAddress = everyAddress;
        }

        abstract void allowed(List<InetSocketAddress> addresses);

        abstract void refused(Throwable failure);

        @Override
        public void succeeded(List<InetSocketAddress> addresses) {
            if (addresses.isEmpty()) {
                refused(new UnknownHostException(host));
                return;
            }
            List<InetSocketAddress> allowed = new ArrayList<>(addresses.size());
            String firstRefusal = null;
            for (InetSocketAddress address : addresses) {
                Optional<String> refusal =
                        address.getAddress() == null ? Optional.of("unresolved") : guard.refusal(address.getAddress());
                if (refusal.isEmpty()) {
                    allowed.add(address);
                } else if (firstRefusal == null) {
                    firstRefusal = address.getAddress() == null
                            ? "unresolved"
                            : address.getAddress().getHostAddress() + " (" + refusal.get() + ")";
                }
            }
            if (allowed.isEmpty()) {
                refused(new BlockedDestinationException(
                        "'" + host + "' resolves only to refused addresses, such as " + firstRefusal));
            } else if (everyAddress && firstRefusal != null) {
                refused(new BlockedDestinationException("'" + host + "' resolves to a refused address, " + firstRefusal
                        + ", and the proxy may connect to any of its addresses"));
            } else {
                allowed(allowed);
            }
        }

        @Override
        public void failed(Throwable failure) {
            refused(failure);
        }
    }
}
