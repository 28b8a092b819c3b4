package dev.hookengine.store.jdbc;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.orderBy;
import static org.jooq.impl.DSL.partitionBy;
import static org.jooq.impl.DSL.rowNumber;
import static org.jooq.impl.DSL.unquotedName;

import dev.hookengine.model.EventStatus;
import dev.hookengine.spi.EventStats;
import dev.hookengine.spi.EventStats.Latency;
import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.StatsQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

/**
 * {@link EventStore#deliveryStats} in SQL that H2 and PostgreSQL run alike: two reads over the
 * config's events of the range (index {@code events_by_config}), both aggregated in the database so
 * that only a few rows per interval come back whatever the event count.
 *
 * <ul>
 *   <li>Counts: events grouped by interval and status. The interval is
 *       {@code (created_at - from) / interval}, integer division of epoch milliseconds, written with
 *       inline constants so that the grouped expression is the selected one (PostgreSQL compares
 *       them as text, and two bind markers would differ).
 *   <li>Latency: the range's attempts (joined on the attempts' event index), ranked by duration
 *       within their interval and over the whole range with window functions; only the rows at the
 *       nearest ranks of the median, the 95th percentile and the maximum come back
 *       ({@link Latency#rank}, the same whole-number formula in SQL).
 * </ul>
 */
final class JdbcEventStats {

    private static final int[] PERCENTS = {50, 95, 100};

    private final DSLContext ctx;
    private final JdbcTables t;

    JdbcEventStats(DSLContext ctx, JdbcTables tables) {
        this.ctx = ctx;
        this.t = tables;
    }

