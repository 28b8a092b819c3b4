package dev.hookengine.archfixture.split;

/** Fixture: main code of engine-memory in a package engine-core's main code has a class in too. */
public class SplitInMemory {}
