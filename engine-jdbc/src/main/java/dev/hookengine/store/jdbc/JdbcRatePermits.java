package dev.hookengine.store.jdbc;

import dev.hookengine.spi.RatePermit;
import dev.hookengine.store.support.StoreArguments;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;

/**
 * The rate permits of {@link JdbcWebhookStore} ({@link dev.hookengine.spi.DeliveryQueue#takePermit}),
 * in the table {@code <prefix>rate_permits}: per config, a ring of slots {@code 0 .. n-1}, one row each,
 * holding when the slot was last granted ({@code used_at}, epoch milliseconds; {@link #NEVER} for a
 * slot not granted yet). A take with limit {@code n} grants the slot among {@code 0 .. n-1} granted
 * longest ago (the lowest on a tie), when that was at least a second before {@code now}, and refuses
 * otherwise until that slot's grant is a second old. A slot is granted again only a second or more
 * after its previous grant, so two grants within a second are on two slots, and a call with limit
 * {@code n} uses {@code n} slots: no window of a second holds more than {@code n}. Slots above a
 * lowered limit keep their rows, so that their grants still count when the limit is raised again.
 *
 * <p><b>Milliseconds.</b> {@code used_at} holds a grant's instant rounded up to the millisecond, and a
 * slot is free when it is at or before {@code now} rounded down, less a second: never two grants less
 * than a second apart, at the price of refusing up to a millisecond early (and a {@code retryAt} up to
 * a millisecond late) when the instants are finer than a millisecond.
 *
 * <p><b>On PostgreSQL, one statement</b> decides almost every take: it locks the oldest free slot with
 * {@code FOR UPDATE SKIP LOCKED}, moves its {@code used_at} to now, and returns with it the ring's
 * size and oldest {@code used_at} as the statement's snapshot saw them. Granted: done. Refused with
 * every slot of the limit present and none free in the snapshot: the refusal is exact, and so is its
 * {@code retryAt} (a slot's {@code used_at} only grows, and a concurrent taker can take no slot the
 * snapshot saw busy at the same {@code now}). Two cases go on to {@link #takeUnderLock}: a ring with
 * fewer slots than the limit (a config's first take, or a raised limit), and a slot free in the
 * snapshot that {@code SKIP LOCKED} passed over because a concurrent taker held it. Without that
 * second step {@code SKIP LOCKED} could refuse while a permit is free and name a {@code retryAt} in the
 * past (the free slot's old {@code used_at} plus a second); with it, no take is refused while a slot
 * that no one takes is free, and every {@code retryAt} is exact.
 *
 * <p><b>Under lock</b> (every take on H2, the two cases above on PostgreSQL): one transaction locks
 * the config's slots below the limit in slot order ({@code SELECT ... ORDER BY slot FOR UPDATE}, so
 * two such transactions never deadlock, and the one-statement takers, which skip locked rows, never
 * wait for them), then grants or refuses on what it read. Missing slots are first inserted
 * ({@code ON CONFLICT DO NOTHING} on PostgreSQL, {@code MERGE} on H2; a key another taker inserted at
 * the same moment is no error), in a statement of their own.
 */
final class JdbcRatePermits {

    /** {@code used_at} of a slot never granted: free at any {@code now}. */
    static final long NEVER = Long.MIN_VALUE;

    private static final long SECOND_MILLIS = 1_000;

    /** Rounds of creating missing slots before giving up; a concurrent delete of the config is the only reason for a second. */
    private static final int CREATE_ROUNDS = 5;

    private final DSLContext ctx;
    private final JdbcTables t;
    /** The one-statement take on PostgreSQL; {@code null} on H2. */
    private final String takeInOneStatement;
    /**
     * Inserts a config's missing slots below a limit: parameters org, config, {@link #NEVER}, the
     * highest slot. jOOQ's emulation of an insert that ignores existing keys does not
     * render on H2 for tables declared without their keys, as {@link JdbcTables}' are.
     */
    private final String createSlots;

    JdbcRatePermits(DSLContext ctx, JdbcTables tables, Dialect dialect) {
        this.ctx = ctx;
        this.t = tables;
        this.takeInOneStatement = dialect == Dialect.POSTGRESQL ? """
                WITH candidate AS (
                  SELECT slot FROM %1$s
                  WHERE org_id = ? AND config_id = ? AND slot < ? AND used_at <= ?
                  ORDER BY used_at, slot
                  LIMIT 1
                  FOR UPDATE SKIP LOCKED),
                taken AS (
                  UPDATE %1$s p SET used_at = ?
                  FROM candidate
                  WHERE p.org_id = ? AND p.config_id = ? AND p.slot = candidate.slot AND p.used_at <= ?
                  RETURNING p.slot)
                SELECT (SELECT count(*) FROM taken), count(*), min(used_at)
                FROM %1$s
                WHERE org_id = ? AND config_id = ? AND slot < ?
                """.formatted(tables.prefix + "rate_permits") : null;
        this.createSlots = dialect == Dialect.POSTGRESQL
                ? """
                INSERT INTO %1$s (org_id, config_id, slot, used_at)
                SELECT ?, ?, s, ? FROM generate_series(0, ?) s
                ON CONFLICT DO NOTHING
                """.formatted(tables.prefix + "rate_permits")
                : """
                MERGE INTO %1$s p
                USING (SELECT CAST(? AS VARCHAR(255)) org, CAST(? AS VARCHAR(255)) config, CAST(? AS BIGINT) never,
                              CAST(X AS INTEGER) slot
                       FROM SYSTEM_RANGE(0, CAST(? AS INTEGER))) s
                ON p.org_id = s.org AND p.config_id = s.config AND p.slot = s.slot
                WHEN NOT MATCHED THEN INSERT (org_id, config_id, slot, used_at) VALUES (s.org, s.config, s.slot, s.never)
                """.formatted(tables.prefix + "rate_permits");
    }

