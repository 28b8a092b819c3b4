package dev.hookengine.archfixture;

import dev.hookengine.store.jdbc.archfixture.UnlocatedJdbcClass;

/** Fixture: an engine-core class using a class of engine-jdbc's package, of no known origin (a violation). */
public class CoreReachingIntoJdbcPackage {
    UnlocatedJdbcClass unlocated;
}
