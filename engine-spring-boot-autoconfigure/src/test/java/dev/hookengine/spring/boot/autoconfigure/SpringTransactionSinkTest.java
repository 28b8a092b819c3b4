package dev.hookengine.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.testing.TestReceiver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which Spring transactions a publish joins, on a pool whose connections are not in auto-commit (so a
 * write nobody commits is rolled back when its connection goes back, as with Hikari's
 * {@code auto-commit=false}): a live one, yes; after its commit (where an {@code AFTER_COMMIT}
 * transactional event listener runs) or a read-only one, no: the publish is its own transaction
 * then, and its event exists.
 */
class SpringTransactionSinkTest {

    private static final String MASTER_KEY = AesGcmKeyCipher.generateBase64Key(new SecureRandom());

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    HookengineAutoConfiguration.class,
                    HookengineEngineAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader(org.flywaydb.core.Flyway.class))
            .withUserConfiguration(TransactionManager.class)
            .withPropertyValues(
                    "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.hikari.auto-commit=false",
                    "hookengine.master-key=" + MASTER_KEY,
                    "hookengine.deliver=false");

    @Test
    void aPublishInALiveTransactionCommitsWithItAndRollsBackWithIt() {
        context.run(run -> {
            WebhookEngine engine = run.getBean(WebhookEngine.class);
            WebhookConfig config = engine.createConfig("acme", config());
            TransactionTemplate transaction = new TransactionTemplate(run.getBean(PlatformTransactionManager.class));

            transaction.executeWithoutResult(status -> publish(engine, "kept"));
            transaction.executeWithoutResult(status -> {
                publish(engine, "dropped");
                status.setRollbackOnly();
            });

            assertThat(events(engine, config)).isEqualTo(1);
        });
    }

    @Test
    void aPublishAfterTheCommitIsItsOwnTransactionAndIsKept() {
        context.run(run -> {
            WebhookEngine engine = run.getBean(WebhookEngine.class);
            WebhookConfig config = engine.createConfig("acme", config());

            new TransactionTemplate(run.getBean(PlatformTransactionManager.class)).executeWithoutResult(status -> {
                // where Spring runs an AFTER_COMMIT @TransactionalEventListener: in afterCompletion,
                // the connection still bound, the transaction over
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int outcome) {
                        publish(engine, "after-commit");
                    }
                });
            });

            assertThat(events(engine, config)).as("published, and kept").isEqualTo(1);
        });
    }

    @Test
    void aPublishInAReadOnlyTransactionIsItsOwnTransaction() {
        context.run(run -> {
            WebhookEngine engine = run.getBean(WebhookEngine.class);
            WebhookConfig config = engine.createConfig("acme", config());
            TransactionTemplate readOnly = new TransactionTemplate(run.getBean(PlatformTransactionManager.class));
            readOnly.setReadOnly(true);

            readOnly.executeWithoutResult(status -> publish(engine, "from-a-read"));

            assertThat(events(engine, config)).isEqualTo(1);
        });
    }

    @Test
    void eachCommitWakesTheWorkersSoTheJobsDoNotWaitForThePoll() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            context.withPropertyValues(
                            "hookengine.deliver=true",
                            // an hour: only a commit's wake-up can deliver within the test
                            "hookengine.poll-interval=PT1H",
                            "hookengine.http.allow-addresses=127.0.0.1/32")
                    .run(run -> {
                        WebhookEngine engine = run.getBean(WebhookEngine.class);
                        engine.createConfig(
                                "acme",
                                config().toBuilder().url(receiver.url("/hooks")).build());
                        PlatformTransactionManager manager = run.getBean(PlatformTransactionManager.class);
                        TransactionTemplate transaction = new TransactionTemplate(manager);
                        TransactionTemplate requiresNew = new TransactionTemplate(manager);
                        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

                        transaction.executeWithoutResult(status -> {
                            publish(engine, "first");
                            publish(engine, "second");
                            // the workers' round at start is long over by the commit: they sleep for the hour
                            pause(Duration.ofMillis(500));
                        });
                        awaitReceived(receiver, 2, "the commit's wake-up");

                        transaction.executeWithoutResult(outer -> {
                            publish(engine, "outer");
                            requiresNew.executeWithoutResult(inner -> publish(engine, "inner"));
                            awaitReceived(receiver, 3, "the inner transaction's commit, the outer still open");
                        });
                        awaitReceived(receiver, 4, "the outer commit");
                        assertThat(TransactionSynchronizationManager.getResourceMap())
                                .as("nothing left bound to the thread")
                                .isEmpty();
                    });
        }
    }

    private static void awaitReceived(TestReceiver receiver, int count, String after) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (receiver.receivedCount() < count && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(10));
        }
        assertThat(receiver.receivedCount())
                .as("delivered after %s, not at the next poll an hour away", after)
                .isEqualTo(count);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void publish(WebhookEngine engine, String id) {
        engine.publish(DomainEvent.builder("acme", "order_created")
                .entity(JsonNodeFactory.instance.objectNode().put("_id", id))
                .build());
    }

    private static int events(WebhookEngine engine, WebhookConfig config) {
        return engine.getWebhookEventsV2("acme", config.id(), SearchOptions.firstPage())
                .data()
                .size();
    }

    private static WebhookConfig config() {
        return WebhookConfig.builder()
                .name("orders")
                .eventName("order_created")
                .url("https://shop.example.com/hooks")
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    static class TransactionManager {
        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }
}
