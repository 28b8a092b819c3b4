package dev.hookengine.store.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookengine.spi.KeyCipher;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Options of a {@link JdbcWebhookStore}, from {@link JdbcWebhookStore#builder(DataSource)} or
 * {@link JdbcWebhookStore#builder(String, String, String)}. Required: {@link #keyCipher}. Defaults:
 * {@link #DEFAULT_TABLE_PREFIX}, {@link #DEFAULT_MIGRATE}, the dialect detected from the
 * {@link DataSource}'s metadata.
 *
 * <p>{@link #build()} validates the options and assembles the store from its parts, one per SPI
 * interface over one jOOQ context, then readies the database: H2 told to write commits at once, the
 * schema applied ({@link SchemaMigrator}), and, for a {@link #soleProcess} store, the leases of a dead
 * process released.
 */
public final class JdbcWebhookStoreBuilder {

    // Under the store's name, as before the builder had a class of its own: operators' log filters know it.
    private static final Logger LOG = LoggerFactory.getLogger(JdbcWebhookStore.class);

    /** The table prefix unless one is chosen. */
    public static final String DEFAULT_TABLE_PREFIX = "hookengine_";

    /** Whether {@link #build()} applies the schema unless told otherwise. */
    public static final boolean DEFAULT_MIGRATE = true;

    /** Connections in the pool a store makes from a JDBC URL, unless chosen. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** How long a statement waits for a connection from the store's own pool, unless chosen. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,30}");

    private final DataSource dataSource;
    private final Credentials credentials;
    private KeyCipher keyCipher;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private boolean migrate = DEFAULT_MIGRATE;
    private Dialect dialect;
    private int poolSize = DEFAULT_POOL_SIZE;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private boolean soleProcess;

    JdbcWebhookStoreBuilder(DataSource dataSource, Credentials credentials) {
        this.dataSource = dataSource;
        this.credentials = credentials;
    }

    /** Encrypts secrets at rest; required. Usually {@code AesGcmKeyCipher.ofBase64(masterKey)}. */
    public JdbcWebhookStoreBuilder keyCipher(KeyCipher keyCipher) {
        this.keyCipher = Objects.requireNonNull(keyCipher, "keyCipher");
        return this;
    }

    /**
     * Prefix of every table, index and sequence name: a letter or underscore, then letters, digits or
     * underscores, at most 31 characters. Default {@value #DEFAULT_TABLE_PREFIX}.
     */
    public JdbcWebhookStoreBuilder tablePrefix(String tablePrefix) {
        this.tablePrefix = Objects.requireNonNull(tablePrefix, "tablePrefix");
        return this;
    }

    /** Whether {@link #build()} applies the schema scripts not applied yet; default {@code true}. */
    public JdbcWebhookStoreBuilder migrate(boolean migrate) {
        this.migrate = migrate;
        return this;
    }

    /** The database dialect; by default detected from the {@link DataSource}'s metadata. */
    public JdbcWebhookStoreBuilder dialect(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return this;
    }

    /**
     * Connections in the pool the store makes (only with a JDBC URL); default
     * {@value #DEFAULT_POOL_SIZE}. Every delivery thread and publishing thread holds one
     * for the length of a statement or transaction, never across an HTTP request.
     */
    public JdbcWebhookStoreBuilder poolSize(int poolSize) {
        this.poolSize = poolSize;
        return this;
    }

    /**
     * How long a statement waits for a free pooled connection, or for the database to accept one,
     * before failing (only with a JDBC URL); default {@link #DEFAULT_CONNECTION_TIMEOUT}.
     * While the database is down, delivery rounds fail after this long and the next round tries again.
     */
    public JdbcWebhookStoreBuilder connectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        return this;
    }

    /**
     * Declares that this store's process is the only one using the database, as with an embedded
     * H2 file, which H2 locks to one process. Every lease found at {@link #build()} then belongs to
     * a process that died holding it, and is released at once: its jobs are delivered as soon as
     * the engine starts, not one lease later. Default {@code false}. Never set it on a database
     * that several engine processes share: another live node's jobs would be sent twice.
     */
    public JdbcWebhookStoreBuilder soleProcess(boolean soleProcess) {
        this.soleProcess = soleProcess;
        return this;
    }

    /**
     * Validates the options, makes the pool when built from a JDBC URL, detects the dialect when none
     * was set (opening one connection), applies the schema when {@code migrate} is on, and returns the
     * store.
     *
     * @throws IllegalArgumentException when an option is invalid or the key cipher is missing
     * @throws IllegalStateException    when the database cannot be reached or is not supported
     */
    public JdbcWebhookStore build() {
        if (keyCipher == null) {
            throw new IllegalArgumentException(
                    "keyCipher is required: secrets are encrypted at rest (AesGcmKeyCipher.ofBase64(masterKey))");
        }
        if (!PREFIX.matcher(tablePrefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must be a letter or underscore followed by letters, "
                    + "digits or underscores, at most 31 characters: '" + tablePrefix + "'");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException(
                    "connectionTimeout must be at least 250 ms (HikariCP's minimum): " + connectionTimeout);
        }
        HikariDataSource pool = credentials == null ? null : credentials.pool(poolSize, connectionTimeout);
        try {
            DataSource source = pool != null ? pool : new AutoCommitDataSource(dataSource);
            Dialect chosen = dialect != null ? dialect : Dialect.detect(source);
            JdbcTables tables = new JdbcTables(tablePrefix);
            Settings settings = new Settings().withExecuteLogging(false).withRenderSchema(false);
            DSLContext ctx = DSL.using(source, chosen.jooq(), settings);
            SecretSealer sealer = new SecretSealer(keyCipher);
            ObjectMapper mapper = new ObjectMapper();
            PostgresHotPath postgres = chosen == Dialect.POSTGRESQL ? new PostgresHotPath(ctx, tables) : null;
            JdbcEvents events = new JdbcEvents(ctx, tables, mapper, postgres);
            JdbcRatePermits permits = new JdbcRatePermits(ctx, tables, chosen);
            JdbcQueue queue = new JdbcQueue(ctx, tables, events, postgres, permits);
            JdbcWebhookStore store = new JdbcWebhookStore(
                    new JdbcConfigs(ctx, tables, sealer, mapper, permits),
                    events,
                    queue,
                    new JdbcSigningKeys(ctx, tables, sealer),
                    new JdbcVariables(ctx, tables, sealer),
                    new JdbcOutbox(chosen, settings, tables, events),
                    chosen,
                    tablePrefix,
                    pool);
            if (chosen == Dialect.H2) {
                flushCommitsAtOnce(ctx);
            }
            if (migrate) {
                new SchemaMigrator(ctx, tables, chosen.scriptLocation()).migrate(System.currentTimeMillis());
            }
            int released = soleProcess ? queue.releaseEveryLease() : 0;
            LOG.info(
                    "JdbcWebhookStore ready: dialect {}, table prefix {}, migrate {}, key cipher {}, {}{}",
                    chosen,
                    tablePrefix,
                    migrate,
                    keyCipher,
                    pool == null ? "caller's DataSource" : "own pool of " + poolSize + " connections",
                    soleProcess ? ", sole process (" + released + " leases of a dead process released)" : "");
            return store;
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
    }

    /**
     * Makes H2 write every commit to its file before the commit returns. By default H2 writes
     * committed transactions up to {@code WRITE_DELAY} (500 ms) later, so a process killed right
     * after a commit loses it, after the engine has reported the write as done. The setting is the
     * database's and persists in it. H2 still does not {@code fsync} each commit: a power loss or an
     * operating-system crash can lose the last writes; a killed process cannot.
     *
     * @throws IllegalStateException when the database refuses (the user is not an H2 admin)
     */
    private static void flushCommitsAtOnce(DSLContext ctx) {
        try {
            ctx.execute("SET WRITE_DELAY 0");
        } catch (DataAccessException e) {
            throw new IllegalStateException(
                    "cannot make H2 write commits at once (SET WRITE_DELAY 0 needs an "
                            + "admin user; or add ;WRITE_DELAY=0 to the URL as an admin once): " + e.getMessage(),
                    e);
        }
    }

    /** Where the store's own pool connects; {@link #toString()} leaves the password out. */
    record Credentials(String jdbcUrl, String username, String password) {

        HikariDataSource pool(int size, Duration connectionTimeout) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("hookengine");
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(size);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            // Fail later, in the first statement, rather than here: a node may start before its
            // database and must then come up once the database does.
            config.setInitializationFailTimeout(-1);
            return new HikariDataSource(config);
        }

        @Override
        public String toString() {
            // A password may also sit in the URL's parameters (PostgreSQL ?password=, H2 ;PASSWORD=).
            return "Credentials[" + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***") + ", " + username + "]";
        }
    }
}
