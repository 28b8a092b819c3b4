package dev.hookengine.server.internal.archfixture;

/** Fixture: a class of the server's internals. */
public class ServerInternalHelper {}
