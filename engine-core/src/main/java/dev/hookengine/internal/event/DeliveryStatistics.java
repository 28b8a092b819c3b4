package dev.hookengine.internal.event;

import dev.hookengine.DeliveryStats;
import dev.hookengine.FieldError;
import dev.hookengine.NotFoundException;
import dev.hookengine.ValidationException;
import dev.hookengine.internal.config.ConfigService;
import dev.hookengine.spi.EventStats;
import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.StatsQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A config's deliveries over time ({@code getDeliveryStats}): checks the range the caller asks for,
 * lets the store count ({@link EventStore#deliveryStats}), and gives every interval of the range,
 * those the store left out for having no events as zeros, so that a chart needs no gap filling.
 *
 * <p>Defaults: the 24 hours up to now on the engine's clock (to the millisecond after now, since
 * {@code to} is exclusive and an event created now counts), by the hour. A range is at most 31 days
 * long, between 1970 and year 10000; an interval is a whole number of seconds, from a minute to 31
 * days, and a range is cut into at most {@value StatsQuery#MAX_INTERVALS} intervals (a day by the
 * minute); the range's instants are taken to the millisecond, the precision the stores keep.
 */
public final class DeliveryStatistics {

    private static final String SUBJECT = "delivery stats";
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    /**
     * The longest range a caller may count at once: a month, past the default retention (28 days).
     * The work is proportional to the range's events, and one request must not be able to read and
     * sort everything the store keeps.
     */
    static final Duration MAX_RANGE = Duration.ofDays(31);
    /** The instants a range may name: those the stores keep as epoch milliseconds, before year 10000. */
    private static final Instant EARLIEST = Instant.EPOCH;

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final EventStore store;
    private final ConfigService configs;
    private final Clock clock;

    public DeliveryStatistics(EventStore store, ConfigService configs, Clock clock) {
        this.store = store;
        this.configs = configs;
        this.clock = clock;
    }

    private static void checkInstant(String name, Instant value, List<FieldError> errors) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            errors.add(new FieldError(name, "must be from " + EARLIEST + " to " + LATEST + ", was " + value));
        }
    }

    /**
     * The deliveries of the organization's config {@code configId} in {@code [from, to)}.
     *
     * @param from     the start, inclusive; {@code null} for 24 hours before {@code to}
     * @param to       the end, exclusive; {@code null} for the millisecond after now
     * @param interval the length of an interval; {@code null} for an hour
     * @throws ValidationException naming {@code from}, {@code to} or {@code interval} when the range
     *                             or the interval is wrong
     * @throws NotFoundException   when the organization has no config with this id
     */
    public DeliveryStats of(String orgId, String configId, Instant from, Instant to, Duration interval) {
        ConfigService.requireOrg(orgId);
        List<FieldError> errors = new ArrayList<>();
        checkInstant("from", from, errors);
        checkInstant("to", to, errors);
        Duration step = interval == null ? DEFAULT_INTERVAL : interval;
        if (step.compareTo(MIN_INTERVAL) < 0 || step.compareTo(MAX_RANGE) > 0 || step.getNano() != 0) {
            errors.add(new FieldError(
                    "interval", "must be a whole number of seconds from PT1M to " + MAX_RANGE + ", was " + step));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(SUBJECT, errors);
        }
        // `to` is exclusive: by default it is the millisecond after now, so that an event created now counts
        Instant end = to == null
                ? clock.instant().truncatedTo(ChronoUnit.MILLIS).plusMillis(1)
                : to.truncatedTo(ChronoUnit.MILLIS);
        Instant start = (from == null ? end.minus(DEFAULT_RANGE) : from).truncatedTo(ChronoUnit.MILLIS);
        if (!start.isBefore(end)) {
            errors.add(new FieldError("from", "must be before to (" + end + "), was " + start));
        } else if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            errors.add(new FieldError(
                    "from", "must be at most " + MAX_RANGE.toDays() + " days before to (" + end + "), was " + start));
        } else if (StatsQuery.intervalCount(start, end, step) > StatsQuery.MAX_INTERVALS) {
            errors.add(new FieldError(
                    "interval",
                    "cuts " + start + " to " + end + " into more than " + StatsQuery.MAX_INTERVALS
                            + " intervals: choose a longer interval or a shorter range"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(SUBJECT, errors);
        }
        configs.find(orgId, configId);
        StatsQuery query = new StatsQuery(configId, start, end, step);
        EventStats counted = store.deliveryStats(orgId, query);
        List<DeliveryStats.Counts> intervals = new ArrayList<>(query.intervalCount());
        int next = 0;
        for (EventStats.Interval found : counted.intervals()) {
            int index = query.intervalOf(found.start());
            if (index < next) {
                throw new IllegalStateException("the store answered interval " + found.start()
                        + " out of order or outside " + query.from() + " to " + query.to());
            }
            while (next < index) {
                intervals.add(DeliveryStats.Counts.of(EventStats.Interval.empty(query.intervalStart(next++))));
            }
            intervals.add(DeliveryStats.Counts.of(found));
            next = index + 1;
        }
        while (next < query.intervalCount()) {
            intervals.add(DeliveryStats.Counts.of(EventStats.Interval.empty(query.intervalStart(next++))));
        }
        return new DeliveryStats(configId, start, end, step, DeliveryStats.Counts.of(counted.total()), intervals);
    }
}
