package dev.hookengine.http;

import java.io.IOException;

/**
 * Every address a destination resolved to was refused by the {@link SsrfGuard}, so no connection was
 * opened. Raised inside Jetty's connect path and turned into
 * {@link dev.hookengine.spi.TransportResult.Kind#BLOCKED_DESTINATION}.
 */
final class BlockedDestinationException extends IOException {
    private static final long serialVersionUID = 1L;

    BlockedDestinationException(String message) {
        super(message, null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // An expected refusal, raised per request: the stack says nothing the message does not.
        return this;
    }
}
