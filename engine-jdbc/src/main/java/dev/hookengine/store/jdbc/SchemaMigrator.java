package dev.hookengine.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned schema scripts {@code db/hookengine/<dialect>/V<n>__<description>.sql} from the
 * classpath and records each in {@code <prefix>schema_version} (version, description, CRC32 checksum,
 * applied at). The scripts are Flyway-compatible (placeholder {@code ${table_prefix}}), so an embedder
 * who runs Flyway can point it at the same location and build the store with {@code migrate(false)}.
 * Otherwise {@link JdbcWebhookStoreBuilder#build()} runs it, {@code migrate(true)} being the default.
 *
 * <p>Two nodes starting at once: each migration runs in one transaction that first locks the single
 * row of {@code <prefix>schema_lock} ({@code SELECT ... FOR UPDATE}), so the second node waits, then
 * sees the versions the first applied. On PostgreSQL DDL is transactional and the lock holds for the
 * whole migration. H2 commits on every DDL statement, so there the lock only orders the start; H2 is
 * the single-process embedded database, where that does not arise.
 *
 * <p>A script already applied whose checksum changed fails the start loudly, as Flyway does.
 */
final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** Every script, in version order. Adding a script means adding it here. */
    static final List<String> SCRIPTS = List.of(
            "V1__schema.sql",
            "V2__queue_tuning.sql",
            "V3__attempt_response.sql",
            "V4__idempotency.sql",
            "V5__rate_permits.sql",
            "V6__config_controls.sql",
            "V7__config_health.sql",
            "V8__ordering.sql");

    private static final Pattern SCRIPT_NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");

    private final DSLContext ctx;
    private final JdbcTables t;
    private final String folder;

    SchemaMigrator(DSLContext ctx, JdbcTables tables, String folder) {
        this.ctx = ctx;
        this.t = tables;
        this.folder = folder;
    }

    /** Applies every script not applied yet. */
    void migrate(long nowMillis) {
        createBookkeepingTables();
        ctx.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.select(t.slId).from(t.schemaLock).where(t.slId.eq(1)).forUpdate().fetch();
            Map<Integer, Long> applied =
                    tx.select(t.svVersion, t.svChecksum).from(t.schemaVersion).fetchMap(t.svVersion, t.svChecksum);
            for (String script : SCRIPTS) {
                Matcher name = SCRIPT_NAME.matcher(script);
                if (!name.matches()) {
                    throw new IllegalStateException("not a versioned script name: " + script);
                }
                int version = Integer.parseInt(name.group(1));
                String text = read(folder + script);
                long checksum = checksum(text);
                Long appliedChecksum = applied.get(version);
                if (appliedChecksum != null) {
                    if (appliedChecksum != checksum) {
                        throw new IllegalStateException("schema script " + folder + script
                                + " changed after it was applied (checksum " + appliedChecksum + " in "
                                + t.prefix + "schema_version, " + checksum + " now)");
                    }
                    continue;
                }
                LOG.info("applying {}{} with table prefix {}", folder, script, t.prefix);
                for (String statement : statements(text.replace("${table_prefix}", t.prefix))) {
                    tx.execute(statement);
                }
                tx.insertInto(t.schemaVersion, t.svVersion, t.svDescription, t.svChecksum, t.svAppliedAt)
                        .values(version, name.group(2).replace('_', ' '), checksum, nowMillis)
                        .execute();
            }
        });
    }

    private void createBookkeepingTables() {
        for (int attempt = 0; ; attempt++) {
            try {
                ctx.createTableIfNotExists(t.schemaVersion)
                        .column(t.svVersion, SQLDataType.INTEGER.notNull())
                        .column(t.svDescription, SQLDataType.VARCHAR(255).notNull())
                        .column(t.svChecksum, SQLDataType.BIGINT.notNull())
                        .column(t.svAppliedAt, SQLDataType.BIGINT.notNull())
                        .primaryKey(t.svVersion)
                        .execute();
                ctx.createTableIfNotExists(t.schemaLock)
                        .column(t.slId, SQLDataType.INTEGER.notNull())
                        .primaryKey(t.slId)
                        .execute();
                if (ctx.fetchExists(ctx.selectOne().from(t.schemaLock).where(t.slId.eq(1)))) {
                    return;
                }
                ctx.insertInto(t.schemaLock, t.slId).values(1).execute();
                return;
            } catch (DataAccessException e) {
                // another node created the same table or row a moment ago; look again
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** Splits a script into statements at semicolons that end a line; drops {@code --} comment lines. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String read(String resource) {
        // Through the class, not its loader: on the module path the scripts' folders are packages of
        // this module, which only the module itself may read resources from.
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("schema script not on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema script " + resource, e);
        }
    }

    private static long checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