    RatePermit take(String orgId, String configId, int perSecond, Instant now) {
        StoreArguments.requirePermit(orgId, configId, perSecond, now);
        long grantAt = roundedUp(now);
        long freeIfUsedAtOrBefore = now.toEpochMilli() - SECOND_MILLIS;
        if (takeInOneStatement != null) {
            Optional<RatePermit> decided =
                    takeInOneStatement(orgId, configId, perSecond, grantAt, freeIfUsedAtOrBefore);
            if (decided.isPresent()) {
                return decided.get();
            }
        }
        return takeUnderLock(orgId, configId, perSecond, grantAt, freeIfUsedAtOrBefore);
    }

    /** Deletes a config's slots; for {@link JdbcConfigs#deleteConfig}, in its transaction. */
    void forget(DSLContext tx, String orgId, String configId) {
        tx.deleteFrom(t.ratePermits)
                .where(t.rpOrg.eq(orgId), t.rpConfig.eq(configId))
                .execute();
    }

    /** The PostgreSQL statement; empty when it cannot decide (missing slots, or a free slot another taker held). */
    private Optional<RatePermit> takeInOneStatement(
            String orgId, String configId, int perSecond, long grantAt, long freeIfUsedAtOrBefore) {
        return ctx.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(takeInOneStatement)) {
                statement.setString(1, orgId);
                statement.setString(2, configId);
                statement.setInt(3, perSecond);
                statement.setLong(4, freeIfUsedAtOrBefore);
                statement.setLong(5, grantAt);
                statement.setString(6, orgId);
                statement.setString(7, configId);
                // the slot is locked: the repeated condition only keeps the update honest on its own
                statement.setLong(8, freeIfUsedAtOrBefore);
                statement.setString(9, orgId);
                statement.setString(10, configId);
                statement.setInt(11, perSecond);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        return Optional.of(RatePermit.grant());
                    }
                    long slots = row.getLong(2);
                    long oldest = row.getLong(3);
                    if (slots == perSecond && oldest > freeIfUsedAtOrBefore) {
                        return Optional.of(RatePermit.refuseUntil(Instant.ofEpochMilli(oldest + SECOND_MILLIS)));
                    }
                    return Optional.empty();
                }
            }
        });
    }

    private RatePermit takeUnderLock(
            String orgId, String configId, int perSecond, long grantAt, long freeIfUsedAtOrBefore) {
        for (int round = 0; round < CREATE_ROUNDS; round++) {
            Optional<RatePermit> decided = ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                Result<Record2<Integer, Long>> slots = tx.select(t.rpSlot, t.rpUsedAt)
                        .from(t.ratePermits)
                        .where(t.rpOrg.eq(orgId), t.rpConfig.eq(configId), t.rpSlot.lt(perSecond))
                        .orderBy(t.rpSlot)
                        .forUpdate()
                        .fetch();
                if (slots.size() < perSecond) {
                    return Optional.<RatePermit>empty();
                }
                Record2<Integer, Long> oldest = slots.get(0);
                for (Record2<Integer, Long> slot : slots) {
                    if (slot.value2() < oldest.value2()) {
                        oldest = slot;
                    }
                }
                if (oldest.value2() > freeIfUsedAtOrBefore) {
                    return Optional.of(RatePermit.refuseUntil(Instant.ofEpochMilli(oldest.value2() + SECOND_MILLIS)));
                }
                tx.update(t.ratePermits)
                        .set(t.rpUsedAt, grantAt)
                        .where(t.rpOrg.eq(orgId), t.rpConfig.eq(configId), t.rpSlot.eq(oldest.value1()))
                        .execute();
                return Optional.of(RatePermit.grant());
            });
            if (decided.isPresent()) {
                return decided.get();
            }
            createSlots(orgId, configId, perSecond);
        }
        throw new IllegalStateException("the rate permits of config " + configId + " of organization " + orgId
                + " were deleted " + CREATE_ROUNDS + " times while a permit was being taken");
    }

    /** Inserts the slots below {@code perSecond} that are missing, never granted; one statement. */
    private void createSlots(String orgId, String configId, int perSecond) {
        try {
            ctx.execute(createSlots, orgId, configId, NEVER, perSecond - 1);
        } catch (DataAccessException e) {
            // H2's MERGE may still meet a key another taker inserted meanwhile; the next round reads it
            if (e.sqlStateClass() != SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
                throw e;
            }
        }
    }

    /** {@code instant} in epoch milliseconds, rounded up. */
    private static long roundedUp(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }
}
