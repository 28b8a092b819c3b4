package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The auto-configured {@link WebhookEngine}, on the store and transport of
 * {@link HookengineAutoConfiguration} (or the application's own), with the application's
 * {@link MeterRegistry} and {@link Clock} when it has one of each, and its lifecycle.
 *
 * <p>A plain {@code engine.publish(event)} inside a Spring-managed transaction on the store's DataSource
 * joins it ({@link SpringTransactionSink}). The engine delivers once the context has started and drains
 * when it closes ({@link WebhookEngineLifecycle}). An engine the application defines itself replaces all
 * of this: it is the application's to start and close.
 */
@AutoConfiguration(after = HookengineAutoConfiguration.class)
@ConditionalOnBean({WebhookStore.class, HttpTransport.class})
@ConditionalOnMissingBean(WebhookEngine.class)
public class HookengineEngineAutoConfiguration {

    @Bean
    WebhookEngine webhookEngine(
            WebhookStore store,
            HttpTransport transport,
            HookengineProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<Clock> clock,
            ObjectProvider<AutoConfiguredJdbcStore> autoConfiguredStore) {
        WebhookEngineBuilder engine = WebhookEngine.builder()
                .store(store)
                .transport(transport)
                .deliveryThreads(properties.getDeliveryThreads())
                .deliveryBatchSize(properties.getDeliveryBatchSize())
                .pollInterval(properties.getPollInterval())
                .attemptDeadline(properties.getAttemptDeadline())
                .eventRetention(properties.getEventRetention())
                .idempotencyWindow(properties.getIdempotencyWindow())
                .configRefreshInterval(properties.getConfigRefreshInterval())
                .signingKeyIssuer(properties.getSigningKeyIssuer())
                .signingRotationGrace(properties.getSigningRotationGrace())
                .autoDisable(
                        properties.getAutoDisable().getPeriod(),
                        properties.getAutoDisable().getMinAttempts())
                .circuitBreaker(
                        properties.getCircuitBreaker().getFailureThreshold(),
                        properties.getCircuitBreaker().getDelay());
        meterRegistry.ifUnique(engine::meterRegistry);
        clock.ifUnique(engine::clock);
        SpringTransactionSink transactions = null;
        if (store instanceof JdbcWebhookStore jdbc) {
            DataSource storeDataSource = storeDataSource(jdbc, autoConfiguredStore.getIfAvailable());
            if (storeDataSource != null) {
                transactions = new SpringTransactionSink(jdbc, storeDataSource);
                engine.ambientSink(transactions);
            }
        }
        try {
            WebhookEngine built = engine.build();
            if (transactions != null) {
                transactions.wakeAfterCommit(built::deliverSoon);
            }
            return built;
        } catch (IllegalArgumentException e) {
            // Every range the builder checks is checked by the properties first; this keeps any other one
            // pointing at where the settings come from.
            throw new IllegalStateException("hookengine.*: " + e.getMessage(), e);
        }
    }

    @Bean
    WebhookEngineLifecycle webhookEngineLifecycle(WebhookEngine engine, HookengineProperties properties) {
        return new WebhookEngineLifecycle(engine, properties.isDeliver());
    }

    /**
     * The DataSource under the store, when it is known: the auto-configured store's own. A store the
     * application built says nothing of its DataSource (it may have a pool of its own on another
     * database), so for it {@code null}: a publish never joins a transaction that may be on another
     * database than the store's (its jobs would be written where no worker looks). An application that
     * wants its own store to join uses {@code WebhookEngineBuilder.ambientSink} with
     * {@link SpringTransactionSink}'s rule on its store's DataSource, or lets the starter build the store.
     */
    private static DataSource storeDataSource(JdbcWebhookStore store, AutoConfiguredJdbcStore autoConfigured) {
        return autoConfigured != null && autoConfigured.store() == store ? autoConfigured.dataSource() : null;
    }
}
