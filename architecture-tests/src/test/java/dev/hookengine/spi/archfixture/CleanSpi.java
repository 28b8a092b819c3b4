package dev.hookengine.spi.archfixture;

import dev.hookengine.model.archfixture.CleanModel;

/** Fixture: an SPI type using the model (allowed). */
public interface CleanSpi {
    CleanModel load(String id);
}
