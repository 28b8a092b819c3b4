package dev.hookengine.http.archfixture;

import dev.hookengine.internal.archfixture.InternalWorker;

/** Fixture: engine-http main code using engine-core's internals (a violation). */
public class HttpUsingInternal {
    void send() {
        new InternalWorker().work();
    }
}
