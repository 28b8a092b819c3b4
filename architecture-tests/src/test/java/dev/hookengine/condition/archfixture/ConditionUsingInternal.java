package dev.hookengine.condition.archfixture;

import dev.hookengine.internal.archfixture.InternalWorker;

/** Fixture: a mechanism class using engine-core's internals (a violation). */
public class ConditionUsingInternal {
    void evaluate(InternalWorker worker) {
        worker.work();
    }
}
