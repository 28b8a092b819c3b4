package dev.hookengine.model.archfixture;

import dev.hookengine.internal.archfixture.InternalWorker;

/** Fixture: a model value using engine-core's internals (a violation). */
public record ModelUsingInternal(InternalWorker worker) {}
