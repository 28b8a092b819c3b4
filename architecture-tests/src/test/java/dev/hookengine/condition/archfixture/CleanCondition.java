package dev.hookengine.condition.archfixture;

import dev.hookengine.model.archfixture.CleanModel;

/** Fixture: a mechanism class using the model (allowed). */
public class CleanCondition {
    boolean holds(CleanModel value) {
        return value.count() > 0;
    }
}
