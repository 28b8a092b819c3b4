package dev.hookengine.http.archfixture;

import dev.hookengine.archfixture.CoreFacade;

/** Fixture: engine-http main code using engine-core's API (allowed). */
public class HttpTransportFixture {
    void send(CoreFacade core) {
        core.run();
    }
}
