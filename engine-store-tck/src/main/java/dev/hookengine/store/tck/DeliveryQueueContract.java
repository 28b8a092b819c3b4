package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.ClaimedDelivery;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DeliveryQueue}. {@link Claims}: due jobs claimed earliest first under a
 * lease, at most {@code max} at a time, across organizations, and again only once their lease
 * expired, each claim with its own lease token; {@code claimDeliveries}, the same with each claim's
 * event; {@code claimJob}; {@code complete},
 * {@code reschedule} and {@code release}, which succeed for the current claim only;
 * {@code jobsOfEvent} and {@code stats}. Lease renewal ({@link LeaseRenewal}), outcomes
 * ({@link Outcomes}) and concurrent claimers ({@link Concurrency}) have contracts of their own.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class DeliveryQueueContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    DeliveryQueueContract() {}

    /** Claims and what a claim may do: complete, reschedule or release its job, while it holds it. */
    @Nested
    class Claims {

        @Test
        void claimHandsOutDueJobsEarliestFirstUnderALease() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob third = job("job-c", event, 0, at(300));
            DeliveryJob first = job("job-a", event, 2, at(100));
            DeliveryJob second = job("job-b", event, 0, at(200));
            append(event, third, first, second);
            Instant now = at(1000);

            List<ClaimedJob> claimed = store.claim(now, 10, LEASE, "node-1");

            assertThat(claimed).extracting(ClaimedJob::job).containsExactly(first, second, third);
            assertThat(claimed).allSatisfy(claim -> {
                assertThat(claim.nodeId()).isEqualTo("node-1");
                assertThat(claim.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
            });
        }

        @Test
        void claimDeliveriesHandsOutEachClaimWithItsEventInClaimOrder() {
            WebhookEvent one = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            WebhookEvent two = event(ORG_B, "evt-2", "cfg-2", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob second = job("job-b", one, 0, at(200));
            DeliveryJob first = job("job-a", two, 1, at(100));
            DeliveryJob third = job("job-c", one, 0, at(300));
            DeliveryJob notDue = job("job-d", two, 0, at(5_000));
            append(one, second, third);
            append(two, first, notDue);
            Instant now = at(1000);

            List<ClaimedDelivery> claimed = store.claimDeliveries(now, 10, LEASE, "node-1");

            assertThat(claimed)
                    .extracting(
                            delivery -> delivery.claim().job(),
                            delivery -> delivery.event().orElseThrow().eventId())
                    .containsExactly(tuple(first, "evt-2"), tuple(second, "evt-1"), tuple(third, "evt-1"));
            assertThat(claimed.get(0).event())
                    .contains(store.findEvent(ORG_B, "evt-2").orElseThrow());
            assertThat(claimed).allSatisfy(delivery -> {
                assertThat(delivery.claim().nodeId()).isEqualTo("node-1");
                assertThat(delivery.claim().leaseExpiresAt()).isEqualTo(now.plus(LEASE));
            });
            assertThat(store.claim(now, 10, LEASE, "node-2"))
                    .as("leased like any claim")
                    .isEmpty();
            assertThat(store.complete(claimed.get(1).claim()))
                    .as("the claim holds its job")
                    .isTrue();
            assertThat(store.claimDeliveries(now, 10, LEASE, "node-2")).isEmpty();
        }

        @Test
        void claimDeliveriesTakesAtMostMax() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(event, job("job-a", event, 0, at(1)), job("job-b", event, 0, at(2)), job("job-c", event, 0, at(3)));

            assertThat(store.claimDeliveries(at(10), 2, LEASE, "node-1"))
                    .extracting(delivery -> delivery.claim().job().jobId())
                    .containsExactly("job-a", "job-b");
        }

        @Test
        void claimDeliveriesHandsOutAJobWhoseEventIsGoneWithNoEvent() {
            // Retention purges an ended event with its attempts and leaves its jobs (purgeEvents): a
            // job still queued then has no event, and its claim says so instead of failing the round.
            WebhookEvent ended = event(ORG_A, "evt-old", "cfg-1", at(0), EventStatus.SUCCEEDED);
            append(ended, job("job-orphan", ended, 0, at(10)));
            assertThat(store.purgeEvents(at(100), 10)).isEqualTo(1);

            List<ClaimedDelivery> claimed = store.claimDeliveries(at(1000), 10, LEASE, "node-1");

            assertThat(claimed).singleElement().satisfies(delivery -> {
                assertThat(delivery.claim().job().jobId()).isEqualTo("job-orphan");
                assertThat(delivery.event()).isEmpty();
            });
        }

        @Test
        void claimJobLeasesOneNamedJobWhateverItsDueAt() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob later = job("job-later", event, 0, at(5000));
            DeliveryJob other = job("job-other", event, 0, at(0));
            append(event, later, other);

            ClaimedJob claim =
                    store.claimJob(ORG_A, "job-later", at(10), LEASE, "node-1").orElseThrow();

            assertThat(claim.job()).isEqualTo(later);
            assertThat(claim.nodeId()).isEqualTo("node-1");
            assertThat(claim.leaseExpiresAt()).isEqualTo(at(10).plus(LEASE));
            assertThat(jobIds(store.claim(at(6000), 10, LEASE, "node-2")))
                    .as("the claimed job is leased")
                    .containsExactly("job-other");
            assertThat(store.claimJob(ORG_A, "job-later", at(20), LEASE, "node-2"))
                    .as("a live lease holds it")
                    .isEmpty();
            ClaimedJob again = store.claimJob(ORG_A, "job-later", at(10).plus(LEASE), LEASE, "node-2")
                    .orElseThrow();
            assertThat(again.leaseToken()).as("an expired lease is free").isNotEqualTo(claim.leaseToken());
            assertThat(store.complete(claim)).isFalse();
            assertThat(store.complete(again)).isTrue();
        }

        @Test
        void claimJobFindsNothingUnknownOrForeign() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(event, job("job-1", event, 0, at(0)));

            assertThat(store.claimJob(ORG_B, "job-1", at(10), LEASE, "node-1")).isEmpty();
            assertThat(store.claimJob(ORG_A, "job-2", at(10), LEASE, "node-1")).isEmpty();
            assertThat(jobIds(store.claim(at(10), 10, LEASE, "node-1"))).containsExactly("job-1");
        }

        @Test
        void aJobIsNotClaimableBeforeItsDueAt() {
            appendWithJobs(ORG_A, "evt-1", at(1000), at(1001));

            assertThat(store.claim(at(999), 10, LEASE, "node-1")).isEmpty();
            assertThat(jobIds(store.claim(at(1000), 10, LEASE, "node-1"))).containsExactly("org-a-evt-1-job-0");
            assertThat(jobIds(store.claim(at(1000), 10, LEASE, "node-1"))).isEmpty();
            assertThat(jobIds(store.claim(at(1001), 10, LEASE, "node-1"))).containsExactly("org-a-evt-1-job-1");
        }

        @Test
        void claimReturnsAtMostMaxJobs() {
            appendWithJobs(ORG_A, "evt-1", at(50), at(40), at(30), at(20), at(10));
            Instant now = at(100);

            List<ClaimedJob> first = store.claim(now, 2, LEASE, "node-1");
            List<ClaimedJob> second = store.claim(now, 2, LEASE, "node-1");
            List<ClaimedJob> third = store.claim(now, 2, LEASE, "node-1");
            List<ClaimedJob> fourth = store.claim(now, 2, LEASE, "node-1");

            assertThat(first).extracting(claim -> claim.job().dueAt()).containsExactly(at(10), at(20));
            assertThat(second).extracting(claim -> claim.job().dueAt()).containsExactly(at(30), at(40));
            assertThat(third).extracting(claim -> claim.job().dueAt()).containsExactly(at(50));
            assertThat(fourth).isEmpty();
            assertThat(store.claim(now, 1, LEASE, "node-2")).isEmpty();
        }

        @Test
        void jobsWhoseLeaseExpiredAndJobsNeverClaimedComeTogetherEarliestFirst() {
            appendWithJobs(ORG_A, "evt-1", at(10), at(20), at(30), at(40));
            List<ClaimedJob> shortLeases = store.claim(at(25), 10, Duration.ofSeconds(1), "node-1");
            assertThat(shortLeases).extracting(claim -> claim.job().dueAt()).containsExactly(at(10), at(20));

            List<ClaimedJob> claimed = store.claim(at(25).plusSeconds(1), 10, LEASE, "node-2");

            assertThat(claimed)
                    .extracting(claim -> claim.job().dueAt())
                    .containsExactly(at(10), at(20), at(30), at(40));
            assertThat(claimed).allSatisfy(claim -> assertThat(claim.nodeId()).isEqualTo("node-2"));
        }

        @Test
        void jobsOfEveryOrganizationAreClaimed() {
            appendWithJobs(ORG_A, "evt-1", at(10));
            appendWithJobs(ORG_B, "evt-1", at(20));

            List<ClaimedJob> claimed = store.claim(at(100), 10, LEASE, "node-1");

            assertThat(claimed).extracting(claim -> claim.job().orgId()).containsExactly(ORG_A, ORG_B);
            assertThat(jobIds(claimed)).containsExactly("org-a-evt-1-job-0", "org-b-evt-1-job-0");
        }

        @Test
        void aLeasedJobIsClaimableAgainOnlyOnceItsLeaseExpired() {
            DeliveryJob job = store.jobsOfEvent(
                            ORG_A, appendWithJobs(ORG_A, "evt-1", at(0)).eventId())
                    .get(0);
            Instant now = at(1000);
            ClaimedJob first = store.claim(now, 10, LEASE, "node-1").get(0);

            assertThat(store.claim(now, 10, LEASE, "node-2")).isEmpty();
            assertThat(store.claim(now.plus(LEASE).minusMillis(1), 10, LEASE, "node-2"))
                    .isEmpty();
            List<ClaimedJob> again = store.claim(now.plus(LEASE), 10, LEASE, "node-2");

            assertThat(again).hasSize(1);
            ClaimedJob second = again.get(0);
            assertThat(second.job()).isEqualTo(job);
            assertThat(second.nodeId()).isEqualTo("node-2");
            assertThat(second.leaseExpiresAt()).isEqualTo(now.plus(LEASE).plus(LEASE));
            assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());
            assertThat(store.claim(now.plus(LEASE), 10, LEASE, "node-3")).isEmpty();
        }

        @Test
        void everyClaimOfAJobHasItsOwnLeaseToken() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            Set<Long> tokens = new HashSet<>();
            Instant now = at(0);

            for (int round = 0; round < 3; round++) {
                ClaimedJob released = store.claim(now, 1, LEASE, "node-1").get(0);
                tokens.add(released.leaseToken());
                assertThat(store.release(released)).isTrue();
                ClaimedJob expired = store.claim(now, 1, LEASE, "node-2").get(0);
                tokens.add(expired.leaseToken());
                now = now.plus(LEASE);
            }

            assertThat(tokens).hasSize(6);
        }

        @Test
        void completeRemovesTheJob() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0), at(5000));
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);

            assertThat(store.complete(claim)).isTrue();

            assertThat(store.jobsOfEvent(ORG_A, event.eventId()))
                    .extracting(DeliveryJob::jobId)
                    .containsExactly("org-a-evt-1-job-1");
            assertThat(store.stats(at(10)).depth()).isEqualTo(1);
            assertThat(jobIds(store.claim(at(10).plus(LEASE).plus(LEASE), 10, LEASE, "node-2")))
                    .containsExactly("org-a-evt-1-job-1");
            assertThat(store.complete(claim)).isFalse();
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
        }

        @Test
        void completeWithAStaleClaimReturnsFalseAndChangesNothing() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant later = at(10).plus(LEASE);
            ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);

            assertThat(store.complete(stale)).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.claim(later, 1, LEASE, "node-3"))
                    .as("the current lease still holds")
                    .isEmpty();
            assertThat(store.complete(current)).isTrue();
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
        }

        @Test
        void rescheduleSetsAttemptAndDueAtAndClearsTheLease() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant retryAt = at(20); // well before the lease would expire

            assertThat(store.reschedule(claim, 1, retryAt)).isTrue();

            DeliveryJob rescheduled = new DeliveryJob(
                    job.jobId(), job.orgId(), job.eventId(), job.configId(), 1, retryAt, job.createdAt());
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(rescheduled);
            assertThat(store.stats(at(19))).isEqualTo(new QueueStats(1, 0, null));
            assertThat(store.claim(at(19), 1, LEASE, "node-2")).isEmpty();
            List<ClaimedJob> reclaimed = store.claim(retryAt, 1, LEASE, "node-2");
            assertThat(reclaimed).extracting(ClaimedJob::job).containsExactly(rescheduled);
            assertThat(reclaimed.get(0).leaseToken()).isNotEqualTo(claim.leaseToken());
            assertThat(store.complete(claim))
                    .as("the rescheduled claim no longer holds the job")
                    .isFalse();
            assertThat(store.complete(reclaimed.get(0))).isTrue();
        }

        @Test
        void rescheduleWithAStaleClaimReturnsFalseAndChangesNothing() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant later = at(10).plus(LEASE);
            ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);

            assertThat(store.reschedule(stale, 3, later.plusSeconds(1))).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.claim(later.plusSeconds(1), 1, LEASE, "node-3"))
                    .as("the current lease still holds")
                    .isEmpty();
            assertThat(store.reschedule(current, 1, later.plusSeconds(2))).isTrue();
            assertThat(store.jobsOfEvent(ORG_A, "evt-1"))
                    .extracting(DeliveryJob::attempt, DeliveryJob::dueAt)
                    .containsExactly(tuple(1, later.plusSeconds(2)));
        }

        @Test
        void releaseGivesTheJobBackUntouchedAndClaimableAtOnce() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob job = job("job-1", event, 2, at(100));
            append(event, job);
            Instant now = at(1000);
            ClaimedJob claim = store.claim(now, 1, LEASE, "node-1").get(0);

            assertThat(store.release(claim)).isTrue();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.stats(now)).isEqualTo(new QueueStats(1, 1, at(100)));
            List<ClaimedJob> again = store.claim(now, 1, LEASE, "node-2");
            assertThat(again).extracting(ClaimedJob::job).containsExactly(job);
            assertThat(again.get(0).leaseToken()).isNotEqualTo(claim.leaseToken());
        }

        @Test
        void releaseWithAStaleClaimReturnsFalseAndChangesNothing() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant later = at(10).plus(LEASE);
            ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);

            assertThat(store.release(stale)).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.claim(later, 1, LEASE, "node-3"))
                    .as("the current lease still holds")
                    .isEmpty();
            assertThat(store.release(current)).isTrue();
            assertThat(jobIds(store.claim(later, 1, LEASE, "node-3"))).containsExactly(job.jobId());
        }

        @Test
        void aReleasedClaimNoLongerHoldsTheJob() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
            assertThat(store.release(claim)).isTrue();

            assertThat(store.release(claim)).isFalse();
            assertThat(store.reschedule(claim, 1, at(99_999))).isFalse();
            assertThat(store.complete(claim)).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
        }

        @Test
        void jobsOfEventListsLeasedAndWaitingJobsEarliestFirst() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob later = job("job-later", event, 0, at(5000));
            DeliveryJob sooner = job("job-sooner", event, 0, at(10));
            DeliveryJob middle = job("job-middle", event, 0, at(3000));
            append(event, later, sooner, middle);
            appendWithJobs(ORG_A, "evt-2", at(1));

            assertThat(jobIds(store.claim(at(20), 10, LEASE, "node-1")))
                    .containsExactly("org-a-evt-2-job-0", "job-sooner");

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(sooner, middle, later);
            assertThat(store.jobsOfEvent(ORG_A, "evt-2"))
                    .extracting(DeliveryJob::jobId)
                    .containsExactly("org-a-evt-2-job-0");
            assertThat(store.jobsOfEvent(ORG_A, "evt-unknown")).isEmpty();
        }

        @Test
        void statsOfAnEmptyQueue() {
            assertThat(store.stats(at(0))).isEqualTo(new QueueStats(0, 0, null));
        }

        @Test
        void statsCountDepthDueJobsAndTheOldestDueAt() {
            appendWithJobs(ORG_A, "evt-1", at(50), at(60), at(100), at(200));
            appendWithJobs(ORG_B, "evt-1", at(5000));
            ClaimedJob shortLease =
                    store.claim(at(50), 1, Duration.ofMillis(100), "node-1").get(0);
            ClaimedJob longLease = store.claim(at(60), 1, LEASE, "node-1").get(0);
            assertThat(shortLease.job().dueAt()).isEqualTo(at(50));
            assertThat(longLease.job().dueAt()).isEqualTo(at(60));

            // at 10 nothing is due; everything counts toward depth
            assertThat(store.stats(at(10))).isEqualTo(new QueueStats(5, 0, null));
            // at 120 the job due at 100 waits; the jobs due at 50 and 60 are leased
            assertThat(store.stats(at(120))).isEqualTo(new QueueStats(5, 1, at(100)));
            // at 1000 the short lease expired: the job due at 50 waits again, with those due at 100 and 200
            assertThat(store.stats(at(1000))).isEqualTo(new QueueStats(5, 3, at(50)));
            // once every lease expired, every due job counts, in every organization
            assertThat(store.stats(at(60).plus(LEASE).plusSeconds(10))).isEqualTo(new QueueStats(5, 5, at(50)));
        }
    }

    /** {@link DeliveryQueue#renewLease}, a contract of its own. */
    @Nested
    class LeaseRenewal extends LeaseRenewalContract {}

    /** {@link DeliveryQueue#recordOutcomes}, a contract of its own. */
    @Nested
    class Outcomes extends RecordOutcomesContract {}

    /** The queue under concurrent claimers and racing operations, a contract of its own. */
    @Nested
    class Concurrency extends QueueConcurrencyContract {}
}
