package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures a {@link WebhookEngine} from what the application has: its {@link DataSource} for the
 * JDBC store (no second pool), its {@link MeterRegistry} for the engine's meters, its {@link Clock} if it
 * defines one; the Jetty transport for deliveries; the in-memory store only with
 * {@code hookengine.store=memory}. Each bean backs off when the application defines its own
 * ({@link WebhookStore}, {@link HttpTransport}, {@link WebhookEngine}).
 *
 * <p>This one makes the store and the transport; {@link HookengineEngineAutoConfiguration} the engine
 * and its lifecycle, {@link HookengineHealthAutoConfiguration} its health component. Three classes so
 * that each step's conditions see the beans of the one before. With Flyway, the store's schema runs as
 * Flyway migrations of their own ({@link FlywaySchema}).
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(WebhookEngine.class)
@EnableConfigurationProperties(HookengineProperties.class)
public class HookengineAutoConfiguration {

    /** The JDBC store on the application's DataSource: the default. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "hookengine.store", havingValue = "jdbc", matchIfMissing = true)
    @ConditionalOnBean(DataSource.class)
    static class JdbcStoreConfiguration {

        /** The store with the DataSource it was built on, which the engine's publishes may join. */
        @Bean
        @ConditionalOnMissingBean(WebhookStore.class)
        @DependsOnDatabaseInitialization // after the application's Flyway, whose fresh schema must be empty
        AutoConfiguredJdbcStore hookengineJdbcStore(
                DataSource dataSource, HookengineProperties properties, ObjectProvider<FlywaySchema> flyway) {
            return new AutoConfiguredJdbcStore(jdbcStore(dataSource, properties, flyway), dataSource);
        }

        @Bean
        @ConditionalOnMissingBean(WebhookStore.class)
        @DependsOnDatabaseInitialization
        JdbcWebhookStore webhookStore(AutoConfiguredJdbcStore store) {
            return store.store();
        }

        private static JdbcWebhookStore jdbcStore(
                DataSource dataSource, HookengineProperties properties, ObjectProvider<FlywaySchema> flyway) {
            HookengineProperties.Jdbc jdbc = properties.getJdbc();
            FlywaySchema flywaySchema = flyway.getIfAvailable();
            JdbcWebhookStore store = JdbcWebhookStore.builder(dataSource)
                    .keyCipher(keyCipher(properties.getMasterKey()))
                    .tablePrefix(jdbc.getTablePrefix())
                    .migrate(flywaySchema == null && jdbc.isMigrate())
                    .build();
            if (flywaySchema != null) {
                flywaySchema.migrate(store.dialect());
            }
            return store;
        }

        /** The master key's errors name the property and never show the key. */
        private static AesGcmKeyCipher keyCipher(String masterKey) {
            if (masterKey == null || masterKey.isBlank()) {
                throw new IllegalStateException("hookengine.master-key is required with the JDBC store: base64 of "
                        + AesGcmKeyCipher.KEY_BYTES + " random bytes (or set hookengine.store=memory)");
            }
            try {
                return AesGcmKeyCipher.ofBase64(masterKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("hookengine.master-key is invalid: " + e.getMessage());
            }
        }
    }

    /** The store's schema as Flyway migrations, when the application uses Flyway. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flyway.class)
    @ConditionalOnBean({Flyway.class, DataSource.class})
    // Both on: hookengine.jdbc.migrate=false means no DDL at all, by the store or by Flyway.
    @ConditionalOnProperty(
            prefix = "hookengine.jdbc",
            name = {"flyway", "migrate"},
            havingValue = "true",
            matchIfMissing = true)
    static class FlywaySchemaConfiguration {

        @Bean
        FlywaySchema hookengineFlywaySchema(DataSource dataSource, HookengineProperties properties) {
            return new FlywaySchema(dataSource, properties.getJdbc().getTablePrefix());
        }
    }

    @Bean
    @ConditionalOnMissingBean(WebhookStore.class)
    @ConditionalOnProperty(name = "hookengine.store", havingValue = "memory")
    InMemoryWebhookStore webhookStore() {
        return new InMemoryWebhookStore();
    }

    @Bean
    @ConditionalOnMissingBean(HttpTransport.class)
    JettyHttpTransport httpTransport(HookengineProperties properties) {
        HookengineProperties.Http http = properties.getHttp();
        JettyHttpTransport.Builder transport =
                JettyHttpTransport.builder().allowPrivateTargets(http.isAllowPrivateTargets());
        try {
            transport.allowAddresses(http.getAllowAddresses().toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("hookengine.http.allow-addresses: " + e.getMessage(), e);
        }
        return transport.build();
    }
}
