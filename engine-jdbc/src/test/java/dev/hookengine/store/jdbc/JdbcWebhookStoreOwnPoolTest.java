package dev.hookengine.store.jdbc;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.signing.AesGcmKeyCipher;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A store built from a JDBC URL makes its own HikariCP pool, checks its options, and closes the pool. */
class JdbcWebhookStoreOwnPoolTest {

    private static final String SECRET_PASSWORD = "pa55-never-logged";

    private static JdbcWebhookStoreBuilder builder(String url) {
        return JdbcWebhookStore.builder(url, "sa", SECRET_PASSWORD)
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY));
    }

    @Test
    void aStoreOnItsOwnPoolWorksAndClosesThePool() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        // H2 takes the password of the first connection as the database's
        JdbcWebhookStore store = builder(url).poolSize(3).build();

        assertThat(store.dialect()).isEqualTo(Dialect.H2);
        assertThat(store.insertConfig(ORG_A, config("cfg-1", "order.created", T0)))
                .isTrue();
        assertThat(store.findConfig(ORG_A, "cfg-1")).isPresent();
        assertThat(store.toString()).doesNotContain(SECRET_PASSWORD);

        store.close();

        assertThatThrownBy(() -> store.findConfig(ORG_A, "cfg-1"))
                .as("the pool is closed")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JdbcWebhookStore.builder("postgresql://db/x", "u", "p"))
                .withMessageContaining("jdbcUrl");
        String url = "jdbc:h2:mem:" + UUID.randomUUID();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder(url).poolSize(0).build())
                .withMessageContaining("poolSize");
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        builder(url).connectionTimeout(Duration.ofMillis(100)).build())
                .withMessageContaining("connectionTimeout");
    }

    @Test
    void anUnreachableDatabaseFailsTheBuildWithoutTheCredentials() {
        // Port 9 on loopback (discard) is closed here; nothing leaves the machine.
        assertThatThrownBy(() -> builder("jdbc:postgresql://127.0.0.1:9/none")
                        .connectionTimeout(Duration.ofMillis(500))
                        .build())
                .isInstanceOf(RuntimeException.class)
                .satisfies(failure ->
                        assertThat(String.valueOf(failure.getMessage())).doesNotContain(SECRET_PASSWORD));
    }
}
