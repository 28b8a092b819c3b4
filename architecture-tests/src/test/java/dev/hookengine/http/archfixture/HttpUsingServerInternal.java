package dev.hookengine.http.archfixture;

import dev.hookengine.server.internal.archfixture.ServerInternalHelper;

/** Fixture: code outside the server using the server's internals (a violation). */
public class HttpUsingServerInternal {
    ServerInternalHelper helper;
}
