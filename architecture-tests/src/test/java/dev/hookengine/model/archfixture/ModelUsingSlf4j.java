package dev.hookengine.model.archfixture;

import org.slf4j.Logger;

/** Fixture: a model value using a library other than Jackson (a violation). */
public record ModelUsingSlf4j(Logger logger) {}
