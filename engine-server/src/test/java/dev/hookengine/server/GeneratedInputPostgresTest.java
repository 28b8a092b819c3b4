package dev.hookengine.server;

import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link GeneratedInputProperties} on PostgreSQL, where text the database cannot keep (a NUL in an
 * id) used to end in a 500. One embedded PostgreSQL for the class; each property its own tables.
 *
 * <p>300 requests per operation: each costs PostgreSQL round trips for the reads before and after
 * it, and the in-memory run makes the thousand.
 */
@PropertyDefaults(tries = 300)
class GeneratedInputPostgresTest extends GeneratedInputProperties {

    private static final byte[] MASTER_KEY = new byte[32];
    /** Started once for the class's properties: a PostgreSQL takes seconds, tables milliseconds. */
    private static EmbeddedPostgres postgres;

    @BeforeContainer
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterContainer
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    WebhookStore newStore() {
        return JdbcWebhookStore.builder(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")
                .poolSize(4)
                .keyCipher(AesGcmKeyCipher.of(MASTER_KEY))
                .tablePrefix("p" + Long.toString(System.nanoTime(), 36) + "_")
                .build();
    }
}
