package dev.hookengine.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.SQLDialect;

/** The databases {@link JdbcWebhookStore} speaks, each with its jOOQ dialect and its schema scripts. */
public enum Dialect {
    /** H2 2.x, embedded or server. */
    H2(SQLDialect.H2, "h2"),
    /** PostgreSQL 12 or later. */
    POSTGRESQL(SQLDialect.POSTGRES, "postgresql");

    private final SQLDialect jooq;
    private final String scriptFolder;

    Dialect(SQLDialect jooq, String scriptFolder) {
        this.jooq = jooq;
        this.scriptFolder = scriptFolder;
    }

    /** The classpath folder of this dialect's schema scripts, such as {@code db/hookengine/h2/}. */
    public String scriptLocation() {
        return "db/hookengine/" + scriptFolder + "/";
    }

    /** jOOQ's name for this dialect, which renders every statement of the store. */
    SQLDialect jooq() {
        return jooq;
    }

    /** The dialect of the database behind {@code dataSource}, from its JDBC metadata. */
    static Dialect detect(DataSource dataSource) {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to detect the database: " + e.getMessage(), e);
        }
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException("unsupported database '" + product
                + "': JdbcWebhookStore speaks H2 and PostgreSQL; set dialect(...) if it is one of them");
    }
}
