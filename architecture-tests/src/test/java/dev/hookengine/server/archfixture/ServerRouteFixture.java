package dev.hookengine.server.archfixture;

import dev.hookengine.server.internal.archfixture.ServerInternalHelper;

/** Fixture: the server using its own internals (allowed). */
public class ServerRouteFixture {
    ServerInternalHelper helper;
}
