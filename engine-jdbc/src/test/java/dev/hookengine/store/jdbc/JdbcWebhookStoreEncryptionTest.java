package dev.hookengine.store.jdbc;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static dev.hookengine.store.tck.StoreFixtures.signingKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.model.Secret;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secrets are encrypted at rest, and a wrong master key fails loudly instead of reading wrong values. */
class JdbcWebhookStoreEncryptionTest {

    private JdbcConnectionPool pool;

    @BeforeEach
    void openDatabase() {
        pool = H2JdbcWebhookStoreTest.freshDatabase();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        H2JdbcWebhookStoreTest.dropDatabase(pool);
    }

    private WebhookStore storeWith(String masterKey) {
        return JdbcWebhookStore.builder(pool)
                .keyCipher(AesGcmKeyCipher.ofBase64(masterKey))
                .build();
    }

    @Test
    void aWrongMasterKeyFailsLoudlyWhenReadingAConfigBack() {
        storeWith(H2JdbcWebhookStoreTest.MASTER_KEY).insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        WebhookStore wrongKey = storeWith(AesGcmKeyCipher.generateBase64Key(new SecureRandom()));

        assertThatThrownBy(() -> wrongKey.findConfig(ORG_A, "cfg-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot decrypt config cfg-1 of organization " + ORG_A)
                .hasMessageContaining("master key")
                .hasMessageNotContaining("password-cfg-1");
        assertThatThrownBy(() -> wrongKey.listConfigs(ORG_A, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWrongMasterKeyFailsLoudlyForVariablesAndPrivateKeys() {
        WebhookStore store = storeWith(H2JdbcWebhookStoreTest.MASTER_KEY);
        store.putVariable(ORG_A, "TOKEN", Secret.of("s3cret"));
        store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-1", at(0)));
        WebhookStore wrongKey = storeWith(AesGcmKeyCipher.generateBase64Key(new SecureRandom()));

        assertThatThrownBy(() -> wrongKey.findVariable(ORG_A, "TOKEN"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("variable TOKEN");
        assertThatThrownBy(() -> wrongKey.activeKeys(ORG_A, at(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signing key key-1");
        assertThat(wrongKey.variableNames(ORG_A)).as("names are not secret").containsExactly("TOKEN");
    }

    @Test
    void noSecretIsStoredInTheClear() throws Exception {
        WebhookStore store = storeWith(H2JdbcWebhookStoreTest.MASTER_KEY);
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_rotated"), at(100), at(10));
        store.putVariable(ORG_A, "TOKEN", Secret.of("variable-s3cret"));
        store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-1", at(0)));
        String privateKey = signingKey(ORG_A, "key-1", at(0)).privateKey().reveal();

        String dump = dumpOf("hookengine_configs", "hookengine_variables", "hookengine_signing_keys");

        assertThat(dump)
                .contains("cfg-1", "TOKEN", "key-1")
                .doesNotContain("password-cfg-1", "whsec_", "variable-s3cret", privateKey);
    }

    @Test
    void aCiphertextMovedToAnotherRowDoesNotDecrypt() throws Exception {
        WebhookStore store = storeWith(H2JdbcWebhookStoreTest.MASTER_KEY);
        store.putVariable(ORG_A, "A", Secret.of("value-a"));
        store.putVariable(ORG_A, "B", Secret.of("value-b"));
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE hookengine_variables SET value_data ="
                    + " (SELECT value_data FROM hookengine_variables WHERE name = 'A') WHERE name = 'B'");
        }

        assertThat(store.findVariable(ORG_A, "A")).contains(Secret.of("value-a"));
        assertThatThrownBy(() -> store.findVariable(ORG_A, "B")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buildingTwiceOnOneDatabaseAppliesTheSchemaOnce() throws Exception {
        storeWith(H2JdbcWebhookStoreTest.MASTER_KEY);
        storeWith(H2JdbcWebhookStoreTest.MASTER_KEY);

        assertThat(dumpOf("hookengine_schema_version")).contains("schema");
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM hookengine_schema_version")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(SchemaMigrator.SCRIPTS.size());
        }
    }

    @Test
    void aTablePrefixKeepsStoresApart() {
        WebhookStore one = JdbcWebhookStore.builder(pool)
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                .tablePrefix("one_")
                .build();
        WebhookStore two = JdbcWebhookStore.builder(pool)
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                .tablePrefix("two_")
                .dialect(Dialect.H2)
                .build();
        one.putVariable(ORG_A, "ONLY_ONE", Secret.of("x"));

        assertThat(one.variableNames(ORG_A)).containsExactly("ONLY_ONE");
        assertThat(two.variableNames(ORG_A)).isEmpty();
        assertThat(((JdbcWebhookStore) one).dialect()).isEqualTo(Dialect.H2);
    }

    @Test
    void buildRefusesAMissingCipherAndABadPrefix() {
        assertThatThrownBy(() -> JdbcWebhookStore.builder(pool).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyCipher");
        assertThatThrownBy(() -> JdbcWebhookStore.builder(pool)
                        .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                        .tablePrefix("x; DROP TABLE y; --")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tablePrefix");
    }

    /** Every column of every row of the tables, as text (binary columns as raw bytes read as UTF-8). */
    private String dumpOf(String... tables) throws Exception {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rows.getObject(i);
                            dump.append(
                                            value instanceof byte[] bytes
                                                    ? new String(bytes, StandardCharsets.UTF_8)
                                                    : value)
                                    .append('\n');
                        }
                    }
                }
            }
        }
        return dump.toString();
    }
}
