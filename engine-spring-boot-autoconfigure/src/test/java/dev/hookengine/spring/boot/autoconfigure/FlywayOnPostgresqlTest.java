package dev.hookengine.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.WebhookEngine;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.AesGcmKeyCipher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Flyway path on PostgreSQL, the production database: an application with Flyway and its own
 * migrations history gets the store's schema from a Flyway of the store's own, once, across restarts.
 */
class FlywayOnPostgresqlTest {

    @Test
    void storeSchemaRunsAsItsOwnFlywayHistoryOnceAcrossRestarts() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ApplicationContextRunner application = new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(
                            DataSourceAutoConfiguration.class,
                            FlywayAutoConfiguration.class,
                            HookengineAutoConfiguration.class,
                            HookengineEngineAutoConfiguration.class))
                    .withPropertyValues(
                            "spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                            "spring.datasource.username=postgres",
                            "hookengine.master-key=" + AesGcmKeyCipher.generateBase64Key(new SecureRandom()));

            for (int start = 1; start <= 2; start++) {
                application.run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate sql = new JdbcTemplate(context.getBean(DataSource.class));
                    List<String> versions = sql.queryForList(
                            "SELECT version FROM hookengine_schema_history WHERE success AND type = 'SQL'"
                                    + " ORDER BY installed_rank",
                            String.class);
                    assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
                    // The application's own Flyway history is its own; the store's migrator never ran.
                    assertThat(tableExists(sql, "flyway_schema_history")).isTrue();
                    assertThat(tableExists(sql, "hookengine_schema_version")).isFalse();
                    WebhookEngine engine = context.getBean(WebhookEngine.class);
                    engine.createConfig(
                            "acme",
                            WebhookConfig.builder()
                                    .name("orders")
                                    .eventName("order_created")
                                    .url("https://shop.example.com/hooks")
                                    .build());
                });
            }
        }
    }

    private static boolean tableExists(JdbcTemplate sql, String table) {
        Integer count = sql.queryForObject(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", Integer.class, table);
        return count != null && count > 0;
    }
}
