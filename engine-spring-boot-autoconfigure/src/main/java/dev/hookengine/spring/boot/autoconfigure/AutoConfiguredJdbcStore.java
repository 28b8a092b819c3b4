package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.store.jdbc.JdbcWebhookStore;
import javax.sql.DataSource;

/**
 * The auto-configured JDBC store and the DataSource it was built on: the one whose Spring transactions a
 * publish may join. A store the application defines itself says nothing of its DataSource, so its
 * publishes never join a Spring transaction.
 */
record AutoConfiguredJdbcStore(JdbcWebhookStore store, DataSource dataSource) {}
