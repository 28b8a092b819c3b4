package dev.hookengine.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.PublishResult;
import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transactional outbox: {@code publish} inside the caller's own JDBC transaction, next to the
 * caller's business data (an {@code orders} table), on a real PostgreSQL and on H2. The events exist,
 * and are delivered to a real receiver, exactly when that transaction commits.
 */
class TransactionalOutboxTest {

    private static final String ORG = "org-a";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static JdbcConnectionPool h2;

    private TestReceiver receiver;
    private JettyHttpTransport transport;
    private WebhookEngine engine;
    private JdbcWebhookStore store;
    private String orders;

    @BeforeAll
    static void startDatabases() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("timezone", "Pacific/Chatham")
                .start();
        h2 = H2JdbcWebhookStoreTest.freshDatabase();
    }

    @AfterAll
    static void stopDatabases() throws Exception {
        if (h2 != null) {
            H2JdbcWebhookStoreTest.dropDatabase(h2);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of(Named.of("PostgreSQL", postgres.getPostgresDatabase())), Arguments.of(Named.of("H2", h2)));
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** A store under a fresh prefix, an orders table beside it, and an engine with one config. */
    private void setUp(DataSource database) throws Exception {
        String prefix = "outbox_" + PREFIXES.incrementAndGet() + "_";
        store = JdbcWebhookStore.builder(database)
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                .tablePrefix(prefix)
                .build();
        orders = prefix + "orders";
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + orders + " (id VARCHAR(64) PRIMARY KEY)");
        }
        receiver = TestReceiver.start();
        transport = JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
        engine = WebhookEngine.builder().store(store).transport(transport).build();
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("orders")
                        .eventName("order.created")
                        .url(receiver.url("/hook"))
                        .enabled(true)
                        .build());
    }

    private static DomainEvent orderCreated(String orderId) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("entity").put("_id", orderId).put("total", 42);
        return new DomainEvent(ORG, "order.created", body);
    }

    private void insertOrder(Connection connection, String orderId) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + orders + " (id) VALUES (?)")) {
            insert.setString(1, orderId);
            insert.executeUpdate();
        }
    }

    private int orderCount(DataSource database) throws Exception {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + orders)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** What the caller does with its transaction once the order and its event are in it. */
    private interface Ending {
        void end(Connection connection) throws Exception;
    }

    /** One transaction of the caller's: an order, then its event published into it, then {@code ending}. */
    private PublishResult orderWithItsEvent(DataSource database, String orderId, Ending ending) throws Exception {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            insertOrder(connection, orderId);
            PublishResult published = engine.publish(orderCreated(orderId), store.inTransaction(connection));
            assertThat(published.eventIds()).hasSize(1);
            ending.end(connection);
            return published;
        }
    }

    private EventStatus statusOf(String eventId) {
        return store.findEvent(ORG, eventId).orElseThrow().status();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRolledBackPublishLeavesNoEventAndNoDelivery(DataSource database) throws Exception {
        setUp(database);
        PublishResult published = orderWithItsEvent(database, "order-1", Connection::rollback);

        assertThat(engine.deliverDue()).isZero();
        assertThat(receiver.receivedCount()).isZero();
        assertThat(orderCount(database)).isZero();
        assertThat(store.findEvent(ORG, published.eventIds().get(0))).isEmpty();
        assertThat(store.stats(Instant.now()).depth()).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aCommittedPublishIsDeliveredExactlyOnce(DataSource database) throws Exception {
        setUp(database);
        PublishResult published = orderWithItsEvent(database, "order-1", connection -> {
            assertThat(engine.deliverDue())
                    .as("nothing is visible before the commit")
                    .isZero();
            connection.commit();
        });

        assertThat(engine.deliverDue()).isEqualTo(1);
        assertThat(engine.deliverDue()).isZero();
        String eventId = published.eventIds().get(0);
        assertThat(receiver.countsBy("webhook-id")).containsExactly(java.util.Map.entry(eventId, 1));
        assertThat(orderCount(database)).isEqualTo(1);
        assertThat(statusOf(eventId)).isEqualTo(EventStatus.SUCCEEDED);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJooqTransactionCommitsTheEventWithTheBusinessData(DataSource database) throws Exception {
        setUp(database);
        DSLContext caller = DSL.using(database, database == h2 ? SQLDialect.H2 : SQLDialect.POSTGRES);
        String[] eventId = new String[1];

        caller.transaction(cfg -> {
            cfg.dsl().execute("INSERT INTO " + orders + " (id) VALUES ('order-1')");
            eventId[0] = engine.publish(orderCreated("order-1"), store.inTransaction(cfg.dsl()))
                    .eventIds()
                    .get(0);
        });
        try {
            caller.transaction(cfg -> {
                cfg.dsl().execute("INSERT INTO " + orders + " (id) VALUES ('order-2')");
                engine.publish(orderCreated("order-2"), store.inTransaction(cfg.dsl()));
                throw new IllegalStateException("the caller's own failure rolls everything back");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }

        assertThat(engine.deliverDue()).isEqualTo(1);
        assertThat(receiver.countsBy("webhook-id")).containsOnlyKeys(eventId[0]);
        assertThat(orderCount(database)).isEqualTo(1);
        assertThat(statusOf(eventId[0])).isEqualTo(EventStatus.SUCCEEDED);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aConnectionInAutoCommitModeIsRefusedAndNothingIsStored(DataSource database) throws Exception {
        setUp(database);
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(true);

            assertThatIllegalStateException()
                    .isThrownBy(() -> engine.publish(orderCreated("order-1"), store.inTransaction(connection)))
                    .withMessageContaining("auto-commit");
        }

        assertThat(store.stats(Instant.now()).depth()).isZero();
        assertThat(engine.deliverDue()).isZero();
        assertThat(receiver.receivedCount()).isZero();
    }
}
