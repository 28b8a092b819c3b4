package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The engine's component of {@code /actuator/health}: UP with the delivery queue's depth, the jobs due
 * and the oldest due time (and the lag behind it) when the store answers, DOWN when it throws.
 *
 * <p>A long lag alone does not make it DOWN: a backlog is not a failure of this node, and a health check
 * that fails under load would take nodes out of service when they are needed most. The error detail is
 * the exception's class only, since a driver's message may carry connection details.
 */
final class HookengineHealthIndicator implements HealthIndicator {

    private final WebhookStore store;
    private final Clock clock;

    HookengineHealthIndicator(WebhookStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        QueueStats stats;
        try {
            stats = store.stats(now);
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.getClass().getName()).build();
        }
        Health.Builder health = Health.up().withDetail("depth", stats.depth()).withDetail("due", stats.due());
        if (stats.oldestDueAt() != null) {
            health.withDetail("oldestDueAt", stats.oldestDueAt().toString())
                    .withDetail(
                            "lag", Duration.between(stats.oldestDueAt(), now).toString());
        }
        return health.build();
    }
}
