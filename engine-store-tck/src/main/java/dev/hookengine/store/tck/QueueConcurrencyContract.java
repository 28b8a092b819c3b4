package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.QueueStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery queue under concurrency: eight threads claiming ten thousand jobs hand out every job
 * once per lease, and again once after the leases expired, with fresh tokens; the stale claims then
 * change nothing; and of racing {@code complete}, {@code release} and {@code reschedule} calls on one
 * claim, exactly one succeeds.
 *
 * <p>Part of {@link DeliveryQueueContract}.
 */
public abstract class QueueConcurrencyContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    QueueConcurrencyContract() {}

    private static final int EVENTS = 1_000;

    private static final int JOBS_PER_EVENT = 10;

    private static final int JOBS = EVENTS * JOBS_PER_EVENT;

    private static final int THREADS = 8;

    private static final int BATCH = 50;

    /** Queues {@link #JOBS} jobs over {@link #EVENTS} events, all due at {@code T0 + 1 h}, keyed by id. */
    private Map<String, DeliveryJob> queueJobs() {
        Map<String, DeliveryJob> jobs = new HashMap<>();
        for (int e = 0; e < EVENTS; e++) {
            String org = e % 2 == 0 ? ORG_A : ORG_B;
            WebhookEvent event = event(org, String.format("evt%05d", e), "cfg-1", at(e), EventStatus.IN_PROGRESS);
            DeliveryJob[] eventJobs = new DeliveryJob[JOBS_PER_EVENT];
            for (int j = 0; j < JOBS_PER_EVENT; j++) {
                // distinct due instants so that the order within each batch can be checked
                DeliveryJob job = job(String.format("job%05d-%02d", e, j), event, 0, at(e * JOBS_PER_EVENT + j));
                eventJobs[j] = job;
                jobs.put(job.jobId(), job);
            }
            append(event, eventJobs);
        }
        return jobs;
    }

    /**
     * Claims from {@link #THREADS} threads at {@code now} until the queue has nothing left to hand
     * out, checking each batch, and returns every claim.
     */
    private List<ClaimedJob> claimAllConcurrently(Instant now) throws Exception {
        AtomicInteger handedOut = new AtomicInteger();
        List<List<ClaimedJob>> perThread = runConcurrently(THREADS, thread -> () -> {
            String node = "node-" + thread;
            List<ClaimedJob> mine = new ArrayList<>();
            int emptyInARow = 0;
            while (true) {
                List<ClaimedJob> batch = store.claim(now, BATCH, LEASE, node);
                if (batch.isEmpty()) {
                    // A store may answer empty while rows are locked by a concurrent claim
                    // (SKIP LOCKED); poll a little before concluding that the queue is drained.
                    if (handedOut.get() >= JOBS || ++emptyInARow > 200) {
                        return mine;
                    }
                    Thread.onSpinWait();
                    continue;
                }
                emptyInARow = 0;
                if (handedOut.addAndGet(batch.size()) > JOBS) {
                    mine.addAll(batch);
                    return mine; // some job was handed out twice: stop, the caller's checks fail
                }
                assertThat(batch).hasSizeLessThanOrEqualTo(BATCH);
                assertThat(batch).extracting(claim -> claim.job().dueAt()).isSorted();
                for (ClaimedJob claim : batch) {
                    assertThat(claim.nodeId()).isEqualTo(node);
                    assertThat(claim.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
                }
                mine.addAll(batch);
            }
        });
        return perThread.stream().flatMap(List::stream).toList();
    }

    private Map<String, ClaimedJob> byJobId(List<ClaimedJob> claims, Map<String, DeliveryJob> jobs) {
        Map<String, ClaimedJob> byId = new HashMap<>();
        for (ClaimedJob claim : claims) {
            ClaimedJob previous = byId.put(claim.job().jobId(), claim);
            assertThat(previous)
                    .as("job %s handed out twice", claim.job().jobId())
                    .isNull();
        }
        assertThat(claims).hasSize(JOBS);
        assertThat(byId.keySet()).isEqualTo(jobs.keySet());
        for (ClaimedJob claim : claims) {
            assertThat(claim.job()).isEqualTo(jobs.get(claim.job().jobId()));
        }
        return byId;
    }

    @Test
    @Timeout(value = 4 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void concurrentClaimsHandOutEveryJobOncePerLease() throws Exception {
        Map<String, DeliveryJob> jobs = queueJobs();
        Instant now = at(JOBS + 60_000);
        assertThat(store.stats(now)).isEqualTo(new QueueStats(JOBS, JOBS, at(0)));

        Map<String, ClaimedJob> firstClaims = byJobId(claimAllConcurrently(now), jobs);

        assertThat(store.claim(now, BATCH, LEASE, "latecomer")).isEmpty();
        assertThat(store.claim(now.plus(LEASE).minusMillis(1), BATCH, LEASE, "latecomer"))
                .isEmpty();
        assertThat(store.stats(now)).isEqualTo(new QueueStats(JOBS, 0, null));

        Instant afterExpiry = now.plus(LEASE);
        Map<String, ClaimedJob> secondClaims = byJobId(claimAllConcurrently(afterExpiry), jobs);

        assertThat(store.claim(afterExpiry, BATCH, LEASE, "latecomer")).isEmpty();
        for (ClaimedJob second : secondClaims.values()) {
            ClaimedJob first = firstClaims.get(second.job().jobId());
            assertThat(second.leaseToken())
                    .as("token of the second claim of %s", second.job().jobId())
                    .isNotEqualTo(first.leaseToken());
        }

        // the first claims are stale now: every operation with them fails, and changes nothing
        List<String> sample = new ArrayList<>(new TreeSet<>(jobs.keySet())).subList(0, JOBS / 50);
        for (String jobId : sample) {
            ClaimedJob stale = firstClaims.get(jobId);
            assertThat(store.complete(stale)).isFalse();
            assertThat(store.reschedule(stale, 1, afterExpiry)).isFalse();
            assertThat(store.release(stale)).isFalse();
        }
        assertThat(store.stats(afterExpiry)).isEqualTo(new QueueStats(JOBS, 0, null));

        // the current claims complete, concurrently, each exactly once
        List<ClaimedJob> current = new ArrayList<>(secondClaims.values());
        List<Integer> completed = runConcurrently(THREADS, thread -> () -> {
            int count = 0;
            for (int i = thread; i < current.size(); i += THREADS) {
                if (store.complete(current.get(i))) {
                    count++;
                }
            }
            return count;
        });
        assertThat(completed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(JOBS);
        assertThat(store.stats(afterExpiry.plus(LEASE).plus(LEASE))).isEqualTo(new QueueStats(0, 0, null));
        assertThat(store.claim(afterExpiry.plus(LEASE).plus(LEASE), BATCH, LEASE, "latecomer"))
                .isEmpty();
    }

    @Test
    @Timeout(value = 2 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void racingOperationsOnTheSameClaimSucceedOnce() throws Exception {
        int jobCount = 500;
        for (int e = 0; e < jobCount; e++) {
            appendWithJobs(ORG_A, String.format("evt%04d", e), at(e));
        }
        List<ClaimedJob> claims = store.claim(at(jobCount), jobCount, LEASE, "node-1");
        assertThat(claims).hasSize(jobCount);

        // every thread tries to complete, release or reschedule every claim; one wins per job
        List<Integer> wins = runConcurrently(THREADS, thread -> () -> {
            int count = 0;
            for (ClaimedJob claim : claims) {
                boolean won = switch (thread % 3) {
                    case 0 -> store.complete(claim);
                    case 1 -> store.release(claim);
                    default -> store.reschedule(claim, 1, at(1_000_000));
                };
                count += won ? 1 : 0;
            }
            return count;
        });

        assertThat(wins.stream().mapToInt(Integer::intValue).sum()).isEqualTo(jobCount);
        for (ClaimedJob claim : claims) {
            assertThat(store.complete(claim)).isFalse();
        }
    }
}
