package dev.hookengine.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.server.Authenticator;
import dev.hookengine.server.WebhookServer;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auto-configuration in a real application context ({@link ApplicationContextRunner}): which beans it
 * makes from what the application has, how each backs off, what a bad property does, the health
 * component, the meters and the Flyway path. H2 in memory stands for the application's database here;
 * the example application's tests run on PostgreSQL.
 */
class HookengineAutoConfigurationTest {

    private static final Class<?>[] HOOKENGINE = {
        HookengineAutoConfiguration.class,
        HookengineEngineAutoConfiguration.class,
        HookengineHealthAutoConfiguration.class,
        HookengineServerAutoConfiguration.class
    };

    private static final String MASTER_KEY = AesGcmKeyCipher.generateBase64Key(new SecureRandom());

    private final ApplicationContextRunner memory = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HOOKENGINE))
            // Producer-only nodes: these tests check the wiring, and a delivering node would lease the jobs
            // they count (and resolve the configs' example.com hosts).
            .withPropertyValues("hookengine.store=memory", "hookengine.deliver=false");

    private final ApplicationContextRunner jdbc = new ApplicationContextRunner()
            .withConfiguration(hookengineAnd(DataSourceAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader(org.flywaydb.core.Flyway.class))
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "hookengine.master-key=" + MASTER_KEY,
                    "hookengine.deliver=false");

    @Test
    void jdbcStoreOnTheApplicationsDataSourceWithJettyTransport() {
        jdbc.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WebhookEngine.class);
            assertThat(context.getBean(WebhookStore.class)).isInstanceOf(JdbcWebhookStore.class);
            assertThat(context.getBean(HttpTransport.class)).isInstanceOf(JettyHttpTransport.class);
            // The store's schema is in the application's own database: no second pool, no second database.
            Integer tables = new JdbcTemplate(context.getBean(DataSource.class))
                    .queryForObject(
                            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'hookengine_jobs'",
                            Integer.class);
            assertThat(tables).isEqualTo(1);
        });
    }

    @Test
    void memoryStoreOnlyWhenAskedFor() {
        memory.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WebhookStore.class)).isInstanceOf(InMemoryWebhookStore.class);
            assertThat(context).hasSingleBean(WebhookEngine.class);
        });
        // Neither a DataSource nor memory: no store, so no engine (and no failure).
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HOOKENGINE))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(WebhookStore.class);
                    assertThat(context).doesNotHaveBean(WebhookEngine.class);
                });
    }

    @Test
    void applicationsStoreReplacesTheDefault() {
        InMemoryWebhookStore own = new InMemoryWebhookStore();
        jdbc.withBean("ownStore", WebhookStore.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WebhookStore.class);
            assertThat(context.getBean(WebhookStore.class)).isSameAs(own);
            WebhookEngine engine = context.getBean(WebhookEngine.class);
            engine.createConfig("acme", config());
            assertThat(own.listConfigs("acme", "order_created")).hasSize(1);
        });
    }

    @Test
    void applicationsTransportAndEngineReplaceTheDefaults() {
        memory.withBean(
                        "ownTransport",
                        HttpTransport.class,
                        () -> JettyHttpTransport.builder().build())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(HttpTransport.class);
                    assertThat(context).hasBean("ownTransport");
                    assertThat(context).doesNotHaveBean("httpTransport");
                });
        memory.withBean(
                        "ownEngine",
                        WebhookEngine.class,
                        () -> WebhookEngine.builder()
                                .store(new InMemoryWebhookStore())
                                .build())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(WebhookEngine.class);
                    assertThat(context).hasBean("ownEngine");
                });
    }

    @Test
    void propertiesReachTheEngine() {
        memory.withPropertyValues(
                        "hookengine.delivery-threads=3",
                        "hookengine.delivery-batch-size=7",
                        "hookengine.poll-interval=50ms",
                        "hookengine.attempt-deadline=4s",
                        "hookengine.event-retention=3d",
                        "hookengine.idempotency-window=2h",
                        "hookengine.auto-disable.period=0s",
                        "hookengine.auto-disable.min-attempts=4",
                        "hookengine.circuit-breaker.failure-threshold=9",
                        "hookengine.signing-key-issuer=shop")
                .run(context -> {
                    var config = context.getBean(WebhookEngine.class).config();
                    assertThat(config.deliveryThreads()).isEqualTo(3);
                    assertThat(config.deliveryBatchSize()).isEqualTo(7);
                    assertThat(config.pollInterval()).hasMillis(50);
                    assertThat(config.attemptDeadline()).hasSeconds(4);
                    assertThat(config.eventRetention()).hasDays(3);
                    assertThat(config.idempotencyWindow()).hasHours(2);
                    assertThat(config.autoDisablePeriod()).isZero();
                    assertThat(config.autoDisableMinAttempts()).isEqualTo(4);
                    assertThat(config.breakerFailureThreshold()).isEqualTo(9);
                    assertThat(config.signingKeyIssuer()).isEqualTo("shop");
                });
    }

    @Test
    void badValueFailsStartUpNamingTheProperty() {
        for (String[] bad : List.of(
                new String[] {"hookengine.delivery-threads=0", "hookengine.delivery-threads"},
                new String[] {"hookengine.poll-interval=0s", "hookengine.poll-interval"},
                new String[] {"hookengine.attempt-deadline=-1s", "hookengine.attempt-deadline"},
                new String[] {"hookengine.auto-disable.min-attempts=0", "hookengine.auto-disable.min-attempts"},
                new String[] {"hookengine.jdbc.table-prefix=1-bad", "hookengine.jdbc.table-prefix"},
                new String[] {"hookengine.http.allow-addresses=not-an-address", "hookengine.http.allow-addresses"})) {
            memory.withPropertyValues(bad[0]).run(context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure())).as(bad[0]).contains(bad[1]);
            });
        }
    }

    @Test
    void missingOrBadMasterKeyFailsNamingItWithoutShowingIt() {
        new ApplicationContextRunner()
                .withConfiguration(hookengineAnd(DataSourceAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(org.flywaydb.core.Flyway.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure())).contains("hookengine.master-key is required");
                });
        String badKey = "c2VjcmV0LWJ1dC10b28tc2hvcnQ=";
        jdbc.withPropertyValues("hookengine.master-key=" + badKey).run(context -> {
            assertThat(context).hasFailed();
            String messages = messages(context.getStartupFailure());
            assertThat(messages).contains("hookengine.master-key is invalid");
            assertThat(messages).doesNotContain(badKey);
        });
    }

    @Test
    void engineMetersGoToTheApplicationsRegistryAndItsClockIsUsed() {
        Clock fixed = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
        memory.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(Clock.class, () -> fixed)
                .run(context -> {
                    WebhookEngine engine = context.getBean(WebhookEngine.class);
                    assertThat(engine.config().clock()).isSameAs(fixed);
                    engine.createConfig("acme", config());
                    engine.publish(DomainEvent.builder("acme", "order_created")
                            .entity(JsonNodeFactory.instance.objectNode().put("_id", "ord-1"))
                            .build());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.getMeters())
                            .extracting(meter -> meter.getId().getName())
                            .anyMatch(name -> name.startsWith("hookengine."));
                });
    }

    @Test
    void healthIsUpWithQueueDetailsAndDownWhenTheStoreFails() {
        jdbc.run(context -> {
            WebhookEngine engine = context.getBean(WebhookEngine.class);
            engine.createConfig("acme", config());
            engine.publish(DomainEvent.builder("acme", "order_created")
                    .entity(JsonNodeFactory.instance.objectNode().put("_id", "ord-1"))
                    .build());
            HealthIndicator indicator = context.getBean("hookengineHealthIndicator", HealthIndicator.class);
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("depth", 1L).containsEntry("due", 1L);
            assertThat(up.getDetails()).containsKeys("oldestDueAt", "lag");

            ((HikariDataSource) context.getBean(DataSource.class)).close(); // the database out of reach
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsKey("error");
        });
    }

    @Test
    void withFlywayTheSchemaRunsAsFlywayMigrationsOfItsOwnOnce() {
        new ApplicationContextRunner()
                .withConfiguration(hookengineAnd(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "hookengine.master-key=" + MASTER_KEY)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasBean("hookengineFlywaySchema");
                    JdbcTemplate sql = new JdbcTemplate(context.getBean(DataSource.class));
                    List<String> versions = sql.queryForList(
                            "SELECT \"version\" FROM \"hookengine_schema_history\" WHERE \"success\" = TRUE"
                                    + " AND \"type\" = 'SQL' ORDER BY \"installed_rank\"",
                            String.class);
                    assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
                    // The store's own migrator did not run as well.
                    Integer ownHistory = sql.queryForObject(
                            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                                    + " WHERE LOWER(TABLE_NAME) = 'hookengine_schema_version'",
                            Integer.class);
                    assertThat(ownHistory).isZero();
                    // The schema works: a config round-trips through the store.
                    WebhookEngine engine = context.getBean(WebhookEngine.class);
                    engine.createConfig("acme", config());
                    assertThat(engine.getConfigs("acme", "order_created")).hasSize(1);
                });
    }

    @Test
    void restApiServedOnlyWhenEnabledAndWithTheApplicationsAuthenticator() {
        ApplicationContextRunner server = memory.withPropertyValues(
                "hookengine.server.enabled=true", "hookengine.server.host=127.0.0.1", "hookengine.server.port=0");
        server.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(WebhookServer.class); // no Authenticator: not served
        });
        memory.withBean(Authenticator.class, () -> Authenticator.ofTokens(Map.of("t0ken", "acme")))
                .run(context -> assertThat(context).doesNotHaveBean(WebhookServer.class)); // not enabled
        server.withBean(Authenticator.class, () -> Authenticator.ofTokens(Map.of("t0ken", "acme")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(WebhookEngine.class).createConfig("acme", config());
                    URI configs = URI.create("http://127.0.0.1:"
                            + context.getBean(WebhookServer.class).port() + "/v1/webhooks/configs");
                    HttpClient http = HttpClient.newHttpClient();
                    HttpResponse<String> refused =
                            http.send(HttpRequest.newBuilder(configs).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(refused.statusCode()).isEqualTo(401);
                    HttpResponse<String> listed = http.send(
                            HttpRequest.newBuilder(configs)
                                    .header("Authorization", "Bearer t0ken")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(listed.statusCode()).isEqualTo(200);
                    assertThat(listed.body()).contains("order_created");
                });
    }

    @Test
    void publishNeverJoinsATransactionOnAnotherDataSourceThanTheStores() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HOOKENGINE))
                .withUserConfiguration(StoreOnASecondDataSource.class)
                .withPropertyValues("hookengine.master-key=" + MASTER_KEY)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookEngine engine = context.getBean(WebhookEngine.class);
                    WebhookConfig config = engine.createConfig("acme", config());
                    new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
                            .executeWithoutResult(transaction -> {
                                engine.publish(DomainEvent.builder("acme", "order_created")
                                        .entity(JsonNodeFactory.instance
                                                .objectNode()
                                                .put("_id", "ord-1"))
                                        .build());
                                transaction.setRollbackOnly();
                            });
                    // Written in the store's own database, apart from the application's rolled-back one.
                    assertThat(engine.getWebhookEventsV2("acme", config.id(), SearchOptions.firstPage())
                                    .data())
                            .hasSize(1);
                });
    }

    /** The application's primary DataSource with its transactions, and a store of its own on a second one. */
    @Configuration(proxyBeanMethods = false)
    static class StoreOnASecondDataSource {

        @Bean
        @Primary
        DataSource appDataSource() {
            return new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        }

        @Bean
        DataSource webhooksDataSource() {
            return new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        }

        @Bean
        JdbcWebhookStore webhooksStore(@Qualifier("webhooksDataSource") DataSource webhooks) {
            return JdbcWebhookStore.builder(webhooks)
                    .keyCipher(AesGcmKeyCipher.ofBase64(MASTER_KEY))
                    .build();
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource app) {
            return new DataSourceTransactionManager(app);
        }
    }

    private static WebhookConfig config() {
        return WebhookConfig.builder()
                .name("orders")
                .eventName("order_created")
                .url("https://shop.example.com/hooks")
                .build();
    }

    private static AutoConfigurations hookengineAnd(Class<?>... others) {
        List<Class<?>> classes = new java.util.ArrayList<>(List.of(others));
        classes.addAll(List.of(HOOKENGINE));
        return AutoConfigurations.of(classes.toArray(Class<?>[]::new));
    }

    /** Every message of the failure's cause chain, one per line. */
    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
