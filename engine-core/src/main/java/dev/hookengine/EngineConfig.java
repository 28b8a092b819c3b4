package dev.hookengine;

import dev.hookengine.spi.EventCatalog;
import java.time.Clock;
import java.util.Objects;

/**
 * The engine's settings, validated and frozen by {@link WebhookEngine.Builder#build()}.
 *
 * @param clock              the time source of everything the engine timestamps or schedules
 * @param eventCatalog       the events configs can subscribe to
 * @param signingSecretBytes random bytes in each new config's {@code whsec_} signing secret
 */
public record EngineConfig(Clock clock, EventCatalog eventCatalog, int signingSecretBytes) {
    public EngineConfig {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(eventCatalog, "eventCatalog");
    }
}
