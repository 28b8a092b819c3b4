package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.RateWindows.SECOND;
import static dev.hookengine.store.tck.RateWindows.earliestInSecondEndingAt;
import static dev.hookengine.store.tck.RateWindows.inSecondEndingAt;
import static dev.hookengine.store.tck.RateWindows.mostInAnySecond;
import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.RatePermit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DeliveryQueue#takePermit}: at most {@code perSecond} permits of one config
 * in any window {@code [t, t + 1 s)}, whatever the threads; with one clock, a permit granted exactly
 * when fewer than {@code perSecond} were granted in the second that ends now, and a refusal's
 * {@code retryAt} the instant the earliest of them is a second old; refusals that change nothing;
 * organizations and configs independent; a raised limit at once, a lowered one after a second;
 * permits forgotten with their config; bad arguments refused.
 *
 * <p>Every test compares the store with a count of the permits it granted, kept here
 * ({@link RateWindows}), step by step.
 *
 * <p>Part of {@link WebhookStoreContract}.
 */
public abstract class RatePermitContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    RatePermitContract() {}

    private static final String CFG = "cfg-1";

    private RatePermit take(int perSecond, Instant now) {
        return store.takePermit(ORG_A, CFG, perSecond, now);
    }

    /** Takes {@code count} permits at {@code now}, all of which must be granted, and adds them to {@code granted}. */
    private void takeGranted(int count, int perSecond, Instant now, List<Instant> granted) {
        for (int i = 0; i < count; i++) {
            assertThat(take(perSecond, now)).as("take %d at %s", i + 1, now).isEqualTo(RatePermit.grant());
            granted.add(now);
        }
    }

    /**
     * Takes one permit at {@code now} and checks the answer against the count of {@code granted}
     * (every permit of the config so far, all at or before {@code now}); adds a grant to it.
     */
    private void takeAsTheCountSays(int perSecond, Instant now, List<Instant> granted) {
        RatePermit permit = take(perSecond, now);
        int inLastSecond = inSecondEndingAt(granted, now);
        if (inLastSecond < perSecond) {
            assertThat(permit)
                    .as("%d of %d permits granted in the second ending at %s", inLastSecond, perSecond, now)
                    .isEqualTo(RatePermit.grant());
            granted.add(now);
        } else {
            assertThat(permit)
                    .as("%d of %d permits granted in the second ending at %s", inLastSecond, perSecond, now)
                    .isEqualTo(RatePermit.refuseUntil(
                            earliestInSecondEndingAt(granted, now).plus(SECOND)));
        }
    }

    @Test
    void grantsPerSecondPermitsAtOnceThenRefusesUntilTheFirstIsASecondOld() {
        List<Instant> granted = new ArrayList<>();
        takeGranted(50, 50, at(0), granted);

        assertThat(take(50, at(0))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        assertThat(take(50, at(999))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        takeGranted(50, 50, at(1000), granted);
        assertThat(take(50, at(1000))).isEqualTo(RatePermit.refuseUntil(at(2000)));
        assertThat(mostInAnySecond(granted)).isEqualTo(50);
    }

    @Test
    void burstsAcrossSecondEdgesGetExactlyWhatTheSlidingWindowAllows() {
        // Fixed one-second buckets would let up to 100 through a window that spans a bucket's edge.
        long[] burstAt = {0, 300, 999, 1000, 1001, 1299, 1300, 1998, 1999, 2000, 2001, 2999, 3000, 3300, 4500};
        int[] burstSize = {20, 20, 20, 20, 20, 30, 30, 10, 60, 60, 5, 10, 60, 60, 70};
        List<Instant> granted = new ArrayList<>();

        for (int b = 0; b < burstAt.length; b++) {
            for (int i = 0; i < burstSize[b]; i++) {
                takeAsTheCountSays(50, at(burstAt[b]), granted);
            }
        }

        assertThat(mostInAnySecond(granted)).isEqualTo(50);
        assertThat(granted).as("every permit the window allowed was granted").hasSize(220);
    }

    @Test
    void randomSequencesOnOneClockGetExactlyWhatTheSlidingWindowAllows() {
        long[] steps = {0, 0, 0, 1, 7, 299, 500, 999, 1000, 1001};
        for (long seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            String configId = "cfg-random-" + seed;
            int perSecond = 1 + random.nextInt(7);
            List<Instant> granted = new ArrayList<>();
            long now = 0;
            for (int attempt = 0; attempt < 300; attempt++) {
                now += steps[random.nextInt(steps.length)];
                RatePermit permit = store.takePermit(ORG_A, configId, perSecond, at(now));
                int inLastSecond = inSecondEndingAt(granted, at(now));
                String step = "seed " + seed + ", attempt " + attempt + " at +" + now + " ms, limit " + perSecond;
                if (inLastSecond < perSecond) {
                    assertThat(permit).as(step).isEqualTo(RatePermit.grant());
                    granted.add(at(now));
                } else {
                    assertThat(permit)
                            .as(step)
                            .isEqualTo(RatePermit.refuseUntil(
                                    earliestInSecondEndingAt(granted, at(now)).plus(SECOND)));
                }
            }
            assertThat(mostInAnySecond(granted)).as("seed %d", seed).isLessThanOrEqualTo(perSecond);
        }
    }

    @Test
    void aRefusalChangesNothing() {
        List<Instant> granted = new ArrayList<>();
        takeGranted(1, 2, at(0), granted);
        takeGranted(1, 2, at(400), granted);
        for (long now = 500; now < 1000; now += 5) {
            assertThat(take(2, at(now))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        }

        takeGranted(1, 2, at(1000), granted);
        assertThat(take(2, at(1000))).isEqualTo(RatePermit.refuseUntil(at(1400)));
        takeGranted(1, 2, at(1400), granted);
        assertThat(mostInAnySecond(granted)).isEqualTo(2);
    }

    @Test
    void retryAtIsTheFirstInstantAPermitIsGrantedAgain() {
        List<Instant> granted = new ArrayList<>();
        takeGranted(1, 3, at(0), granted);
        takeGranted(1, 3, at(100), granted);
        takeGranted(1, 3, at(200), granted);

        RatePermit refused = take(3, at(250));

        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAt()).isEqualTo(at(1000));
        assertThat(take(3, refused.retryAt().minusMillis(1))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        takeGranted(1, 3, refused.retryAt(), granted);
        assertThat(take(3, at(1000))).isEqualTo(RatePermit.refuseUntil(at(1100)));
        assertThat(take(3, at(1099))).isEqualTo(RatePermit.refuseUntil(at(1100)));
        takeGranted(1, 3, at(1100), granted);
    }

    @Test
    void instantsFinerThanAMillisecondNeverLetTwoPermitsIntoOneSecond() {
        Instant first = at(0).plusNanos(500_000); // 0.5 ms

        assertThat(take(1, first)).isEqualTo(RatePermit.grant());
        RatePermit refused = take(1, at(1000).plusNanos(200_000)); // 999.7 ms after the first

        assertThat(refused.granted())
                .as("999.7 ms after the only permit of a 1/s limit")
                .isFalse();
        assertThat(refused.retryAt())
                .as("the exact instant, or at most a millisecond after it")
                .isBetween(first.plus(SECOND), first.plus(SECOND).plusMillis(1));
        assertThat(take(1, refused.retryAt())).isEqualTo(RatePermit.grant());
    }

    @Test
    void organizationsAndConfigsHaveLimitsOfTheirOwn() {
        for (int i = 0; i < 5; i++) {
            assertThat(store.takePermit(ORG_A, "cfg-1", 5, at(0))).isEqualTo(RatePermit.grant());
        }
        assertThat(store.takePermit(ORG_A, "cfg-1", 5, at(0))).isEqualTo(RatePermit.refuseUntil(at(1000)));

        for (int i = 0; i < 5; i++) {
            assertThat(store.takePermit(ORG_A, "cfg-2", 5, at(0)))
                    .as("another config of the organization")
                    .isEqualTo(RatePermit.grant());
            assertThat(store.takePermit(ORG_B, "cfg-1", 5, at(500)))
                    .as("the config id in another organization")
                    .isEqualTo(RatePermit.grant());
        }
        assertThat(store.takePermit(ORG_A, "cfg-2", 5, at(0))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        assertThat(store.takePermit(ORG_B, "cfg-1", 5, at(500))).isEqualTo(RatePermit.refuseUntil(at(1500)));
        assertThat(store.takePermit(ORG_A, "cfg-1", 5, at(999)))
                .as("the others' permits left this config's alone")
                .isEqualTo(RatePermit.refuseUntil(at(1000)));
    }

    @Test
    void concurrentTakersAtOneInstantGetExactlyPerSecondPermits() throws Exception {
        int perSecond = 25;
        int threads = 8;
        int takesPerThread = 10;
        for (Instant now : List.of(at(0), at(1000))) {
            // the first round also races to set up a config the store has never seen
            List<List<RatePermit>> answers = runConcurrently(threads, thread -> () -> {
                List<RatePermit> mine = new ArrayList<>();
                for (int i = 0; i < takesPerThread; i++) {
                    mine.add(take(perSecond, now));
                }
                return mine;
            });

            List<RatePermit> all = answers.stream().flatMap(List::stream).toList();
            assertThat(all.stream().filter(RatePermit::granted).count())
                    .as("permits granted at %s", now)
                    .isEqualTo(perSecond);
            assertThat(all.stream().filter(permit -> !permit.granted()))
                    .as("every refusal names the instant the permits of %s are a second old", now)
                    .allSatisfy(permit -> assertThat(permit.retryAt()).isEqualTo(now.plus(SECOND)));
        }
    }

    @Test
    void concurrentTakersOnAnAdvancingClockNeverExceedTheLimit() throws Exception {
        int perSecond = 7;
        AtomicLong clock = new AtomicLong();
        ConcurrentLinkedQueue<Instant> granted = new ConcurrentLinkedQueue<>();
        runConcurrently(8, thread -> () -> {
            Random random = new Random(thread);
            for (int i = 0; i < 150; i++) {
                // each thread reads the shared clock, then takes: the calls' instants arrive out of order
                Instant now = at(clock.addAndGet(random.nextInt(40)));
                RatePermit permit = take(perSecond, now);
                if (permit.granted()) {
                    granted.add(now);
                } else {
                    assertThat(permit.retryAt()).isAfter(now);
                }
            }
            return null;
        });

        assertThat(mostInAnySecond(granted)).isLessThanOrEqualTo(perSecond);
        long seconds = clock.get() / 1000;
        assertThat(granted)
                .as("permits over %d s of a %d/s limit, most of the seconds full", seconds, perSecond)
                .hasSizeGreaterThan((int) (seconds * perSecond / 2));
    }

    @Test
    void aRaisedLimitAppliesAtOnce() {
        List<Instant> granted = new ArrayList<>();
        takeGranted(5, 5, at(0), granted);
        assertThat(take(5, at(100))).isEqualTo(RatePermit.refuseUntil(at(1000)));

        takeGranted(3, 8, at(100), granted);
        assertThat(take(8, at(100))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        assertThat(mostInAnySecond(granted)).isEqualTo(8);
        for (long now = 1000; now < 3000; now += 37) {
            takeAsTheCountSays(8, at(now), granted);
        }
        assertThat(mostInAnySecond(granted)).isEqualTo(8);
    }

    @Test
    void aLoweredLimitHoldsForEveryWindowAfterTheLastPermitUnderTheHigherOne() {
        List<Instant> underTen = new ArrayList<>();
        takeGranted(7, 10, at(0), underTen);
        takeGranted(3, 10, at(200), underTen);
        List<Instant> underFour = new ArrayList<>();

        for (long now = 250; now < 1200; now += 50) {
            for (int i = 0; i < 3; i++) {
                RatePermit permit = take(4, at(now));
                if (permit.granted()) {
                    underFour.add(at(now));
                } else {
                    assertThat(permit.retryAt()).isAfter(at(now));
                }
            }
        }
        List<Instant> granted = new ArrayList<>(underTen);
        granted.addAll(underFour);
        // Windows holding permits of both limits: at most the higher limit.
        assertThat(mostInAnySecond(granted)).isLessThanOrEqualTo(10);
        // Windows after the last permit under 10 (at 200 ms): at most 4.
        assertThat(mostInAnySecond(granted.stream()
                        .filter(instant -> instant.isAfter(at(200)))
                        .toList()))
                .isLessThanOrEqualTo(4);
        // A second after the last permit under 10, the count of the last second decides again.
        for (long now = 1200; now < 4000; now += 61) {
            takeAsTheCountSays(4, at(now), granted);
        }
        assertThat(mostInAnySecond(granted.stream()
                        .filter(instant -> instant.isAfter(at(200)))
                        .toList()))
                .isLessThanOrEqualTo(4);
    }

    @Test
    void deletingAConfigForgetsItsPermitsAndNoOneElses() {
        store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
        store.insertConfig(ORG_A, config("cfg-2", "order.created", at(0)));
        store.insertConfig(ORG_B, config("cfg-1", "order.created", at(0)));
        assertThat(store.takePermit(ORG_A, "cfg-1", 1, at(0))).isEqualTo(RatePermit.grant());
        assertThat(store.takePermit(ORG_A, "cfg-2", 1, at(0))).isEqualTo(RatePermit.grant());
        assertThat(store.takePermit(ORG_B, "cfg-1", 1, at(0))).isEqualTo(RatePermit.grant());

        assertThat(store.deleteConfig(ORG_A, "cfg-1")).isTrue();

        assertThat(store.takePermit(ORG_A, "cfg-1", 1, at(10)))
                .as("the deleted config's permit is forgotten")
                .isEqualTo(RatePermit.grant());
        assertThat(store.takePermit(ORG_A, "cfg-2", 1, at(10))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        assertThat(store.takePermit(ORG_B, "cfg-1", 1, at(10))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        assertThat(store.deleteConfig(ORG_A, "cfg-unknown")).isFalse();
        assertThat(store.takePermit(ORG_A, "cfg-2", 1, at(20))).isEqualTo(RatePermit.refuseUntil(at(1000)));
    }

    @Test
    void badArgumentsAreRefusedAndChangeNothing() {
        assertThatThrownBy(() -> store.takePermit(null, CFG, 1, at(0)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("orgId");
        assertThatThrownBy(() -> store.takePermit(ORG_A, null, 1, at(0)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("configId");
        assertThatThrownBy(() -> store.takePermit(ORG_A, CFG, 1, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("now");
        for (int perSecond : new int[] {0, -1, Integer.MIN_VALUE, RatePermit.MAX_PER_SECOND + 1, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> take(perSecond, at(0)))
                    .as("perSecond %d", perSecond)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("perSecond");
        }

        assertThat(take(1, at(0))).as("nothing was taken before").isEqualTo(RatePermit.grant());
        assertThat(take(1, at(0))).isEqualTo(RatePermit.refuseUntil(at(1000)));
        assertThat(store.takePermit(ORG_A, "cfg-largest", RatePermit.MAX_PER_SECOND, at(0)))
                .as("the largest limit is accepted")
                .isEqualTo(RatePermit.grant());
    }
}
