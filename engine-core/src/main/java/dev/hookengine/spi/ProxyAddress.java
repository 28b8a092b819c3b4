package dev.hookengine.spi;

import java.util.Objects;

/**
 * An HTTP proxy to send a request through (CONNECT for https targets).
 *
 * @param host the proxy's host name or address; trusted: the operator configured it
 * @param port the proxy's port
 */
public record ProxyAddress(String host, int port) {
    public ProxyAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
