package dev.hookengine.internal.archfixture;

/** Fixture: a class of engine-core's internals (see LayeringRulesTest). */
public class InternalWorker {
    public void work() {}
}