    EventStats deliveryStats(String orgId, StatsQuery query) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(query, "query");
        Map<Integer, long[]> counts = counts(orgId, query);
        Map<Integer, Latency> latencies = new HashMap<>();
        Latency total = latencies(orgId, query, latencies);
        List<EventStats.Interval> intervals = new ArrayList<>();
        long[] totals = new long[EventStatus.values().length];
        for (Map.Entry<Integer, long[]> entry : counts.entrySet()) {
            long[] byStatus = entry.getValue();
            for (int s = 0; s < byStatus.length; s++) {
                totals[s] += byStatus[s];
            }
            intervals.add(interval(query.intervalStart(entry.getKey()), byStatus, latencies.get(entry.getKey())));
        }
        return new EventStats(intervals, interval(query.from(), totals, total));
    }

    private static EventStats.Interval interval(Instant start, long[] byStatus, Latency latency) {
        return new EventStats.Interval(
                start,
                byStatus[EventStatus.SUCCEEDED.ordinal()],
                byStatus[EventStatus.FAILED.ordinal()],
                byStatus[EventStatus.SKIPPED.ordinal()],
                byStatus[EventStatus.IN_PROGRESS.ordinal()],
                latency);
    }

    /** Events per interval (ascending) and status ordinal. */
    private Map<Integer, long[]> counts(String orgId, StatsQuery query) {
        Field<Long> interval = intervalOf(t.eCreatedAt, query);
        Field<Integer> events = count();
        Map<Integer, long[]> counts = new TreeMap<>();
        ctx.select(interval, t.eStatus, events)
                .from(t.events)
                .where(inRange(t.eOrg, t.eConfig, t.eCreatedAt, orgId, query))
                .groupBy(interval, t.eStatus)
                .forEach(row -> {
                    long[] byStatus = counts.computeIfAbsent(
                            row.get(interval).intValue(), i -> new long[EventStatus.values().length]);
                    byStatus[EventStatus.ofWireName(row.get(t.eStatus)).ordinal()] += row.get(events);
                });
        return counts;
    }

    /**
     * Fills {@code byInterval} with each interval's attempt latency and returns the whole range's
     * ({@code null} when the range has no attempt).
     */
    private Latency latencies(String orgId, StatsQuery query, Map<Integer, Latency> byInterval) {
        Table<?> e = t.events.as(unquotedName("e"));
        Table<?> a = t.attempts.as(unquotedName("a"));
        Field<Long> created = in(e, t.eCreatedAt);
        Field<Long> interval = intervalOf(created, query);
        Field<Long> duration = greatest(in(a, t.aEndedAt).minus(in(a, t.aStartedAt)), inline(0L));
        Table<?> ranked = ctx.select(
                        interval.as("i"),
                        duration.as("d"),
                        rowNumber()
                                .over(partitionBy(interval).orderBy(duration))
                                .as("rn"),
                        count().over(partitionBy(interval)).as("n"),
                        rowNumber().over(orderBy(duration)).as("trn"),
                        count().over().as("tn"))
                .from(e)
                .join(a)
                .on(in(a, t.aOrg).eq(in(e, t.eOrg)), in(a, t.aEvent).eq(in(e, t.eId)))
                .where(inRange(in(e, t.eOrg), in(e, t.eConfig), created, orgId, query))
                .asTable("r");
        Field<Long> i = ranked.field("i", Long.class);
        Field<Long> d = ranked.field("d", Long.class);
        Field<Long> rn = ranked.field("rn", Long.class);
        Field<Long> n = ranked.field("n", Long.class);
        Field<Long> trn = ranked.field("trn", Long.class);
        Field<Long> tn = ranked.field("tn", Long.class);
        Map<Integer, long[]> perInterval = new HashMap<>();
        long[] whole = new long[PERCENTS.length + 1];
        for (Record row : ctx.select(i, d, rn, n, trn, tn)
                .from(ranked)
                .where(atAnyRank(rn, n).or(atAnyRank(trn, tn)))
                .fetch()) {
            long[] found = perInterval.computeIfAbsent(row.get(i).intValue(), k -> new long[PERCENTS.length + 1]);
            keep(found, row.get(rn), row.get(n), row.get(d));
            keep(whole, row.get(trn), row.get(tn), row.get(d));
        }
        perInterval.forEach((index, found) -> byInterval.put(index, latency(found)));
        return whole[0] == 0 ? null : latency(whole);
    }

    /** Whether the row at {@code rank} of {@code n} is one a percentile of {@link #PERCENTS} reads. */
    private static Condition atAnyRank(Field<Long> rank, Field<Long> n) {
        List<Condition> any = new ArrayList<>();
        for (int percent : PERCENTS) {
            // Latency.rank in SQL: ceil(percent * n / 100) in whole numbers
            any.add(rank.eq(n.mul(inline((long) percent)).plus(inline(99L)).div(inline(100L))));
        }
        return any.get(0).or(any.get(1)).or(any.get(2));
    }

    /** {@code found}: the count first, then the duration at each percentile's rank. */
    private static void keep(long[] found, long rank, long n, long duration) {
        found[0] = n;
        for (int p = 0; p < PERCENTS.length; p++) {
            if (rank == Latency.rank(PERCENTS[p], n)) {
                found[p + 1] = duration;
            }
        }
    }

    private static Latency latency(long[] found) {
        return new Latency(found[0], found[1], found[2], found[3]);
    }

    private static Condition inRange(
            Field<String> org, Field<String> config, Field<Long> created, String orgId, StatsQuery query) {
        return org.eq(orgId)
                .and(config.eq(query.configId()))
                .and(created.ge(query.from().toEpochMilli()))
                .and(created.lt(query.to().toEpochMilli()));
    }

    private static Field<Long> intervalOf(Field<Long> created, StatsQuery query) {
        return created.minus(inline(query.from().toEpochMilli()))
                .div(inline(query.interval().toMillis()));
    }

    /** {@code column} of the aliased table {@code table}. */
    private static <T> Field<T> in(Table<?> table, Field<T> column) {
        return field(unquotedName(table.getName(), column.getName()), column.getDataType());
    }
}
