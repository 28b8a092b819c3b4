package dev.hookengine.store.jdbc;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.row;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.EventSink;
import dev.hookengine.spi.KeyCipher;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.RetiredSecret;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.support.StoreArguments;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep8;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WebhookStore} in a relational database through JDBC: H2 2.x (embedded) and PostgreSQL
 * 12+ (production). Several engine nodes may share one database: that is how hookengine scales out.
 *
 * <pre>{@code
 * JdbcWebhookStore store = JdbcWebhookStore.builder(dataSource)   // or builder(jdbcUrl, user, password): own pool
 *     .keyCipher(AesGcmKeyCipher.ofBase64(masterKey))   // required
 *     .tablePrefix("hookengine_")                        // default
 *     .migrate(true)                                     // default: apply the schema scripts on build()
 *     .build();
 * }</pre>
 *
 * <h2>Transactional outbox</h2>
 * {@link #inTransaction(Connection)} and {@link #inTransaction(DSLContext)} bind the store to a
 * transaction the caller holds, so that
 * {@link dev.hookengine.WebhookEngine#publish(dev.hookengine.DomainEvent, EventSink)} writes the events
 * and their delivery jobs together with the caller's business data: both commit, or neither.
 *
 * <h2>jOOQ without code generation</h2>
 * Every statement goes through jOOQ's typed DSL over tables and columns declared by hand
 * ({@link JdbcTables}: {@code DSL.table}, {@code DSL.field} with {@code SQLDataType}). Code generation
 * would need a live database (or a DDL-parsing step) in the build of this module, for eight small
 * tables whose names are not even fixed: the table prefix is chosen at run time, which generated
 * classes only support through a render mapping. Hand-declared fields keep the build a plain
 * {@code mvn} build, are typed where it matters ({@code Field<Long>} for every timestamp), and sit next
 * to the SQL scripts they mirror. The price is that a schema change must be made in two places.
 *
 * <h2>Schema</h2>
 * Versioned scripts per dialect, {@code db/hookengine/h2/V1__schema.sql} and
 * {@code db/hookengine/postgresql/V1__schema.sql}, named so that Flyway can run them from the classpath
 * (placeholder {@code table_prefix}). With {@code migrate(true)} the store applies them itself on
 * {@link Builder#build()} and records them in {@code <prefix>schema_version} (see {@link SchemaMigrator}).
 *
 * <h2>Timestamps</h2>
 * Every instant is a {@code BIGINT} of epoch milliseconds. The SPI promises millisecond instants
 * that come back exactly; a {@code BIGINT} does so in every database, whatever the session time zone,
 * with no {@code java.sql.Timestamp} or {@code OffsetDateTime} conversion in the driver to get wrong
 * (the classic bugs are a non-UTC JVM or session zone and DST gaps with {@code TIMESTAMP WITHOUT TIME
 * ZONE}). It orders and indexes like a timestamp, and the keyset cursor compares plain numbers. The
 * cost is readability in ad-hoc SQL ({@code to_timestamp(created_at / 1000.0)} on PostgreSQL).
 *
 * <h2>Secrets at rest</h2>
 * Encrypted with the {@link KeyCipher} the embedder supplies (AES-GCM with {@code AesGcmKeyCipher}),
 * each bound to a context naming the kind of row, the organization and the row id, so that a ciphertext
 * copied to another row or column does not decrypt:
 * <ul>
 *   <li>a config: its whole JSON ({@code config_data}), because auth secrets sit at several places in
 *       it and the signing secret beside them; {@code org_id}, {@code id}, {@code event_name},
 *       {@code creation_time} and {@code revision} are plain columns for the queries;</li>
 *   <li>its retired signing secrets: one ciphertext of their JSON ({@code retired_secrets});</li>
 *   <li>an organization variable's value; an Ed25519 private key.</li>
 * </ul>
 * A wrong master key, or an altered row, fails the read with an {@link IllegalStateException} naming
 * the row (never a secret): it never yields a wrong value. Events are not encrypted: they hold
 * payloads and responses as sent and received, no credentials.
 *
 * <h2>Delivery queue</h2>
 * {@link #claim} runs in one transaction: {@code SELECT ... WHERE due_at <= now AND (lease_token IS
 * NULL OR lease_expires_at <= now) ORDER BY due_at, seq LIMIT max FOR UPDATE SKIP LOCKED}, one new lease
 * token from the sequence {@code <prefix>lease_tokens}, then one {@code UPDATE} of the selected rows
 * that repeats the claimable condition (so a row changed between the scan and the lock is left alone).
 * Concurrent claimers never wait for one another and never hand out a job twice while its lease holds.
 * Every operation on a claimed job is a single statement conditioned on {@code lease_token}, so a stale
 * claim changes nothing. Jobs with equal {@code due_at} are claimed in the order they were queued.
 *
 * <h2>Identifiers</h2>
 * Ids are compared in binary order: H2's default collation is binary, PostgreSQL columns are
 * {@code COLLATE "C"}. Organization-owned rows have {@code (org_id, id)} primary keys; job ids are
 * unique across the store. Ids are at most 255 characters.
 *
 * <h2>Outcomes</h2>
 * {@link #recordOutcomes} writes the outcomes of many attempts in one transaction of three round trips
 * (the engine hands it every outcome that finished while the previous write was in flight), instead of
 * three transactions per attempt.
 *
 * <p>Thread-safe. Built over the caller's {@link DataSource}, the store does not own it: pool it
 * (HikariCP, or the database's own pool) and close it yourself. Built from a JDBC URL, the store makes
 * a HikariCP pool and {@link #close()} closes it.
 */
public final class JdbcWebhookStore implements WebhookStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcWebhookStore.class);

    /** The table prefix unless one is chosen. */
    public static final String DEFAULT_TABLE_PREFIX = "hookengine_";

    /** Whether {@link Builder#build()} applies the schema unless told otherwise. */
    public static final boolean DEFAULT_MIGRATE = true;

    /** Connections in the pool a store makes from a JDBC URL, unless chosen. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** How long a statement waits for a connection from the store's own pool, unless chosen. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,30}");
    private static final int MAX_RETRIES = 50;

    /** The databases this store speaks. */
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

    private final ObjectMapper mapper = new ObjectMapper();
    private final Settings settings;
    private final DSLContext ctx;
    private final HikariDataSource ownPool;
    private final JdbcTables t;
    private final KeyCipher cipher;
    private final Dialect dialect;

    private JdbcWebhookStore(DataSource dataSource, HikariDataSource ownPool, Builder builder, Dialect dialect) {
        this.dialect = dialect;
        this.cipher = builder.keyCipher;
        this.t = new JdbcTables(builder.tablePrefix);
        this.settings = new Settings().withExecuteLogging(false).withRenderSchema(false);
        this.ctx = DSL.using(dataSource, dialect.jooq, settings);
        this.ownPool = ownPool;
    }

    /** A builder over {@code dataSource}, which the store uses and never closes. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * A builder for a store that makes its own HikariCP pool to the database at {@code jdbcUrl}
     * ({@code jdbc:postgresql://host/db} or {@code jdbc:h2:...}), sized by {@link Builder#poolSize},
     * and closes it on {@link #close()}. The password is handed to the driver and never logged.
     */
    public static Builder builder(String jdbcUrl, String username, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:', such as jdbc:postgresql://host:5432/db");
        }
        return new Builder(null, new Credentials(jdbcUrl, username, password));
    }

    /** The dialect in use, chosen or detected. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Closes the pool the store made ({@link #builder(String, String, String)}); a store built over the
     * caller's {@link DataSource} releases nothing, the data source being the caller's.
     */
    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcWebhookStore[" + dialect + ", prefix " + t.prefix + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // ConfigStore
    // ---------------------------------------------------------------------------------------------

    @Override
    public boolean insertConfig(String orgId, WebhookConfig config) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        try {
            ctx.insertInto(t.configs, t.cOrg, t.cId, t.cEventName, t.cCreationTime, t.cRevision, t.cData)
                    .values(orgId, config.id(), config.eventName(), millis(config.creationTime()), 1L,
                            sealConfig(orgId, config))
                    .execute();
            return true;
        } catch (DataAccessException e) {
            if (isIntegrityViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<StoredConfig> findConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        return ctx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired)
                .from(t.configs)
                .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                .fetchOptional()
                .map(this::toStoredConfig);
    }

    @Override
    public List<StoredConfig> listConfigs(String orgId, String eventName) {
        Objects.requireNonNull(orgId, "orgId");
        Condition condition = t.cOrg.eq(orgId);
        if (eventName != null) {
            condition = condition.and(t.cEventName.eq(eventName));
        }
        return ctx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired)
                .from(t.configs)
                .where(condition)
                .orderBy(t.cCreationTime.asc().nullsLast(), t.cId.asc())
                .fetch(this::toStoredConfig);
    }

    @Override
    public Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.id(), "config.id");
        byte[] sealed = sealConfig(orgId, config);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(t.configs)
                    .set(t.cData, sealed)
                    .set(t.cEventName, config.eventName())
                    .set(t.cCreationTime, millis(config.creationTime()))
                    .set(t.cRevision, expectedRevision + 1)
                    .where(t.cOrg.eq(orgId), t.cId.eq(config.id()), t.cRevision.eq(expectedRevision))
                    .execute();
            if (updated == 0) {
                return Optional.empty();
            }
            byte[] retired = tx.select(t.cRetired).from(t.configs)
                    .where(t.cOrg.eq(orgId), t.cId.eq(config.id()))
                    .fetchOne(t.cRetired);
            return Optional.of(new StoredConfig(orgId, config, expectedRevision + 1,
                    openRetired(orgId, config.id(), retired)));
        });
    }

    @Override
    public Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        StoreArguments.requireSecretRotation(orgId, configId, newSecret, previousExpiresAt, now);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<StoredConfig> found = tx.select(t.cOrg, t.cId, t.cRevision, t.cData, t.cRetired)
                    .from(t.configs)
                    .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                    .forUpdate()
                    .fetchOptional()
                    .map(this::toStoredConfig);
            if (found.isEmpty()) {
                return Optional.<StoredConfig>empty();
            }
            StoredConfig current = found.get();
            List<RetiredSecret> retired = new ArrayList<>();
            Secret previous = current.config().signingSecret();
            if (previous != null && !previous.isCleared()) {
                retired.add(new RetiredSecret(previous, previousExpiresAt));
            }
            current.retiredSecrets().stream().filter(secret -> secret.isActiveAt(now)).forEach(retired::add);
            WebhookConfig rotated = current.config().toBuilder().signingSecret(newSecret).build();
            long revision = current.revision() + 1;
            tx.update(t.configs)
                    .set(t.cData, sealConfig(orgId, rotated))
                    .set(t.cRetired, sealRetired(orgId, configId, retired))
                    .set(t.cRevision, revision)
                    .where(t.cOrg.eq(orgId), t.cId.eq(configId))
                    .execute();
            return Optional.of(new StoredConfig(orgId, rotated, revision, retired));
        });
    }

    @Override
    public boolean deleteConfig(String orgId, String configId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        return ctx.deleteFrom(t.configs).where(t.cOrg.eq(orgId), t.cId.eq(configId)).execute() > 0;
    }

    private StoredConfig toStoredConfig(Record record) {
        String orgId = record.get(t.cOrg);
        String id = record.get(t.cId);
        byte[] plain = open(record.get(t.cData), context("config", orgId, id), "config " + id, orgId);
        WebhookConfig config;
        try {
            config = mapper.readValue(plain, WebhookConfig.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("config " + id + " of organization " + orgId + " is not readable JSON", e);
        }
        return new StoredConfig(orgId, config, record.get(t.cRevision), openRetired(orgId, id, record.get(t.cRetired)));
    }

    private byte[] sealConfig(String orgId, WebhookConfig config) {
        try {
            return cipher.encrypt(mapper.writeValueAsBytes(config), context("config", orgId, config.id()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config " + config.id() + " cannot be written as JSON", e);
        }
    }

    private byte[] sealRetired(String orgId, String configId, List<RetiredSecret> retired) {
        if (retired.isEmpty()) {
            return null;
        }
        ArrayNode array = mapper.createArrayNode();
        for (RetiredSecret secret : retired) {
            array.addObject().put("secret", secret.secret().reveal()).put("expires_at", secret.expiresAt().toEpochMilli());
        }
        try {
            return cipher.encrypt(mapper.writeValueAsBytes(array), context("retired-secrets", orgId, configId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("retired secrets cannot be written as JSON", e);
        }
    }

    private List<RetiredSecret> openRetired(String orgId, String configId, byte[] sealed) {
        if (sealed == null) {
            return List.of();
        }
        byte[] plain = open(sealed, context("retired-secrets", orgId, configId),
                "retired signing secrets of config " + configId, orgId);
        try {
            List<RetiredSecret> retired = new ArrayList<>();
            for (JsonNode node : mapper.readTree(plain)) {
                retired.add(new RetiredSecret(Secret.of(node.get("secret").asText()),
                        Instant.ofEpochMilli(node.get("expires_at").asLong())));
            }
            return retired;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("retired secrets of config " + configId + " are not readable JSON", e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // EventStore
    // ---------------------------------------------------------------------------------------------

    /** Thrown inside a transaction to roll it back and answer {@code false}. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    @Override
    public boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs) {
        StoreArguments.requireAppendable(event, jobs);
        String json = eventJson(event);
        try {
            ctx.transaction(cfg -> {
                DSLContext tx = cfg.dsl();
                try {
                    insertEvent(tx, event, json);
                } catch (DataAccessException e) {
                    if (isIntegrityViolation(e)) {
                        throw new Refused();
                    }
                    throw e;
                }
                insertJobs(tx, event, jobs);
            });
            return true;
        } catch (Refused e) {
            return false;
        }
    }

    /**
     * A sink that appends events and their jobs through the caller's own open transaction on
     * {@code connection}, for {@link dev.hookengine.WebhookEngine#publish(dev.hookengine.DomainEvent, EventSink)}:
     * the transactional outbox. They exist exactly when the caller commits; the sink never commits,
     * rolls back or closes the connection. The connection must reach this store's database and have
     * auto-commit off.
     *
     * <p>Appending checks for an existing event id and queued job ids before inserting, rather than
     * relying on a failed insert, because on PostgreSQL a failed statement aborts the caller's whole
     * transaction.
     *
     * @throws IllegalStateException from {@code appendEvent}, when the connection is in auto-commit mode
     */
    public EventSink inTransaction(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        return outbox(DSL.using(connection, dialect.jooq, settings));
    }

    /**
     * Like {@link #inTransaction(Connection)}, for a caller on jOOQ: {@code dsl} is the context of the
     * caller's transaction (inside {@code dsl.transaction(cfg -> ...)}, pass {@code cfg.dsl()}). Its
     * connection is used with this store's dialect and settings.
     */
    public EventSink inTransaction(DSLContext dsl) {
        Objects.requireNonNull(dsl, "dsl");
        return outbox(DSL.using(dsl.configuration().connectionProvider(), dialect.jooq, settings));
    }

    private EventSink outbox(DSLContext tx) {
        return (event, jobs) -> {
            StoreArguments.requireAppendable(event, jobs);
            String json = eventJson(event);
            return tx.connectionResult(connection -> {
                if (connection.getAutoCommit()) {
                    throw new IllegalStateException("inTransaction needs a connection inside a transaction "
                            + "(auto-commit off): in auto-commit mode the event and its jobs would not commit "
                            + "with the caller's data");
                }
                DSLContext on = DSL.using(connection, dialect.jooq, settings);
                if (on.fetchExists(t.events, t.eOrg.eq(event.orgId()), t.eId.eq(event.eventId()))) {
                    return false;
                }
                List<String> jobIds = jobs.stream().map(DeliveryJob::jobId).toList();
                if (!jobIds.isEmpty() && on.fetchExists(t.jobs, t.jId.in(jobIds))) {
                    throw queued(event, jobs);
                }
                insertEvent(on, event, json);
                insertJobs(on, event, jobs);
                return true;
            });
        };
    }

    private void insertEvent(DSLContext tx, WebhookEvent event, String json) {
        tx.insertInto(t.events, t.eOrg, t.eId, t.eConfig, t.eCreatedAt, t.eStatus, t.eData, t.ePayload, t.eOriginal)
                .values(event.orgId(), event.eventId(), event.webhookConfigId(),
                        event.createdAt().toEpochMilli(), status(event.status()), json, event.payload(),
                        event.originalPayload())
                .execute();
    }

    private void insertJobs(DSLContext tx, WebhookEvent event, List<DeliveryJob> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        InsertValuesStep8<Record, String, String, String, String, Integer, Long, Long, Long> insert =
                tx.insertInto(t.jobs, t.jId, t.jOrg, t.jEvent, t.jConfig, t.jAttempt, t.jDueAt, t.jCreatedAt,
                        t.jLeaseToken);
        for (DeliveryJob job : jobs) {
            insert = insert.values(job.jobId(), job.orgId(), job.eventId(), job.configId(), job.attempt(),
                    job.dueAt().toEpochMilli(), job.createdAt().toEpochMilli(), null);
        }
        try {
            insert.execute();
        } catch (DataAccessException e) {
            if (isIntegrityViolation(e)) {
                throw queued(event, jobs);
            }
            throw e;
        }
    }

    private static IllegalArgumentException queued(WebhookEvent event, List<DeliveryJob> jobs) {
        return new IllegalArgumentException("a job id of event " + event.orgId() + "/" + event.eventId()
                + " is already queued: " + jobs.stream().map(DeliveryJob::jobId).toList());
    }

    @Override
    public Optional<WebhookEvent> findEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return ctx.select(t.eData, t.ePayload, t.eOriginal).from(t.events)
                .where(t.eOrg.eq(orgId), t.eId.eq(eventId))
                .fetchOptional(this::readEvent);
    }

    @Override
    public List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventIds, "eventIds");
        if (eventIds.isEmpty()) {
            return List.of();
        }
        return ctx.select(t.eData, t.ePayload, t.eOriginal).from(t.events)
                .where(t.eOrg.eq(orgId), t.eId.in(eventIds))
                .fetch(this::readEvent);
    }

    @Override
    public EventPage searchEvents(String orgId, EventQuery query) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(query, "query");
        List<Condition> where = new ArrayList<>();
        where.add(t.eOrg.eq(orgId));
        if (query.configId() != null) {
            where.add(t.eConfig.eq(query.configId()));
        }
        if (query.status() != null) {
            where.add(t.eStatus.eq(query.status().wireName()));
        }
        if (query.eventId() != null) {
            where.add(t.eId.eq(query.eventId()));
        }
        if (query.from() != null) {
            where.add(t.eCreatedAt.ge(query.from().toEpochMilli()));
        }
        if (query.to() != null) {
            where.add(t.eCreatedAt.le(query.to().toEpochMilli()));
        }
        if (query.after() != null) {
            where.add(row(t.eCreatedAt, t.eId).lt(query.after().createdAt().toEpochMilli(), query.after().eventId()));
        }
        List<WebhookEvent> found = ctx.select(t.eData, t.ePayload, t.eOriginal).from(t.events)
                .where(where)
                .orderBy(t.eCreatedAt.desc(), t.eId.desc())
                .limit(query.limit() + 1)
                .fetch(this::readEvent);
        boolean hasMore = found.size() > query.limit();
        return new EventPage(hasMore ? found.subList(0, query.limit()) : found, hasMore);
    }

    private InsertValuesStep8<Record, String, String, Integer, Long, Long, Integer, String, String> insertAttempts(
            DSLContext dsl) {
        return dsl.insertInto(t.attempts, t.aOrg, t.aEvent, t.aAttempt, t.aStartedAt, t.aEndedAt, t.aStatusCode, t.aCode,
                t.aError);
    }

    /** Adds {@code attempt} as one more row of {@code insert}. */
    private static InsertValuesStep8<Record, String, String, Integer, Long, Long, Integer, String, String> withAttempt(
            InsertValuesStep8<Record, String, String, Integer, Long, Long, Integer, String, String> insert,
            DeliveryAttempt attempt) {
        return insert.values(attempt.orgId(), attempt.eventId(), attempt.attempt(), attempt.startedAt().toEpochMilli(),
                attempt.endedAt().toEpochMilli(), attempt.statusCode(), attempt.code(), attempt.error());
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return ctx.select(t.aOrg, t.aEvent, t.aAttempt, t.aStartedAt, t.aEndedAt, t.aStatusCode, t.aCode, t.aError)
                .from(t.attempts)
                .where(t.aOrg.eq(orgId), t.aEvent.eq(eventId))
                .orderBy(t.aAttempt.asc(), t.aSeq.asc())
                .fetch(record -> new DeliveryAttempt(record.get(t.aOrg), record.get(t.aEvent), record.get(t.aAttempt),
                        Instant.ofEpochMilli(record.get(t.aStartedAt)), Instant.ofEpochMilli(record.get(t.aEndedAt)),
                        record.get(t.aStatusCode), record.get(t.aCode), record.get(t.aError)));
    }

    @Override
    public int purgeEvents(Instant cutoff, int max) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (max < 1) {
            return 0;
        }
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Result<Record2<String, String>> victims = tx.select(t.eOrg, t.eId)
                    .from(t.events)
                    .where(t.eCreatedAt.lt(cutoff.toEpochMilli()),
                            t.eStatus.in(EventStatus.SUCCEEDED.wireName(), EventStatus.FAILED.wireName(),
                                    EventStatus.SKIPPED.wireName()))
                    .orderBy(t.eCreatedAt.asc())
                    .limit(max)
                    .forUpdate()
                    .skipLocked()
                    .fetch();
            if (victims.isEmpty()) {
                return 0;
            }
            List<org.jooq.Row2<String, String>> keys = victims.stream()
                    .map(victim -> row(victim.value1(), victim.value2()))
                    .toList();
            tx.deleteFrom(t.attempts).where(row(t.aOrg, t.aEvent).in(keys)).execute();
            return tx.deleteFrom(t.events).where(row(t.eOrg, t.eId).in(keys)).execute();
        });
    }

    /** The event as JSON for {@code event_data}: everything but the payloads, which have columns of their own. */
    private String eventJson(WebhookEvent event) {
        try {
            return mapper.writeValueAsString(event.toBuilder().payload(null).originalPayload(null).build());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.eventId() + " cannot be written as JSON", e);
        }
    }

    /** An event from {@code event_data}, {@code payload} and {@code original_payload}, in that order. */
    private WebhookEvent readEvent(Record record) {
        WebhookEvent event;
        try {
            event = mapper.readValue(record.get(0, String.class), WebhookEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event is not readable JSON", e);
        }
        return event.toBuilder()
                .payload(record.get(1, String.class))
                .originalPayload(record.get(2, String.class))
                .build();
    }

    private static String status(EventStatus status) {
        return status == null ? null : status.wireName();
    }

    // ---------------------------------------------------------------------------------------------
    // DeliveryQueue
    // ---------------------------------------------------------------------------------------------

    /** The claim's SELECT: due, unleased (or expired) jobs, earliest first, skipping rows other claimers lock. */
    private org.jooq.ResultQuery<org.jooq.Record7<String, String, String, String, Integer, Long, Long>> claimQuery(
            DSLContext dsl, long nowMillis, int max) {
        return dsl.select(t.jId, t.jOrg, t.jEvent, t.jConfig, t.jAttempt, t.jDueAt, t.jCreatedAt)
                .from(t.jobs)
                .where(claimable(nowMillis))
                .orderBy(t.jDueAt.asc(), t.jSeq.asc())
                .limit(max)
                .forUpdate()
                .skipLocked();
    }

    /** The claim's SELECT as SQL with its values inlined, for {@code EXPLAIN} in tests and by operators. */
    String claimSql(Instant now, int max) {
        return ctx.renderInlined(claimQuery(ctx, now.toEpochMilli(), max));
    }

    /** The name the store gives {@code table} under its prefix, for tests. */
    String tableName(String table) {
        return t.prefix + table;
    }

    private Condition claimable(long now) {
        return t.jDueAt.le(now).and(t.jLeaseToken.isNull().or(t.jLeaseExpiresAt.le(now)));
    }

    @Override
    public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
        StoreArguments.requireClaim(now, max, lease, nodeId);
        long nowMillis = now.toEpochMilli();
        Instant leaseExpiresAt = now.plus(lease);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<DeliveryJob> chosen = claimQuery(tx, nowMillis, max).fetch(this::toJob);
            if (chosen.isEmpty()) {
                return List.<ClaimedJob>of();
            }
            long token = tx.nextval(t.leaseTokens);
            List<String> ids = chosen.stream().map(DeliveryJob::jobId).toList();
            int updated = tx.update(t.jobs)
                    .set(t.jLeaseOwner, nodeId)
                    .set(t.jLeaseExpiresAt, leaseExpiresAt.toEpochMilli())
                    .set(t.jLeaseToken, token)
                    .where(t.jId.in(ids))
                    .and(claimable(nowMillis))
                    .execute();
            Set<String> won = updated == ids.size()
                    ? Set.copyOf(ids)
                    : tx.select(t.jId).from(t.jobs).where(t.jId.in(ids), t.jLeaseToken.eq(token)).fetchSet(t.jId);
            List<ClaimedJob> claims = new ArrayList<>(won.size());
            for (DeliveryJob job : chosen) {
                if (won.contains(job.jobId())) {
                    claims.add(new ClaimedJob(job, nodeId, leaseExpiresAt, token));
                }
            }
            return claims;
        });
    }

    @Override
    public Optional<ClaimedJob> claimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId) {
        StoreArguments.requireClaimJob(orgId, jobId, now, lease, nodeId);
        long nowMillis = now.toEpochMilli();
        Instant leaseExpiresAt = now.plus(lease);
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            long token = tx.nextval(t.leaseTokens);
            int updated = tx.update(t.jobs)
                    .set(t.jLeaseOwner, nodeId)
                    .set(t.jLeaseExpiresAt, leaseExpiresAt.toEpochMilli())
                    .set(t.jLeaseToken, token)
                    .where(t.jId.eq(jobId), t.jOrg.eq(orgId))
                    .and(t.jLeaseToken.isNull().or(t.jLeaseExpiresAt.le(nowMillis)))
                    .execute();
            if (updated == 0) {
                return Optional.<ClaimedJob>empty();
            }
            DeliveryJob job = tx.select(t.jId, t.jOrg, t.jEvent, t.jConfig, t.jAttempt, t.jDueAt, t.jCreatedAt)
                    .from(t.jobs)
                    .where(t.jId.eq(jobId))
                    .fetchOne(this::toJob);
            return Optional.of(new ClaimedJob(job, nodeId, leaseExpiresAt, token));
        });
    }

    @Override
    public boolean complete(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return ctx.deleteFrom(t.jobs).where(heldBy(claim)).execute() > 0;
    }

    @Override
    public boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        StoreArguments.requireReschedule(claim, attempt, dueAt);
        return rescheduleQuery(ctx, claim, attempt, dueAt).execute() > 0;
    }

    private org.jooq.Query rescheduleQuery(DSLContext dsl, ClaimedJob claim, int attempt, Instant dueAt) {
        return dsl.update(t.jobs)
                .set(t.jAttempt, attempt)
                .set(t.jDueAt, dueAt.toEpochMilli())
                .setNull(t.jLeaseOwner)
                .setNull(t.jLeaseExpiresAt)
                .setNull(t.jLeaseToken)
                .where(heldBy(claim));
    }

    @Override
    public boolean release(ClaimedJob claim) {
        Objects.requireNonNull(claim, "claim");
        return ctx.update(t.jobs)
                .setNull(t.jLeaseOwner)
                .setNull(t.jLeaseExpiresAt)
                .setNull(t.jLeaseToken)
                .where(heldBy(claim))
                .execute() > 0;
    }

    /**
     * One transaction for the whole list, three round trips whatever its length: a JDBC batch moving
     * each job on (a {@code DELETE} or {@code UPDATE} conditioned on its lease token, whose update count
     * says whether the claim still held it), then a batch of event updates (status and {@code event_data};
     * the payload columns are left as they are) and one multi-row insert of attempts, both only for the
     * outcomes whose job moved. Jobs are touched in job-id order, in one statement batch, so two
     * concurrent calls (a stale claim's and the current holder's) cannot deadlock.
     */
    @Override
    public List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes) {
        StoreArguments.requireOutcomes(outcomes);
        if (outcomes.isEmpty()) {
            return List.of();
        }
        List<AttemptOutcome> ordered = outcomes.stream()
                .sorted(Comparator.comparing((AttemptOutcome outcome) -> outcome.claim().job().jobId()))
                .toList();
        Set<AttemptOutcome> written = ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<org.jooq.Query> moves = new ArrayList<>(ordered.size());
            for (AttemptOutcome outcome : ordered) {
                moves.add(outcome.completesJob()
                        ? tx.deleteFrom(t.jobs).where(heldBy(outcome.claim()))
                        : rescheduleQuery(tx, outcome.claim(), outcome.attempt().attempt(), outcome.retryAt()));
            }
            int[] counts = tx.batch(moves).execute();
            List<AttemptOutcome> moved = new ArrayList<>(ordered.size());
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    moved.add(ordered.get(i));
                }
            }
            if (moved.isEmpty()) {
                return Set.<AttemptOutcome>of();
            }
            org.jooq.BatchBindStep events = tx.batch(tx.update(t.events)
                    .set(t.eStatus, (String) null)
                    .set(t.eData, (String) null)
                    .where(t.eOrg.eq((String) null), t.eId.eq((String) null)));
            InsertValuesStep8<Record, String, String, Integer, Long, Long, Integer, String, String> attempts =
                    insertAttempts(tx);
            for (AttemptOutcome outcome : moved) {
                WebhookEvent event = outcome.event();
                events = events.bind(status(event.status()), eventJson(event), event.orgId(), event.eventId());
                attempts = withAttempt(attempts, outcome.attempt());
            }
            events.execute();
            attempts.execute();
            // By identity: two outcomes of one job (under two claims) are told apart by which one moved it.
            Set<AttemptOutcome> ids = Collections.newSetFromMap(new IdentityHashMap<>());
            ids.addAll(moved);
            return ids;
        });
        return outcomes.stream().map(written::contains).toList();
    }

    /**
     * Makes H2 write every commit to its file before the commit returns. By default H2 writes
     * committed transactions up to {@code WRITE_DELAY} (500 ms) later, so a process killed right
     * after a commit loses it, after the engine has reported the write as done. The setting is the
     * database's and persists in it. H2 still does not {@code fsync} each commit: a power loss or an
     * operating-system crash can lose the last writes; a killed process cannot.
     *
     * @throws IllegalStateException when the database refuses (the user is not an H2 admin)
     */
    private void flushCommitsAtOnce() {
        try {
            ctx.execute("SET WRITE_DELAY 0");
        } catch (DataAccessException e) {
            throw new IllegalStateException("cannot make H2 write commits at once (SET WRITE_DELAY 0 needs an "
                    + "admin user; or add ;WRITE_DELAY=0 to the URL as an admin once): " + e.getMessage(), e);
        }
    }

    /** Clears every lease; for {@link Builder#soleProcess}, where only a dead process can hold one. */
    private int releaseEveryLease() {
        int released = ctx.update(t.jobs)
                .setNull(t.jLeaseOwner)
                .setNull(t.jLeaseExpiresAt)
                .setNull(t.jLeaseToken)
                .where(t.jLeaseToken.isNotNull())
                .execute();
        if (released > 0) {
            LOG.info("released {} delivery jobs leased by a process that ended without giving them back", released);
        }
        return released;
    }

    /** One statement, conditioned on the lease token and on the lease not having expired. */
    @Override
    public Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease) {
        StoreArguments.requireRenewal(claim, now, lease);
        Instant leaseExpiresAt = now.plus(lease);
        int renewed = ctx.update(t.jobs)
                .set(t.jLeaseExpiresAt, leaseExpiresAt.toEpochMilli())
                .where(heldBy(claim))
                .and(t.jLeaseExpiresAt.gt(now.toEpochMilli()))
                .execute();
        return renewed == 0 ? Optional.empty()
                : Optional.of(new ClaimedJob(claim.job(), claim.nodeId(), leaseExpiresAt, claim.leaseToken()));
    }

    private Condition heldBy(ClaimedJob claim) {
        return t.jId.eq(claim.job().jobId())
                .and(t.jOrg.eq(claim.job().orgId()))
                .and(t.jLeaseToken.eq(claim.leaseToken()));
    }

    @Override
    public List<DeliveryJob> jobsOfEvent(String orgId, String eventId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        return ctx.select(t.jId, t.jOrg, t.jEvent, t.jConfig, t.jAttempt, t.jDueAt, t.jCreatedAt)
                .from(t.jobs)
                .where(t.jOrg.eq(orgId), t.jEvent.eq(eventId))
                .orderBy(t.jDueAt.asc(), t.jSeq.asc())
                .fetch(this::toJob);
    }

    @Override
    public QueueStats stats(Instant now) {
        Objects.requireNonNull(now, "now");
        Condition due = claimable(now.toEpochMilli());
        Record3<Integer, Integer, Long> stats = ctx.select(count(), count().filterWhere(due), min(t.jDueAt).filterWhere(due))
                .from(t.jobs)
                .fetchOne();
        Long oldest = stats.value3();
        return new QueueStats(stats.value1(), stats.value2(), oldest == null ? null : Instant.ofEpochMilli(oldest));
    }

    private DeliveryJob toJob(Record record) {
        return new DeliveryJob(record.get(t.jId), record.get(t.jOrg), record.get(t.jEvent), record.get(t.jConfig),
                record.get(t.jAttempt), Instant.ofEpochMilli(record.get(t.jDueAt)),
                Instant.ofEpochMilli(record.get(t.jCreatedAt)));
    }

    // ---------------------------------------------------------------------------------------------
    // SigningKeyStore
    // ---------------------------------------------------------------------------------------------

    @Override
    public SigningKey insertKeyIfNoneCurrent(SigningKey candidate) {
        Objects.requireNonNull(candidate, "candidate");
        StoreArguments.requireCurrentKey(candidate);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            Optional<SigningKey> current = ctx.select(t.kOrg, t.kId, t.kPublic, t.kPrivate, t.kCreatedAt, t.kExpiresAt)
                    .from(t.keys)
                    .where(t.kCurrentOf.eq(candidate.orgId()))
                    .fetchOptional(this::toKey);
            if (current.isPresent()) {
                return current.get();
            }
            try {
                insertKey(ctx, candidate);
                return candidate;
            } catch (DataAccessException e) {
                if (!isIntegrityViolation(e)) {
                    throw e;
                }
                // another node installed a current key a moment ago: read it
                pause(attempt);
            }
        }
        throw new IllegalStateException("could not install or read the current signing key of organization "
                + candidate.orgId() + " after " + MAX_RETRIES + " attempts");
    }

    @Override
    public List<SigningKey> activeKeys(String orgId, Instant now) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(now, "now");
        return ctx.select(t.kOrg, t.kId, t.kPublic, t.kPrivate, t.kCreatedAt, t.kExpiresAt)
                .from(t.keys)
                .where(t.kOrg.eq(orgId), t.kExpiresAt.isNull().or(t.kExpiresAt.gt(now.toEpochMilli())))
                .orderBy(t.kCreatedAt.desc(), t.kId.asc())
                .fetch(this::toKey);
    }

    @Override
    public void rotateKey(SigningKey newKey, Instant previousExpiresAt) {
        Objects.requireNonNull(newKey, "newKey");
        Objects.requireNonNull(previousExpiresAt, "previousExpiresAt");
        StoreArguments.requireCurrentKey(newKey);
        for (int attempt = 0; ; attempt++) {
            try {
                ctx.transaction(cfg -> {
                    DSLContext tx = cfg.dsl();
                    tx.update(t.keys)
                            .set(t.kExpiresAt, previousExpiresAt.toEpochMilli())
                            .setNull(t.kCurrentOf)
                            .where(t.kCurrentOf.eq(newKey.orgId()))
                            .execute();
                    insertKey(tx, newKey);
                });
                return;
            } catch (DataAccessException e) {
                // a concurrent rotation installed its key between our update and insert: rotate again
                if (!isIntegrityViolation(e) || attempt >= MAX_RETRIES) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    @Override
    public int purgeExpiredKeys(Instant now) {
        Objects.requireNonNull(now, "now");
        return ctx.deleteFrom(t.keys)
                .where(t.kExpiresAt.isNotNull(), t.kExpiresAt.le(now.toEpochMilli()))
                .execute();
    }

    private void insertKey(DSLContext dsl, SigningKey key) {
        byte[] sealed = cipher.encrypt(key.privateKey().reveal().getBytes(StandardCharsets.UTF_8),
                context("signing-key", key.orgId(), key.keyId()));
        dsl.insertInto(t.keys, t.kOrg, t.kId, t.kPublic, t.kPrivate, t.kCreatedAt, t.kExpiresAt, t.kCurrentOf)
                .values(key.orgId(), key.keyId(), key.publicKey(), sealed, key.createdAt().toEpochMilli(),
                        millis(key.expiresAt()), key.expiresAt() == null ? key.orgId() : null)
                .execute();
    }

    private SigningKey toKey(Record record) {
        String orgId = record.get(t.kOrg);
        String keyId = record.get(t.kId);
        byte[] plain = open(record.get(t.kPrivate), context("signing-key", orgId, keyId), "signing key " + keyId, orgId);
        Long expiresAt = record.get(t.kExpiresAt);
        return new SigningKey(orgId, keyId, record.get(t.kPublic), Secret.of(new String(plain, StandardCharsets.UTF_8)),
                Instant.ofEpochMilli(record.get(t.kCreatedAt)), expiresAt == null ? null : Instant.ofEpochMilli(expiresAt));
    }

    // ---------------------------------------------------------------------------------------------
    // VariableStore
    // ---------------------------------------------------------------------------------------------

    @Override
    public void putVariable(String orgId, String name, Secret value) {
        StoreArguments.requireVariable(orgId, name, value);
        byte[] sealed = cipher.encrypt(value.reveal().getBytes(StandardCharsets.UTF_8), context("variable", orgId, name));
        for (int attempt = 0; ; attempt++) {
            int updated = ctx.update(t.variables).set(t.vValue, sealed)
                    .where(t.vOrg.eq(orgId), t.vName.eq(name))
                    .execute();
            if (updated > 0) {
                return;
            }
            try {
                ctx.insertInto(t.variables, t.vOrg, t.vName, t.vValue).values(orgId, name, sealed).execute();
                return;
            } catch (DataAccessException e) {
                // inserted concurrently: update it
                if (!isIntegrityViolation(e) || attempt >= MAX_RETRIES) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<Secret> findVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return ctx.select(t.vValue).from(t.variables)
                .where(t.vOrg.eq(orgId), t.vName.eq(name))
                .fetchOptional(t.vValue)
                .map(sealed -> Secret.of(new String(
                        open(sealed, context("variable", orgId, name), "variable " + name, orgId),
                        StandardCharsets.UTF_8)));
    }

    @Override
    public boolean deleteVariable(String orgId, String name) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        return ctx.deleteFrom(t.variables).where(t.vOrg.eq(orgId), t.vName.eq(name)).execute() > 0;
    }

    @Override
    public List<String> variableNames(String orgId) {
        Objects.requireNonNull(orgId, "orgId");
        return ctx.select(t.vName).from(t.variables)
                .where(t.vOrg.eq(orgId))
                .orderBy(t.vName.asc())
                .fetch(t.vName);
    }

    // ---------------------------------------------------------------------------------------------
    // internals
    // ---------------------------------------------------------------------------------------------

    /**
     * The additional data a secret is bound to: a version tag, the kind of row, and each part
     * length-prefixed, so that no two different (kind, org, id) give the same bytes.
     */
    static byte[] context(String kind, String orgId, String rowId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : new String[] {"hookengine-jdbc/1", kind, orgId, rowId}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >>> 24);
            out.write(bytes.length >>> 16);
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.write(bytes, 0, bytes.length);
        }
        return out.toByteArray();
    }

    /** Decrypts, naming the row when it fails (wrong master key or altered data). */
    private byte[] open(byte[] sealed, byte[] context, String what, String orgId) {
        try {
            return cipher.decrypt(sealed, context);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot decrypt " + what + " of organization " + orgId + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean isIntegrityViolation(DataAccessException e) {
        return e.sqlStateClass() == SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1 + attempt, 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Options of a {@link JdbcWebhookStore}. Required: {@link #keyCipher}. Defaults:
     * {@link #DEFAULT_TABLE_PREFIX}, {@link #DEFAULT_MIGRATE}, the dialect detected from the
     * {@link DataSource}'s metadata.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private final Credentials credentials;
        private KeyCipher keyCipher;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean migrate = DEFAULT_MIGRATE;
        private Dialect dialect;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private boolean soleProcess;

        private Builder(DataSource dataSource, Credentials credentials) {
            this.dataSource = dataSource;
            this.credentials = credentials;
        }

        /** Encrypts secrets at rest; required. Usually {@code AesGcmKeyCipher.ofBase64(masterKey)}. */
        public Builder keyCipher(KeyCipher keyCipher) {
            this.keyCipher = Objects.requireNonNull(keyCipher, "keyCipher");
            return this;
        }

        /**
         * Prefix of every table, index and sequence name: a letter or underscore, then letters, digits or
         * underscores, at most 31 characters. Default {@value JdbcWebhookStore#DEFAULT_TABLE_PREFIX}.
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = Objects.requireNonNull(tablePrefix, "tablePrefix");
            return this;
        }

        /** Whether {@link #build()} applies the schema scripts not applied yet; default {@code true}. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** The database dialect; by default detected from the {@link DataSource}'s metadata. */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Connections in the pool the store makes (only with a JDBC URL); default
         * {@value JdbcWebhookStore#DEFAULT_POOL_SIZE}. Every delivery thread and publishing thread holds one
         * for the length of a statement or transaction, never across an HTTP request.
         */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /**
         * How long a statement waits for a free pooled connection, or for the database to accept one,
         * before failing (only with a JDBC URL); default {@link JdbcWebhookStore#DEFAULT_CONNECTION_TIMEOUT}.
         * While the database is down, delivery rounds fail after this long and the next round tries again.
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            return this;
        }

        /**
         * Declares that this store's process is the only one using the database, as with an embedded
         * H2 file, which H2 locks to one process. Every lease found at {@link #build()} then belongs to
         * a process that died holding it, and is released at once: its jobs are delivered as soon as
         * the engine starts, not one lease later. Default {@code false}. Never set it on a database
         * that several engine processes share: another live node's jobs would be sent twice.
         */
        public Builder soleProcess(boolean soleProcess) {
            this.soleProcess = soleProcess;
            return this;
        }

        /**
         * Validates the options, makes the pool when built from a JDBC URL, detects the dialect when none
         * was set (opening one connection), applies the schema when {@code migrate} is on, and returns the
         * store.
         *
         * @throws IllegalArgumentException when an option is invalid or the key cipher is missing
         * @throws IllegalStateException    when the database cannot be reached or is not supported
         */
        public JdbcWebhookStore build() {
            if (keyCipher == null) {
                throw new IllegalArgumentException(
                        "keyCipher is required: secrets are encrypted at rest (AesGcmKeyCipher.ofBase64(masterKey))");
            }
            if (!PREFIX.matcher(tablePrefix).matches()) {
                throw new IllegalArgumentException("tablePrefix must be a letter or underscore followed by letters, "
                        + "digits or underscores, at most 31 characters: '" + tablePrefix + "'");
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
            }
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250 ms (HikariCP's minimum): "
                        + connectionTimeout);
            }
            HikariDataSource pool = credentials == null ? null : credentials.pool(poolSize, connectionTimeout);
            try {
                DataSource source = pool != null ? pool : dataSource;
                Dialect chosen = dialect != null ? dialect : Dialect.detect(source);
                JdbcWebhookStore store = new JdbcWebhookStore(source, pool, this, chosen);
                if (chosen == Dialect.H2) {
                    store.flushCommitsAtOnce();
                }
                if (migrate) {
                    new SchemaMigrator(store.ctx, store.t, chosen.scriptLocation()).migrate(System.currentTimeMillis());
                }
                int released = soleProcess ? store.releaseEveryLease() : 0;
                LOG.info("JdbcWebhookStore ready: dialect {}, table prefix {}, migrate {}, key cipher {}, {}{}",
                        chosen, tablePrefix, migrate, keyCipher,
                        pool == null ? "caller's DataSource" : "own pool of " + poolSize + " connections",
                        soleProcess ? ", sole process (" + released + " leases of a dead process released)" : "");
                return store;
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }
    }

    /** Where the store's own pool connects; {@link #toString()} leaves the password out. */
    private record Credentials(String jdbcUrl, String username, String password) {

        HikariDataSource pool(int size, Duration connectionTimeout) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("hookengine");
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(size);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            // Fail later, in the first statement, rather than here: a node may start before its
            // database and must then come up once the database does.
            config.setInitializationFailTimeout(-1);
            return new HikariDataSource(config);
        }

        @Override
        public String toString() {
            // A password may also sit in the URL's parameters (PostgreSQL ?password=, H2 ;PASSWORD=).
            return "Credentials[" + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***") + ", " + username + "]";
        }
    }
}
