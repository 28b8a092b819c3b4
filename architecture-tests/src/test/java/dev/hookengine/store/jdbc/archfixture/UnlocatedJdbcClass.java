package dev.hookengine.store.jdbc.archfixture;

/** Fixture: a class in engine-jdbc's package that the rules' test gives no origin. */
public class UnlocatedJdbcClass {}
