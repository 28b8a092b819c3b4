package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventStats;
import dev.hookengine.spi.EventStats.Interval;
import dev.hookengine.spi.EventStats.Latency;
import dev.hookengine.spi.StatsQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@code EventStore.deliveryStats}: each event of the config created in
 * {@code [from, to)} counted once, in the interval of its {@code created_at}, by its current status;
 * intervals without events left out; the last interval partial; the latency of the events'
 * attempts (whenever they ran) by nearest rank, per interval and over the range; other configs and
 * organizations never counted.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class DeliveryStatsContract extends StoreContractSupport {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final StatsQuery THREE_HOURS = new StatsQuery("cfg-1", T0, T0.plus(Duration.ofHours(3)), HOUR);

    private int events;

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    DeliveryStatsContract() {}

    /** A new event of the config, created {@code offset} after T0, with carriers for {@code attempts} attempts. */
    private WebhookEvent event(String orgId, String configId, Duration offset, EventStatus status, int attempts) {
        WebhookEvent event = StoreFixtures.event(orgId, "evt-" + (++events), configId, T0.plus(offset), status);
        DeliveryJob[] carriers = new DeliveryJob[attempts];
        for (int i = 0; i < attempts; i++) {
            carriers[i] = attemptCarrier(event, i + 1);
        }
        append(event, carriers);
        return event;
    }

    private WebhookEvent event(Duration offset, EventStatus status) {
        return event(ORG_A, "cfg-1", offset, status, 0);
    }

    /** Writes attempt {@code number} of {@code event}, started {@code startOffset} after T0, lasting {@code millis}. */
    private void attempt(WebhookEvent event, int number, Duration startOffset, long millis) {
        Instant start = T0.plus(startOffset);
        recordAttempt(new DeliveryAttempt(
                event.orgId(), event.eventId(), number, start, start.plusMillis(millis), 200, null, null, "ok"));
    }

    private static Interval counts(Duration start, long succeeded, long failed, long skipped, long inProgress) {
        return new Interval(T0.plus(start), succeeded, failed, skipped, inProgress, null);
    }

    @Test
    void countsEachEventOnceInTheIntervalOfItsCreationByStatus() {
        event(Duration.ZERO, EventStatus.SUCCEEDED); // at from: counted
        event(Duration.ofMinutes(59), EventStatus.FAILED);
        event(Duration.ofMinutes(59).plusSeconds(59).plusMillis(999), EventStatus.SUCCEEDED);
        event(HOUR, EventStatus.SKIPPED); // at an interval's start: that interval
        event(Duration.ofHours(2).plusMinutes(30), EventStatus.IN_PROGRESS);
        event(Duration.ofHours(2).plusMinutes(31), EventStatus.SUCCEEDED);
        event(Duration.ofMillis(-1), EventStatus.SUCCEEDED); // before from
        event(Duration.ofHours(3), EventStatus.SUCCEEDED); // at to: not counted
        event(ORG_A, "cfg-2", Duration.ofMinutes(5), EventStatus.FAILED, 0); // another config
        event(ORG_B, "cfg-1", Duration.ofMinutes(5), EventStatus.FAILED, 0); // another organization

        EventStats stats = store.deliveryStats(ORG_A, THREE_HOURS);

        assertThat(stats.intervals())
                .containsExactly(
                        counts(Duration.ZERO, 2, 1, 0, 0),
                        counts(HOUR, 0, 0, 1, 0),
                        counts(Duration.ofHours(2), 1, 0, 0, 1));
        assertThat(stats.total()).isEqualTo(new Interval(T0, 3, 1, 1, 1, null));
    }

    @Test
    void leavesOutIntervalsWithoutEventsAndCutsTheLastOneAtTo() {
        event(Duration.ofMinutes(10), EventStatus.SUCCEEDED);
        event(Duration.ofHours(2).plusMinutes(25), EventStatus.FAILED);
        event(Duration.ofHours(2).plusMinutes(30), EventStatus.FAILED); // at to

        StatsQuery twoAndAHalfHours = new StatsQuery("cfg-1", T0, T0.plus(Duration.ofMinutes(150)), HOUR);
        EventStats stats = store.deliveryStats(ORG_A, twoAndAHalfHours);

        assertThat(stats.intervals())
                .containsExactly(counts(Duration.ZERO, 1, 0, 0, 0), counts(Duration.ofHours(2), 0, 1, 0, 0));
        assertThat(stats.total()).isEqualTo(new Interval(T0, 1, 1, 0, 0, null));
    }

    @Test
    void countsTheStatusAnEventHasNow() {
        WebhookEvent event = event(ORG_A, "cfg-1", Duration.ofMinutes(1), EventStatus.IN_PROGRESS, 1);
        assertThat(store.deliveryStats(ORG_A, THREE_HOURS).total().inProgress()).isEqualTo(1);

        recordOutcome(
                new DeliveryAttempt(
                        ORG_A, event.eventId(), 1, T0.plusSeconds(61), T0.plusSeconds(62), 200, null, null, "ok"),
                event.toBuilder().status(EventStatus.SUCCEEDED).build());

        EventStats stats = store.deliveryStats(ORG_A, THREE_HOURS);
        assertThat(stats.total()).isEqualTo(new Interval(T0, 1, 0, 0, 0, new Latency(1, 1_000, 1_000, 1_000)));
    }

    @Test
    void latencyIsByNearestRankPerIntervalAndOverTheRange() {
        // interval 0: 20 attempts of 1..20 ms over 4 events (5 attempts each), written out of order
        long[] shuffled = {7, 20, 1, 13, 2, 19, 8, 14, 3, 18, 9, 15, 4, 17, 10, 16, 5, 12, 11, 6};
        for (int e = 0; e < 4; e++) {
            WebhookEvent event = event(ORG_A, "cfg-1", Duration.ofMinutes(e), EventStatus.FAILED, 5);
            for (int a = 0; a < 5; a++) {
                attempt(event, a + 1, Duration.ofMinutes(e).plusSeconds(a), shuffled[e * 5 + a]);
            }
        }
        // interval 2: one attempt of 500 ms
        WebhookEvent slow = event(ORG_A, "cfg-1", Duration.ofMinutes(150), EventStatus.SUCCEEDED, 1);
        attempt(slow, 1, Duration.ofMinutes(150), 500);

        EventStats stats = store.deliveryStats(ORG_A, THREE_HOURS);

        // 20 values: the median is the 10th, the 95th percentile the 19th
        assertThat(stats.intervals())
                .extracting(Interval::latency)
                .containsExactly(new Latency(20, 10, 19, 20), new Latency(1, 500, 500, 500));
        // 21 values: ranks ceil(10.5) = 11 and ceil(19.95) = 20
        assertThat(stats.total().latency()).isEqualTo(new Latency(21, 11, 20, 500));
    }

    @Test
    void theNinetyFifthPercentileOfTwelveIsTheTwelfth() {
        // ceil(0.95 * 12) = ceil(11.4) = 12: a rank rounded to the nearest (11) would be wrong
        for (int e = 0; e < 2; e++) {
            WebhookEvent event = event(ORG_A, "cfg-1", Duration.ofMinutes(e), EventStatus.FAILED, 6);
            for (int a = 0; a < 6; a++) {
                attempt(event, a + 1, Duration.ofMinutes(e).plusSeconds(a), 100L * (e * 6 + a + 1));
            }
        }

        assertThat(store.deliveryStats(ORG_A, THREE_HOURS).total().latency())
                .isEqualTo(new Latency(12, 600, 1_200, 1_200));
    }

    @Test
    void anAttemptCountsInTheIntervalOfItsEventWheneverItRan() {
        WebhookEvent event = event(ORG_A, "cfg-1", Duration.ofMinutes(5), EventStatus.SUCCEEDED, 2);
        attempt(event, 1, Duration.ofMinutes(5), 30);
        attempt(event, 2, Duration.ofHours(5), 40); // a retry hours later, past the range

        EventStats stats = store.deliveryStats(ORG_A, THREE_HOURS);

        assertThat(stats.intervals()).containsExactly(new Interval(T0, 1, 0, 0, 0, new Latency(2, 30, 40, 40)));
    }

    @Test
    void anAttemptThatEndedBeforeItStartedTookNoTime() {
        WebhookEvent event = event(ORG_A, "cfg-1", Duration.ofMinutes(5), EventStatus.FAILED, 1);
        Instant start = T0.plusSeconds(400);
        recordAttempt(new DeliveryAttempt(
                ORG_A, event.eventId(), 1, start, start.minusMillis(70), null, "TIMEOUT", "stepped back", null));

        assertThat(store.deliveryStats(ORG_A, THREE_HOURS).total().latency()).isEqualTo(new Latency(1, 0, 0, 0));
    }

    @Test
    void attemptsOfOtherConfigsAndOrganizationsAreNotMeasured() {
        WebhookEvent mine = event(ORG_A, "cfg-1", Duration.ofMinutes(5), EventStatus.SUCCEEDED, 1);
        attempt(mine, 1, Duration.ofMinutes(5), 10);
        WebhookEvent otherConfig = event(ORG_A, "cfg-2", Duration.ofMinutes(5), EventStatus.SUCCEEDED, 1);
        attempt(otherConfig, 1, Duration.ofMinutes(5), 9_000);
        WebhookEvent otherOrg = event(ORG_B, "cfg-1", Duration.ofMinutes(5), EventStatus.SUCCEEDED, 1);
        attempt(otherOrg, 1, Duration.ofMinutes(5), 8_000);
        // the same event id in another organization: its attempts are that organization's
        WebhookEvent sameIdElsewhere =
                StoreFixtures.event(ORG_B, mine.eventId(), "cfg-9", mine.createdAt(), EventStatus.SUCCEEDED);
        append(sameIdElsewhere, attemptCarrier(sameIdElsewhere, 1));
        recordAttempt(new DeliveryAttempt(ORG_B, mine.eventId(), 1, T0, T0.plusMillis(7_000), 200, null, null, "ok"));

        assertThat(store.deliveryStats(ORG_A, THREE_HOURS).total())
                .isEqualTo(new Interval(T0, 1, 0, 0, 0, new Latency(1, 10, 10, 10)));
        assertThat(store.deliveryStats(ORG_B, THREE_HOURS).total())
                .isEqualTo(new Interval(T0, 1, 0, 0, 0, new Latency(1, 8_000, 8_000, 8_000)));
    }

    @Test
    void nothingToCountIsAnEmptyAnswer() {
        event(Duration.ofHours(4), EventStatus.SUCCEEDED);

        EventStats stats = store.deliveryStats(ORG_A, THREE_HOURS);
        EventStats unknownConfig =
                store.deliveryStats(ORG_A, new StatsQuery("cfg-none", T0, T0.plus(Duration.ofHours(5)), HOUR));
        EventStats unknownOrg = store.deliveryStats("org-none", THREE_HOURS);

        for (EventStats empty : List.of(stats, unknownConfig, unknownOrg)) {
            assertThat(empty.intervals()).isEmpty();
            assertThat(empty.total()).isEqualTo(Interval.empty(T0));
        }
    }

    @Test
    void aMinuteByMinuteDayIsCountedExactly() {
        // one event per 7 minutes over a day; 1,440 intervals of a minute
        int expected = 0;
        for (int minute = 0; minute < 1_440; minute += 7) {
            event(Duration.ofMinutes(minute).plusSeconds(30), EventStatus.SUCCEEDED);
            expected++;
        }
        StatsQuery day = new StatsQuery("cfg-1", T0, T0.plus(Duration.ofDays(1)), Duration.ofMinutes(1));

        EventStats stats = store.deliveryStats(ORG_A, day);

        assertThat(stats.intervals()).hasSize(expected);
        assertThat(stats.intervals())
                .allSatisfy(interval -> assertThat(interval.succeeded()).isEqualTo(1));
        assertThat(stats.intervals().get(expected - 1).start()).isEqualTo(T0.plus(Duration.ofMinutes(1_435)));
        assertThat(stats.total().succeeded()).isEqualTo(expected);
    }
}
