/** The JDBC {@code WebhookStore} on jOOQ, for PostgreSQL and H2. */
module dev.hookengine.store.jdbc {
    requires transitive dev.hookengine.core;
    // In the store's signatures: DataSource and Connection, jOOQ's DSLContext for the outbox.
    requires transitive java.sql;
    requires transitive org.jooq;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    // Only on PostgreSQL, whose driver the service brings: PostgresHotPath plans its claims anew.
    requires static org.postgresql.jdbc;

    exports dev.hookengine.store.jdbc;
}
