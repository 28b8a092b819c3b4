package dev.hookengine.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.hookengine.spi.ClaimedDelivery;
import dev.hookengine.spi.EventSink;
import dev.hookengine.spi.KeyCipher;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.support.ComposedWebhookStore;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * A {@link WebhookStore} in a relational database through JDBC: H2 2.x (embedded) and PostgreSQL
 * 12+ (production). Several engine nodes may share one database: that is how hookengine scales out.
 *
 * <pre>{@code
 * JdbcWebhookStore store = JdbcWebhookStore.builder(dataSource)   // or builder(jdbcUrl, user, password): own pool
 *     .keyCipher(AesGcmKeyCipher.ofBase64(masterKey))   // required
 *     .tablePrefix("hookengine_")                        // default
 *     .migrate(true)                                     // default: apply the schema scripts on build()
 *     .build();
 * }</pre>
 *
 * <p>{@link #inTransaction(Connection)} and {@link #inTransaction(DSLContext)} bind the store to a
 * transaction the caller holds (the transactional outbox), so that
 * {@link dev.hookengine.WebhookEngine#publish(dev.hookengine.DomainEvent, EventSink)} writes the events
 * and their delivery jobs together with the caller's business data: both commit, or neither.
 *
 * <p>This class is the store's face; each concern has a class of its own in this package:
 * <ul>
 *   <li>options, the pool, dialect detection and the start-up steps: {@link JdbcWebhookStoreBuilder},
 *       {@link Dialect}; the versioned schema scripts: {@code SchemaMigrator};</li>
 *   <li>one part per SPI interface: {@code JdbcConfigs}, {@code JdbcEvents}, {@code JdbcQueue} (claims
 *       with {@code FOR UPDATE SKIP LOCKED} under leases, outcomes in one transaction; its rate permits
 *       in {@code JdbcRatePermits}),
 *       {@code JdbcSigningKeys} and {@code JdbcVariables}; the outbox: {@code JdbcOutbox};</li>
 *   <li>secrets at rest, sealed with the {@link KeyCipher} and bound to their row:
 *       {@code SecretSealer};</li>
 *   <li>tables declared for jOOQ without code generation, timestamps as epoch milliseconds,
 *       identifiers in binary order: {@code JdbcTables}.</li>
 * </ul>
 *
 * <p>Thread-safe. Built over the caller's {@link DataSource}, the store does not own it: pool it
 * (HikariCP, or the database's own pool) and close it yourself. Built from a JDBC URL, the store makes
 * a HikariCP pool and {@link #close()} closes it.
 */
public final class JdbcWebhookStore extends ComposedWebhookStore implements AutoCloseable {

    private final JdbcQueue queue;
    private final JdbcOutbox outbox;
    private final Dialect dialect;
    private final String tablePrefix;
    private final HikariDataSource ownPool;

    /** A store of these parts; {@link JdbcWebhookStoreBuilder#build()} makes them. */
    JdbcWebhookStore(
            JdbcConfigs configs,
            JdbcEvents events,
            JdbcQueue queue,
            JdbcSigningKeys signingKeys,
            JdbcVariables variables,
            JdbcOutbox outbox,
            Dialect dialect,
            String tablePrefix,
            HikariDataSource ownPool) {
        super(configs, events, queue, signingKeys, variables);
        this.queue = queue;
        this.outbox = outbox;
        this.dialect = dialect;
        this.tablePrefix = tablePrefix;
        this.ownPool = ownPool;
    }

    /** A builder over {@code dataSource}, which the store uses and never closes. */
    public static JdbcWebhookStoreBuilder builder(DataSource dataSource) {
        return new JdbcWebhookStoreBuilder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * A builder for a store that makes its own HikariCP pool to the database at {@code jdbcUrl}
     * ({@code jdbc:postgresql://host/db} or {@code jdbc:h2:...}), sized by
     * {@link JdbcWebhookStoreBuilder#poolSize}, and closes it on {@link #close()}. The password is
     * handed to the driver and never logged.
     */
    public static JdbcWebhookStoreBuilder builder(String jdbcUrl, String username, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException(
                    "jdbcUrl must start with 'jdbc:', such as jdbc:postgresql://host:5432/db");
        }
        return new JdbcWebhookStoreBuilder(null, new JdbcWebhookStoreBuilder.Credentials(jdbcUrl, username, password));
    }

    /** The dialect in use, chosen or detected. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * A sink that appends events and their jobs through the caller's own open transaction on
     * {@code connection}, for {@link dev.hookengine.WebhookEngine#publish(dev.hookengine.DomainEvent, EventSink)}:
     * the transactional outbox. They exist exactly when the caller commits; the sink never commits,
     * rolls back or closes the connection. The connection must reach this store's database and have
     * auto-commit off.
     *
     * <p>Appending checks for an existing event id and queued job ids before inserting, rather than
     * relying on a failed insert, because on PostgreSQL a failed statement aborts the caller's whole
     * transaction.
     *
     * @throws IllegalStateException from {@code appendEvent}, when the connection is in auto-commit mode
     */
    public EventSink inTransaction(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        return outbox.on(connection);
    }

    /**
     * Like {@link #inTransaction(Connection)}, for a caller on jOOQ: {@code dsl} is the context of the
     * caller's transaction (inside {@code dsl.transaction(cfg -> ...)}, pass {@code cfg.dsl()}). Its
     * connection is used with this store's dialect and settings.
     */
    public EventSink inTransaction(DSLContext dsl) {
        Objects.requireNonNull(dsl, "dsl");
        return outbox.on(dsl);
    }

    /** On PostgreSQL, one statement: the claim and its events' reads in one round trip. */
    @Override
    public List<ClaimedDelivery> claimDeliveries(Instant now, int max, Duration lease, String nodeId) {
        return queue.claimDeliveries(now, max, lease, nodeId)
                .orElseGet(() -> super.claimDeliveries(now, max, lease, nodeId));
    }

    /**
     * Closes the pool the store made ({@link #builder(String, String, String)}); a store built over the
     * caller's {@link DataSource} releases nothing, the data source being the caller's.
     */
    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcWebhookStore[" + dialect + ", prefix " + tablePrefix + "]";
    }

    /** The claim's SELECT as SQL with its values inlined, for {@code EXPLAIN} in tests and by operators. */
    String claimSql(Instant now, int max) {
        return queue.claimSql(now, max);
    }

    /** The name the store gives {@code table} under its prefix, for tests. */
    String tableName(String table) {
        return tablePrefix + table;
    }
}
