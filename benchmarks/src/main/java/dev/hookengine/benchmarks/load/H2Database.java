package dev.hookengine.benchmarks.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded H2 file database for the load runs, as the standalone server uses by default, with a
 * HikariCP pool in front of it.
 *
 * <p>The store makes H2 write each commit to its file before the commit returns ({@code WRITE_DELAY
 * 0}), so that a killed process loses no acknowledged write. {@code writeDelayMillis} above 0 sets
 * H2's delay back after the store was built, to measure what that durability costs against H2's
 * default (500 ms), which the engine used before.
 */
final class H2Database implements AutoCloseable {

    private final Path directory;
    private final HikariDataSource pool;
    private final int writeDelayMillis;
    private final String masterKey = AesGcmKeyCipher.generateBase64Key(new SecureRandom());

    private H2Database(Path directory, HikariDataSource pool, int writeDelayMillis) {
        this.directory = directory;
        this.pool = pool;
        this.writeDelayMillis = writeDelayMillis;
    }

    /** A new database file in a temporary directory, behind a pool of {@code poolSize} connections. */
    static H2Database start(int poolSize, int writeDelayMillis) throws IOException {
        Path directory = Files.createTempDirectory("hookengine-load-h2");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + directory.resolve("hookengine") + ";DB_CLOSE_ON_EXIT=FALSE");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("load-h2");
        return new H2Database(directory, new HikariDataSource(config), writeDelayMillis);
    }

    /** A store on tables of its own under {@code tablePrefix}, created now. */
    JdbcWebhookStore newStore(String tablePrefix) {
        JdbcWebhookStore store = JdbcWebhookStore.builder(pool)
                .keyCipher(AesGcmKeyCipher.ofBase64(masterKey))
                .tablePrefix(tablePrefix)
                .build();
        if (writeDelayMillis > 0) {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SET WRITE_DELAY " + writeDelayMillis);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot set H2's WRITE_DELAY", e);
            }
        }
        return store;
    }

    @Override
    public void close() {
        pool.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException leftOver) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
