package dev.hookengine.store.jdbc;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.sequence;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.unquotedName;

import java.time.Instant;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Sequence;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The store's tables and columns, declared by hand for jOOQ's typed DSL. They mirror
 * {@code db/hookengine/<dialect>/V*__*.sql}; a change to a script needs the same change here.
 *
 * <p>Names are unquoted, so that each database folds them as it folds the unquoted names of the
 * scripts (H2 to upper case, PostgreSQL to lower case). Columns are not qualified by their table:
 * every statement of the store reads or writes one table.
 *
 * <h2>jOOQ without code generation</h2>
 * Every statement goes through jOOQ's typed DSL over the tables and columns declared here
 * ({@code DSL.table}, {@code DSL.field} with {@code SQLDataType}). Code generation would need a live
 * database (or a DDL-parsing step) in the build of this module, for a few small tables whose names
 * are not even fixed: the table prefix is chosen at run time, which generated classes only support
 * through a render mapping. Hand-declared fields keep the build a plain {@code mvn} build, are typed
 * where it matters ({@code Field<Long>} for every timestamp), and sit next to the SQL scripts they
 * mirror. The price is that a schema change must be made in two places.
 *
 * <h2>Timestamps</h2>
 * Every instant is a {@code BIGINT} of epoch milliseconds ({@link #millis}). The SPI promises
 * millisecond instants that come back exactly; a {@code BIGINT} does so in every database, whatever
 * the session time zone, with no {@code java.sql.Timestamp} or {@code OffsetDateTime} conversion in the
 * driver to get wrong (the classic bugs are a non-UTC JVM or session zone and DST gaps with
 * {@code TIMESTAMP WITHOUT TIME ZONE}). It orders and indexes like a timestamp, and the keyset cursor
 * compares plain numbers. The cost is readability in ad-hoc SQL ({@code to_timestamp(created_at / 1000.0)}
 * on PostgreSQL).
 *
 * <h2>Identifiers</h2>
 * Ids are compared in binary order: H2's default collation is binary, PostgreSQL columns are
 * {@code COLLATE "C"}. Organization-owned rows have {@code (org_id, id)} primary keys; job ids are
 * unique across the store. Ids are at most 255 characters.
 */
final class JdbcTables {

    // configs
    final Table<Record> configs;
    final Field<String> cOrg = varchar("org_id");
    final Field<String> cId = varchar("id");
    final Field<String> cEventName = varchar("event_name");
    final Field<Long> cCreationTime = bigint("creation_time");
    final Field<Long> cRevision = bigint("revision");
    final Field<byte[]> cData = binary("config_data");
    final Field<byte[]> cRetired = binary("retired_secrets");
    /** {@link dev.hookengine.model.ConfigControls} as JSON, NULL when never set (script V6). */
    final Field<String> cControls = field(unquotedName("controls_data"), SQLDataType.CLOB);
    /** Whether the config is paused: the claims read it (script V6). */
    final Field<Boolean> cPaused = field(unquotedName("paused"), SQLDataType.BOOLEAN);
    /** Whether the config is enabled, NULL when not written since script V7 (its JSON says). */
    final Field<Boolean> cEnabled = field(unquotedName("enabled"), SQLDataType.BOOLEAN);

    // events
    final Table<Record> events;
    final Field<String> eOrg = varchar("org_id");
    final Field<String> eId = varchar("event_id");
    final Field<String> eConfig = varchar("config_id");
    final Field<Long> eCreatedAt = bigint("created_at");
    final Field<String> eStatus = varchar("status");
    final Field<String> eData = field(unquotedName("event_data"), SQLDataType.CLOB);
    final Field<String> ePayload = field(unquotedName("payload"), SQLDataType.CLOB);
    final Field<String> eOriginal = field(unquotedName("original_payload"), SQLDataType.CLOB);

    // attempts
    final Table<Record> attempts;
    final Field<Long> aSeq = bigint("seq");
    final Field<String> aOrg = varchar("org_id");
    final Field<String> aEvent = varchar("event_id");
    final Field<Integer> aAttempt = integer("attempt");
    final Field<Long> aStartedAt = bigint("started_at");
    final Field<Long> aEndedAt = bigint("ended_at");
    final Field<Integer> aStatusCode = integer("status_code");
    final Field<String> aCode = varchar("code");
    final Field<String> aError = varchar("error");
    final Field<String> aResponseExcerpt = varchar("response_excerpt");

    // jobs
    final Table<Record> jobs;
    final Field<String> jId = varchar("job_id");
    final Field<Long> jSeq = bigint("seq");
    final Field<String> jOrg = varchar("org_id");
    final Field<String> jEvent = varchar("event_id");
    final Field<String> jConfig = varchar("config_id");
    final Field<Integer> jAttempt = integer("attempt");
    final Field<Long> jDueAt = bigint("due_at");
    final Field<Long> jCreatedAt = bigint("created_at");
    final Field<String> jLeaseOwner = varchar("lease_owner");
    final Field<Long> jLeaseExpiresAt = bigint("lease_expires_at");
    final Field<Long> jLeaseToken = bigint("lease_token");
    final Field<String> jOrderingKey = varchar("ordering_key");
    final Sequence<Long> leaseTokens;

    // rate permits: one slot per permit of a second (JdbcRatePermits)
    final Table<Record> ratePermits;
    final Field<String> rpOrg = varchar("org_id");
    final Field<String> rpConfig = varchar("config_id");
    final Field<Integer> rpSlot = integer("slot");
    final Field<Long> rpUsedAt = bigint("used_at");

    // config delivery health: a failure streak per config (script V7)
    final Table<Record> configHealth;
    final Field<String> hOrg = varchar("org_id");
    final Field<String> hConfig = varchar("config_id");
    final Field<Long> hFailingSince = bigint("failing_since");
    final Field<Integer> hFailedAttempts = integer("failed_attempts");

    // signing keys
    final Table<Record> keys;
    final Field<String> kOrg = varchar("org_id");
    final Field<String> kId = varchar("key_id");
    final Field<String> kPublic = varchar("public_key");
    final Field<byte[]> kPrivate = binary("private_key");
    final Field<Long> kCreatedAt = bigint("created_at");
    final Field<Long> kExpiresAt = bigint("expires_at");
    final Field<String> kCurrentOf = varchar("current_of");

    // variables
    final Table<Record> variables;
    final Field<String> vOrg = varchar("org_id");
    final Field<String> vName = varchar("name");
    final Field<byte[]> vValue = binary("value_data");

    // idempotency keys
    final Table<Record> idempotencyKeys;
    final Field<String> iOrg = varchar("org_id");
    final Field<String> iKey = varchar("idem_key");
    final Field<String> iFingerprint = varchar("fingerprint");
    final Field<String> iResult = field(unquotedName("result"), SQLDataType.CLOB);
    final Field<Long> iCreatedAt = bigint("created_at");
    final Field<Long> iExpiresAt = bigint("expires_at");

    // migrations (created by the store, not by the scripts)
    final Table<Record> schemaVersion;
    final Field<Integer> svVersion = integer("version");
    final Field<String> svDescription = varchar("description");
    final Field<Long> svChecksum = bigint("checksum");
    final Field<Long> svAppliedAt = bigint("applied_at");
    final Table<Record> schemaLock;
    final Field<Integer> slId = integer("id");

    final String prefix;

    JdbcTables(String prefix) {
        this.prefix = prefix;
        configs = table(unquotedName(prefix + "configs"));
        events = table(unquotedName(prefix + "events"));
        attempts = table(unquotedName(prefix + "attempts"));
        jobs = table(unquotedName(prefix + "jobs"));
        leaseTokens = sequence(unquotedName(prefix + "lease_tokens"), SQLDataType.BIGINT);
        ratePermits = table(unquotedName(prefix + "rate_permits"));
        configHealth = table(unquotedName(prefix + "config_health"));
        keys = table(unquotedName(prefix + "signing_keys"));
        variables = table(unquotedName(prefix + "variables"));
        idempotencyKeys = table(unquotedName(prefix + "idempotency_keys"));
        schemaVersion = table(unquotedName(prefix + "schema_version"));
        schemaLock = table(unquotedName(prefix + "schema_lock"));
    }

    /** An instant as its column holds it, epoch milliseconds; {@code null} stays {@code null}. */
    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Field<String> varchar(String name) {
        return field(unquotedName(name), SQLDataType.VARCHAR);
    }

    private static Field<Long> bigint(String name) {
        return field(unquotedName(name), SQLDataType.BIGINT);
    }

    private static Field<Integer> integer(String name) {
        return field(unquotedName(name), SQLDataType.INTEGER);
    }

    private static Field<byte[]> binary(String name) {
        return field(unquotedName(name), SQLDataType.VARBINARY);
    }
}
