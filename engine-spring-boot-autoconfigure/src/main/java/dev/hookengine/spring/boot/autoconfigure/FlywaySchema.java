package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.store.jdbc.Dialect;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies the JDBC store's schema as Flyway migrations, for an application that uses Flyway: a Flyway of
 * its own, beside the application's, so that the store's versions (V1, V2, ...) never meet the
 * application's in one history.
 *
 * <p>The scripts are the store's own ({@code classpath:db/hookengine/<dialect>}), with the placeholder
 * {@code table_prefix}; the history is {@code <table-prefix>schema_history}. The schema usually holds the
 * application's tables already, so a missing history is started at version 0 (baseline) and every script
 * still runs. The store itself is then built with its migrator off: the schema is applied once.
 */
final class FlywaySchema {

    private final DataSource dataSource;
    private final String tablePrefix;

    FlywaySchema(DataSource dataSource, String tablePrefix) {
        this.dataSource = dataSource;
        this.tablePrefix = tablePrefix;
    }

    /** Migrates the store's tables to the newest version of {@code dialect}'s scripts. */
    void migrate(Dialect dialect) {
        Flyway.configure(FlywaySchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + dialect.scriptLocation())
                .table(tablePrefix + "schema_history")
                .placeholders(Map.of("table_prefix", tablePrefix))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
