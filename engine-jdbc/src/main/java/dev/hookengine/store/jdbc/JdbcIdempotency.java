package dev.hookengine.store.jdbc;

import static dev.hookengine.store.jdbc.ConcurrentWrites.MAX_RETRIES;
import static dev.hookengine.store.jdbc.ConcurrentWrites.isIntegrityViolation;
import static dev.hookengine.store.jdbc.ConcurrentWrites.pause;
import static org.jooq.impl.DSL.row;

import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.store.support.StoreArguments;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Row2;
import org.jooq.exception.DataAccessException;

/**
 * The idempotency keys of {@link JdbcEvents}: {@link EventStore#appendEventsOnce} and the purge of
 * expired keys, over {@code <prefix>idempotency_keys}.
 *
 * <p>A keyed append is one transaction: it deletes the key's expired row if there is one, inserts the
 * key's row, then the events and their jobs, through jOOQ on both dialects (not the one-statement
 * {@link PostgresHotPath}: a keyed publish is one caller's, never group-committed). The key's row goes
 * first so that a second publish with the same key stops at the primary key before it writes
 * anything: its insert waits until the first transaction ends, and fails once it has committed (both
 * PostgreSQL at {@code READ COMMITTED} and H2 do so). The loser's transaction is rolled back, and it
 * reads the winner's row, which is committed by then. If it finds none (the winner's row expired or
 * was purged in between, or H2's lock timeout ended the wait before the winner's commit), it tries
 * again, up to {@link ConcurrentWrites#MAX_RETRIES} times.
 */
final class JdbcIdempotency {

    /** H2's SQLState for a lock wait that ran out ({@code LOCK_TIMEOUT}). */
    private static final String H2_LOCK_TIMEOUT = "HYT00";

    private final DSLContext ctx;
    private final JdbcTables t;
    private final JdbcEvents eventRows;

    JdbcIdempotency(DSLContext ctx, JdbcTables tables, JdbcEvents eventRows) {
        this.ctx = ctx;
        this.t = tables;
        this.eventRows = eventRows;
    }

    /** Thrown inside the transaction to roll it back: the key is taken. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    /** {@link EventStore#appendEventsOnce}. */
    Optional<IdempotencyRecord> appendEventsOnce(IdempotencyRecord record, List<NewEvent> events) {
        StoreArguments.requireKeyedAppend(record, events);
        List<String> json =
                events.stream().map(event -> eventRows.eventJson(event.event())).toList();
        for (int attempt = 0; ; attempt++) {
            try {
                ctx.transaction(cfg -> write(cfg.dsl(), record, events, json));
                return Optional.empty();
            } catch (KeyTaken taken) {
                Optional<IdempotencyRecord> live = findLive(record.orgId(), record.key(), record.createdAt());
                if (live.isPresent()) {
                    return live;
                }
                if (attempt >= MAX_RETRIES) {
                    throw new IllegalStateException("idempotency key of organization " + record.orgId()
                            + " neither stored nor found after " + MAX_RETRIES + " attempts");
                }
                // the row in the way is not committed yet (H2's lock timeout), or it expired or was
                // purged meanwhile: try again
                pause(attempt);
            }
        }
    }

    private void write(DSLContext tx, IdempotencyRecord record, List<NewEvent> events, List<String> json) {
        // An expired row is a free key; only this key's row, so that no other key is locked.
        tx.deleteFrom(t.idempotencyKeys)
                .where(
                        t.iOrg.eq(record.orgId()),
                        t.iKey.eq(record.key()),
                        t.iExpiresAt.le(record.createdAt().toEpochMilli()))
                .execute();
        try {
            tx.insertInto(t.idempotencyKeys, t.iOrg, t.iKey, t.iFingerprint, t.iResult, t.iCreatedAt, t.iExpiresAt)
                    .values(
                            record.orgId(),
                            record.key(),
                            record.fingerprint(),
                            record.result(),
                            record.createdAt().toEpochMilli(),
                            record.expiresAt().toEpochMilli())
                    .execute();
        } catch (DataAccessException e) {
            // H2 waits for the holder of the key at most its lock timeout: the key is taken all the same
            if (isIntegrityViolation(e) || H2_LOCK_TIMEOUT.equals(e.sqlState())) {
                throw new KeyTaken();
            }
            throw e;
        }
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            try {
                eventRows.insertEvent(tx, event.event(), json.get(i));
            } catch (DataAccessException e) {
                if (isIntegrityViolation(e)) {
                    throw new IllegalArgumentException("event id "
                            + event.event().orgId() + "/" + event.event().eventId() + " is already taken");
                }
                throw e;
            }
            eventRows.insertJobs(tx, event.event(), event.jobs());
        }
    }

    private Optional<IdempotencyRecord> findLive(String orgId, String key, Instant now) {
        return ctx.select(t.iOrg, t.iKey, t.iFingerprint, t.iResult, t.iCreatedAt, t.iExpiresAt)
                .from(t.idempotencyKeys)
                .where(t.iOrg.eq(orgId), t.iKey.eq(key), t.iExpiresAt.gt(now.toEpochMilli()))
                .fetchOptional(this::readRecord);
    }

    private IdempotencyRecord readRecord(Record row) {
        return new IdempotencyRecord(
                row.get(t.iOrg),
                row.get(t.iKey),
                row.get(t.iFingerprint),
                row.get(t.iResult),
                Instant.ofEpochMilli(row.get(t.iCreatedAt)),
                Instant.ofEpochMilli(row.get(t.iExpiresAt)));
    }

    /**
     * {@link EventStore#purgeIdempotencyRecords}: the expired rows, earliest first, skipping rows
     * another node is purging or replacing (locked), then deleted by key and only while still
     * expired, so that a key a publish took again meanwhile stays.
     */
    int purge(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max < 1) {
            return 0;
        }
        long nowMillis = now.toEpochMilli();
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<Row2<String, String>> keys = tx.select(t.iOrg, t.iKey)
                    .from(t.idempotencyKeys)
                    .where(t.iExpiresAt.le(nowMillis))
                    .orderBy(t.iExpiresAt.asc())
                    .limit(max)
                    .forUpdate()
                    .skipLocked()
                    .fetch(row -> row(row.value1(), row.value2()));
            if (keys.isEmpty()) {
                return 0;
            }
            return tx.deleteFrom(t.idempotencyKeys)
                    .where(row(t.iOrg, t.iKey).in(keys), t.iExpiresAt.le(nowMillis))
                    .execute();
        });
    }
}
