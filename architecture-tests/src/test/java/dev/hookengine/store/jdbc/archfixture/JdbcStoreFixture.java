package dev.hookengine.store.jdbc.archfixture;

/** Fixture: engine-jdbc main code, which makes its package engine-jdbc's. */
public class JdbcStoreFixture {}
