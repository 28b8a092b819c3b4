package dev.hookengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A webhook config whose deliveries have all failed for a while, as
 * {@link ConfigStore#failingConfigs} finds it: its delivery health as the store keeps it.
 *
 * @param orgId          the organization that owns the config
 * @param configId       the config
 * @param failingSince   when the first failed attempt since the config's last success ended
 *                       ({@link DeliveryAttempt#endedAt()})
 * @param failedAttempts the failed attempts recorded since then, at least 1
 */
public record FailingConfig(String orgId, String configId, Instant failingSince, int failedAttempts) {

    public FailingConfig {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(failingSince, "failingSince");
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("a failing config has at least one failed attempt: " + failedAttempts);
        }
    }
}
