package dev.hookengine.spi.archfixture;

import dev.hookengine.internal.archfixture.InternalWorker;

/** Fixture: an SPI type using engine-core's internals (a violation). */
public interface SpiUsingInternal {
    void accept(InternalWorker worker);
}
