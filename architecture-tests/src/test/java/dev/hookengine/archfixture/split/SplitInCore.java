package dev.hookengine.archfixture.split;

/** Fixture: main code of engine-core in a package engine-memory's main code has a class in too. */
public class SplitInCore {}
