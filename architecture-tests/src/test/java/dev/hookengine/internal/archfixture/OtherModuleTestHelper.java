package dev.hookengine.internal.archfixture;

/**
 * Fixture: test code of another module in the internals' package, used by its neighbour: not a use
 * of engine-core's internals.
 */
public class OtherModuleTestHelper {}
