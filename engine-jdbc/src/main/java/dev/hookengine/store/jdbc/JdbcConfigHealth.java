package dev.hookengine.store.jdbc;

import dev.hookengine.spi.AttemptOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The configs' delivery health as {@link JdbcQueue#recordOutcomes} writes it outside PostgreSQL's one
 * statement ({@link PostgresHotPath} folds the same rule into its outcomes statement): the written
 * outcomes are summed per config first, then each config that changes gets one statement, in
 * (organization, config) order, so that concurrent writers lock the rows in one order. A config that
 * is healthy and stays so is written to only by an update that matches no row. Used on H2; PostgreSQL
 * folds the same rule into its one outcomes statement ({@link PostgresHotPath}).
 */
final class JdbcConfigHealth {

    private final JdbcTables t;

    JdbcConfigHealth(JdbcTables tables) {
        this.t = tables;
    }

    /** Writes what the written outcomes do to their configs' health, in the caller's transaction. */
    void record(DSLContext tx, List<AttemptOutcome> written) {
        for (Change change : changes(written).values()) {
            if (change.failed == 0) {
                // a success, and no failure after it: the streak, if one runs, ends
                tx.update(t.configHealth)
                        .setNull(t.hFailingSince)
                        .set(t.hFailedAttempts, 0)
                        .where(t.hOrg.eq(change.orgId), t.hConfig.eq(change.configId), t.hFailingSince.isNotNull())
                        .execute();
            } else if (change.reset) {
                // a success, then failures: a new streak, whatever ran before
                upsert(tx, change, DSL.val(change.firstFailed.toEpochMilli()), DSL.val(change.failed));
            } else {
                // failures only: the streak goes on, or begins
                upsert(
                        tx,
                        change,
                        DSL.coalesce(t.hFailingSince, DSL.val(change.firstFailed.toEpochMilli())),
                        t.hFailedAttempts.plus(change.failed));
            }
        }
    }

    /**
     * Updates the config's row, or inserts it when it has none. Not jOOQ's upsert, whose emulation on
     * H2 needs the table's key in generated metadata; a row inserted by a concurrent writer between the
     * update and the insert makes the insert fail, and the update is made again (H2 keeps the
     * transaction going after a failed statement).
     */
    private void upsert(DSLContext tx, Change change, Field<Long> failingSince, Field<Integer> failedAttempts) {
        for (int tries = 0; ; tries++) {
            int updated = tx.update(t.configHealth)
                    .set(t.hFailingSince, failingSince)
                    .set(t.hFailedAttempts, failedAttempts)
                    .where(t.hOrg.eq(change.orgId), t.hConfig.eq(change.configId))
                    .execute();
            if (updated > 0) {
                return;
            }
            try {
                tx.insertInto(t.configHealth, t.hOrg, t.hConfig, t.hFailingSince, t.hFailedAttempts)
                        .values(change.orgId, change.configId, change.firstFailed.toEpochMilli(), change.failed)
                        .execute();
                return;
            } catch (DataAccessException e) {
                if (tries > 0 || !ConcurrentWrites.isIntegrityViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /** Per config, in (organization, config) order, what the outcomes do to its health, in list order. */
    static Map<String, Change> changes(List<AttemptOutcome> written) {
        Map<String, Change> changes = new TreeMap<>();
        for (AttemptOutcome outcome : written) {
            AttemptOutcome.Health health = outcome.health();
            if (health == AttemptOutcome.Health.NONE) {
                continue;
            }
            String orgId = outcome.claim().job().orgId();
            String configId = outcome.claim().job().configId();
            Change change = changes.computeIfAbsent(orgId + '\u0000' + configId, key -> new Change(orgId, configId));
            if (health == AttemptOutcome.Health.SUCCEEDED) {
                change.reset = true;
                change.firstFailed = null;
                change.failed = 0;
            } else {
                if (change.firstFailed == null) {
                    change.firstFailed = outcome.attempt().endedAt();
                }
                change.failed++;
            }
        }
        return changes;
    }

    /** What one call's outcomes do to one config's health. */
    static final class Change {
        final String orgId;
        final String configId;
        /** A success came: the streak before it ends. */
        boolean reset;
        /** The end of the first failure after the last success, if any. */
        Instant firstFailed;
        /** Failures after the last success. */
        int failed;

        Change(String orgId, String configId) {
            this.orgId = orgId;
            this.configId = configId;
        }
    }
}
