package dev.hookengine.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The caller's {@link DataSource} as the store uses it: every connection it takes is in auto-commit.
 * The store writes single statements as their own transactions and opens a transaction explicitly
 * where it needs one (jOOQ's {@code transactionResult}, {@code PostgresHotPath}); on a pool whose
 * connections start outside auto-commit (Hikari's {@code autoCommit=false}, common beside Hibernate),
 * a single write would otherwise never be committed, and the pool would roll it back when the
 * connection went back: a config created, answered, and gone. The pool restores its own default when
 * the connection returns.
 *
 * <p>So the caller's DataSource must hand out plain pooled connections, not ones bound to a transaction
 * of the caller's (such as Spring's {@code TransactionAwareDataSourceProxy}): to write in the caller's
 * transaction there is {@link JdbcWebhookStore#inTransaction(Connection)}.
 */
final class AutoCommitDataSource implements DataSource {

    private final DataSource delegate;

    AutoCommitDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return autoCommitting(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return autoCommitting(delegate.getConnection(username, password));
    }

    private static Connection autoCommitting(Connection connection) throws SQLException {
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
