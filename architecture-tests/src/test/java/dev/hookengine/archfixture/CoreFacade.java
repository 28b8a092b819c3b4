package dev.hookengine.archfixture;

import dev.hookengine.internal.archfixture.InternalWorker;

/** Fixture: engine-core's API using its own internals (allowed). */
public class CoreFacade {
    private final InternalWorker worker = new InternalWorker();

    public void run() {
        worker.work();
    }
}
