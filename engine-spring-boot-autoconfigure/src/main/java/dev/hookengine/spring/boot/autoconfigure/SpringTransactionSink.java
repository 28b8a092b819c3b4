package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.spi.EventSink;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The engine's ambient sink ({@code WebhookEngineBuilder.ambientSink}) in a Spring application: inside a
 * Spring-managed transaction on the store's own {@link DataSource}, a plain {@code engine.publish(event)}
 * writes its events and jobs through that transaction's connection
 * ({@link JdbcWebhookStore#inTransaction(java.sql.Connection)}), so they exist exactly when the
 * application's data commits, and not at all when it rolls back.
 *
 * <p>Anywhere else it answers none and the engine publishes in a transaction of its own: outside any
 * transaction, in a transaction without a real resource (propagation {@code SUPPORTS}), in a
 * transaction on another DataSource, whose commit would not be the store's, in a read-only one, and
 * after a commit (an {@code AFTER_COMMIT} transactional event listener), where no commit is to come.
 *
 * <p>Jobs written this way are claimed as soon as the transaction commits: a publish registers with
 * its transaction a synchronization whose {@code afterCommit} runs the wake-up given to
 * {@link #wakeAfterCommit} ({@code WebhookEngine::deliverSoon}), so the jobs do not wait for the
 * workers' next poll ({@code hookengine.poll-interval}). A rolled-back transaction wakes nothing.
 */
final class SpringTransactionSink implements Supplier<Optional<EventSink>> {

    private final JdbcWebhookStore store;
    private final DataSource dataSource;
    /** Run after a transaction that published through this sink commits; set once the engine exists. */
    private volatile Runnable afterCommit = () -> {};
    /** The one synchronization every publishing transaction registers: stateless, so shared. */
    private final TransactionSynchronization wakeOnCommit = new TransactionSynchronization() {
        @Override
        public void afterCommit() {
            afterCommit.run();
        }
    };

    SpringTransactionSink(JdbcWebhookStore store, DataSource dataSource) {
        this.store = store;
        this.dataSource = dataSource;
    }

    /** What to run after a transaction that published through this sink commits: the engine's wake-up. */
    void wakeAfterCommit(Runnable wake) {
        this.afterCommit = wake;
    }

    @Override
    public Optional<EventSink> get() {
        // A live transaction of the store's DataSource that will still commit: synchronization on (an
        // AFTER_COMMIT listener still sees "active" and the bound connection, but no synchronization),
        // the connection bound by its transaction manager, and not read-only (PostgreSQL refuses the
        // insert and the caller's transaction with it).
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.isCurrentTransactionReadOnly()
                || !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder)
                || !holder.isSynchronizedWithTransaction()) {
            return Optional.empty();
        }
        // The transaction's own connection, never a new one; one in auto-commit is no transaction to join.
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            if (connection.getAutoCommit()) {
                DataSourceUtils.releaseConnection(connection, dataSource);
                return Optional.empty();
            }
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            return Optional.empty();
        }
        // Spring keeps a transaction's synchronizations in a set: registered by every publish, the one
        // instance runs once per commit; it is suspended and resumed with its transaction, so a
        // REQUIRES_NEW transaction inside one that published registers it for its own commit too.
        TransactionSynchronizationManager.registerSynchronization(wakeOnCommit);
        return Optional.of(store.inTransaction(connection));
    }
}
