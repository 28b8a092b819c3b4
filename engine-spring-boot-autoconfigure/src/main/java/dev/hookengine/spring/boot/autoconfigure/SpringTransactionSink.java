package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.spi.EventSink;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The engine's ambient sink ({@code WebhookEngineBuilder.ambientSink}) in a Spring application: inside a
 * Spring-managed transaction on the store's own {@link DataSource}, a plain {@code engine.publish(event)}
 * writes its events and jobs through that transaction's connection
 * ({@link JdbcWebhookStore#inTransaction(java.sql.Connection)}), so they exist exactly when the
 * application's data commits, and not at all when it rolls back.
 *
 * <p>Anywhere else it answers none and the engine publishes in a transaction of its own: outside any
 * transaction, in a transaction without a real resource (propagation {@code SUPPORTS}), or in a
 * transaction on another DataSource, whose commit would not be the store's.
 *
 * <p>Jobs written this way are picked up by the delivery workers' next poll after the commit
 * ({@code hookengine.poll-interval}, 200 ms by default): the engine has no public way to wake its poller,
 * and its own publishes wake it only for jobs it wrote itself.
 */
final class SpringTransactionSink implements Supplier<Optional<EventSink>> {

    private final JdbcWebhookStore store;
    private final DataSource dataSource;

    SpringTransactionSink(JdbcWebhookStore store, DataSource dataSource) {
        this.store = store;
        this.dataSource = dataSource;
    }

    @Override
    public Optional<EventSink> get() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || TransactionSynchronizationManager.getResource(dataSource) == null) {
            return Optional.empty();
        }
        // The transaction's own connection (bound by its transaction manager), never a new one.
        return Optional.of(store.inTransaction(DataSourceUtils.getConnection(dataSource)));
    }
}
