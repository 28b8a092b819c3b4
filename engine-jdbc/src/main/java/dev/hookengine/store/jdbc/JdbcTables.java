package dev.hookengine.store.jdbc;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.sequence;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.unquotedName;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Sequence;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The store's tables and columns, declared by hand for jOOQ's typed DSL (see {@link JdbcWebhookStore}
 * for why there is no code generation). They mirror {@code db/hookengine/<dialect>/V*__*.sql}; a
 * change to a script needs the same change here.
 *
 * <p>Names are unquoted, so that each database folds them as it folds the unquoted names of the
 * scripts (H2 to upper case, PostgreSQL to lower case). Columns are not qualified by their table:
 * every statement of the store reads or writes one table.
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
    final Sequence<Long> leaseTokens;

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
        keys = table(unquotedName(prefix + "signing_keys"));
        variables = table(unquotedName(prefix + "variables"));
        schemaVersion = table(unquotedName(prefix + "schema_version"));
        schemaLock = table(unquotedName(prefix + "schema_lock"));
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
