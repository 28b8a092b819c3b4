package dev.hookengine.store.jdbc;

import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.tck.WebhookStoreContract;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/** The whole storage contract on H2 2.x, a fresh in-memory database per test. */
class H2JdbcWebhookStoreTest extends WebhookStoreContract {

    /** A fixed test master key. */
    static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private JdbcConnectionPool pool;

    /** A pooled data source over a new, empty in-memory H2 database. */
    static JdbcConnectionPool freshDatabase() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(16);
        return pool;
    }

    /** Drops the in-memory database and closes the pool. */
    static void dropDatabase(JdbcConnectionPool pool) throws Exception {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } finally {
            pool.dispose();
        }
    }

    @Override
    protected WebhookStore newStore() {
        pool = freshDatabase();
        return JdbcWebhookStore.builder(pool)
                .keyCipher(AesGcmKeyCipher.ofBase64(MASTER_KEY))
                .build();
    }

    @Override
    protected void closeStore(WebhookStore store) throws Exception {
        super.closeStore(store);
        dropDatabase(pool);
    }
}
