package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DeliveryQueue#renewLease}: a live claim's lease runs from the renewal on,
 * and expires like any other; an expired, released, completed or foreign claim is never renewed.
 *
 * <p>Part of {@link DeliveryQueueContract}.
 */
public abstract class LeaseRenewalContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    LeaseRenewalContract() {}

    @Test
    void renewingALiveClaimExtendsItsLeaseFromNow() {
        WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
        DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
        Instant claimedAt = at(10);
        ClaimedJob claim = store.claim(claimedAt, 1, LEASE, "node-1").get(0);
        Instant renewedAt = claimedAt.plus(LEASE.dividedBy(2));

        Optional<ClaimedJob> renewed = store.renewLease(claim, renewedAt, LEASE);

        assertThat(renewed).contains(new ClaimedJob(job, "node-1", renewedAt.plus(LEASE), claim.leaseToken()));
        assertThat(store.claim(claimedAt.plus(LEASE), 1, LEASE, "node-2"))
                .as("the first lease's expiry no longer frees the job")
                .isEmpty();
        assertThat(store.claim(renewedAt.plus(LEASE).minusMillis(1), 1, LEASE, "node-2"))
                .isEmpty();
        assertThat(store.stats(renewedAt.plus(LEASE).minusMillis(1))).isEqualTo(new QueueStats(1, 0, null));
        assertThat(store.jobsOfEvent(ORG_A, "evt-1"))
                .as("renewal changes nothing else")
                .containsExactly(job);
        assertThat(store.complete(claim))
                .as("the claim still holds its job under its token")
                .isTrue();
    }

    @Test
    void aRenewedLeaseExpiresLikeAnyOther() {
        appendWithJobs(ORG_A, "evt-1", at(0));
        ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
        Instant renewedAt = at(20);
        ClaimedJob renewed = store.renewLease(claim, renewedAt, LEASE).orElseThrow();

        List<ClaimedJob> taken = store.claim(renewed.leaseExpiresAt(), 1, LEASE, "node-2");

        assertThat(jobIds(taken)).containsExactly("org-a-evt-1-job-0");
        assertThat(store.renewLease(renewed, renewed.leaseExpiresAt(), LEASE))
                .as("the taken-over claim is not renewed")
                .isEmpty();
        assertThat(store.claim(renewed.leaseExpiresAt().plusSeconds(1), 1, LEASE, "node-3"))
                .as("the new holder's lease stands")
                .isEmpty();
        assertThat(store.complete(taken.get(0))).isTrue();
    }

    @Test
    void anExpiredLeaseIsNotRenewedEvenWhenNobodyClaimedTheJobAgain() {
        appendWithJobs(ORG_A, "evt-1", at(0));
        ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
        Instant expired = at(10).plus(LEASE);

        assertThat(store.renewLease(claim, expired, LEASE)).isEmpty();

        assertThat(jobIds(store.claim(expired, 1, LEASE, "node-2"))).containsExactly("org-a-evt-1-job-0");
    }

    @Test
    void releasedCompletedAndForeignClaimsAreNotRenewed() {
        appendWithJobs(ORG_A, "evt-1", at(0));
        appendWithJobs(ORG_A, "evt-2", at(0));
        List<ClaimedJob> claims = store.claim(at(10), 2, LEASE, "node-1");
        ClaimedJob released = claims.get(0);
        ClaimedJob completed = claims.get(1);
        assertThat(store.release(released)).isTrue();
        assertThat(store.complete(completed)).isTrue();
        ClaimedJob reclaimed = store.claim(at(10), 1, LEASE, "node-2").get(0);
        ClaimedJob inAnotherOrg = new ClaimedJob(
                new DeliveryJob(
                        reclaimed.job().jobId(),
                        ORG_B,
                        reclaimed.job().eventId(),
                        reclaimed.job().configId(),
                        0,
                        at(0),
                        at(0)),
                "node-2",
                reclaimed.leaseExpiresAt(),
                reclaimed.leaseToken());

        assertThat(store.renewLease(released, at(20), LEASE)).as("released").isEmpty();
        assertThat(store.renewLease(completed, at(20), LEASE)).as("completed").isEmpty();
        assertThat(store.renewLease(inAnotherOrg, at(20), LEASE))
                .as("another organization's job")
                .isEmpty();

        assertThat(store.jobsOfEvent(ORG_A, "evt-2"))
                .as("a renewal never brings a completed job back")
                .isEmpty();
        assertThat(jobIds(store.claim(reclaimed.leaseExpiresAt(), 1, LEASE, "node-3")))
                .as("the current lease was not renewed by the others")
                .containsExactly(released.job().jobId());
    }

    @Test
    void aRenewalWithoutAPositiveLeaseIsRefusedAndChangesNothing() {
        appendWithJobs(ORG_A, "evt-1", at(0));
        ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);

        assertThatThrownBy(() -> store.renewLease(claim, at(20), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(jobIds(store.claim(at(10).plus(LEASE), 1, LEASE, "node-2")))
                .as("the lease was not renewed")
                .containsExactly("org-a-evt-1-job-0");
    }
}
