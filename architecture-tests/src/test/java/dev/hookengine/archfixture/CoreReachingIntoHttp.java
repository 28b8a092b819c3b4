package dev.hookengine.archfixture;

import dev.hookengine.http.archfixture.HttpTransportFixture;

/** Fixture: an engine-core class using a class compiled in engine-http (a violation). */
public class CoreReachingIntoHttp {
    HttpTransportFixture transport;
}
