package dev.hookengine.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The <b>exactly-once-or-explained check</b> that ends every fault run, on what the publisher's ledger,
 * the receiver and the store (read straight from its tables) say once the run has settled:
 *
 * <ol>
 *   <li><b>Nothing lost.</b> Every acknowledged event (202 with its id) is in the store and was received
 *       successfully (a 200 written in full) at least once; on a run whose receiver fails on purpose, an
 *       acknowledged event may instead have ended {@code failed} after as many attempts as its retry
 *       policy allows (first attempt and retries, as the store recorded them), none of them received
 *       successfully. An attempt the store recorded that the receiver never saw (it failed while connecting,
 *       say) is allowed and listed with its recorded error.
 *   <li><b>Nothing stuck.</b> No job left in the queue, no event left {@code in_progress}.
 *   <li><b>The store agrees with the receiver.</b> An event received successfully is {@code succeeded}; an
 *       event {@code succeeded} was received successfully.
 *   <li><b>Duplicates only where a lease expired.</b> An event received successfully more than once is a
 *       duplicate; each receipt after the first is <em>explained</em> when all three hold:
 *       <ul>
 *         <li>the store recorded fewer successful attempts of the event than the receiver answered, so
 *             one of the deliveries belongs to an attempt whose outcome was never written (its process
 *             was killed, or lost its database, after the receiver answered);
 *         <li>it came at least {@link #MIN_TAKEOVER_GAP} after the previous receipt: a job is claimed
 *             again only once the claim before has expired (the lease, {@code 2 × (attempt deadline +
 *             2 s)} = 34 s from the claim), and an attempt starts at most {@code attempt deadline + 2 s}
 *             = 17 s after its claim (the lease fence), so a takeover's request comes at least 17 s
 *             after the lost attempt's;
 *         <li>a fault (a kill, or the database down) struck while the previous receipt's outcome could
 *             still be unwritten: the fault ended no sooner than a second before that receipt (the
 *             receiver notes a receipt just after answering) and began no later than {@link
 *             #OUTCOME_WINDOW} after it. An outcome is written by group commit right after the answer
 *             (p99 13 ms on a quiet machine: the "duplicate window" of the README); the allowance is for
 *             a busy one. A fault that struck later cannot have lost that outcome.
 *       </ul>
 *       Any other duplicate is unexplained: a defect.
 * </ol>
 *
 * The figures (published, acknowledged, refused, delivered, duplicates, the longest wait from publish
 * to the first successful receipt) come with the verdict.
 */
final class FaultChecks {

    /** The server's lease: {@code 2 × (attempt deadline + 2 s)} with its fixed 15 s deadline. */
    static final Duration LEASE = Duration.ofSeconds(34);
    /** The soonest a takeover's request can follow the lost attempt's: lease minus (deadline + 2 s). */
    static final Duration MIN_TAKEOVER_GAP = Duration.ofSeconds(17);

    /** How long after the receiver's answer an attempt's outcome may still be unwritten, on a busy machine. */
    static final Duration OUTCOME_WINDOW = Duration.ofSeconds(5);

    private static final long SLACK_NANOS = Duration.ofSeconds(1).toNanos();
    private static final int EXAMPLES = 5;

    private FaultChecks() {}

    /** A fault the run made, from {@code startNanos} to {@code endNanos} ({@link System#nanoTime()}; equal for a kill). */
    record Fault(String what, long startNanos, long endNanos) {}

    /**
     * What the run asks of the check.
     *
     * @param firstSeq           the run's first sequence number: receipts outside its range are strays
     * @param endSeq             one past its last
     * @param failuresAllowed    whether an event may end {@code failed} (the receiver fails on purpose)
     * @param attemptsPerEvent   attempts the retry policy allows an event (first attempt and retries)
     */
    record Expectation(long firstSeq, long endSeq, boolean failuresAllowed, int attemptsPerEvent) {}

    /**
     * The verdict and figures of one run.
     *
     * @param published           publishes sent
     * @param acknowledged        answered 202 with one event id
     * @param refused             answered with anything else, or not sent because no server was up
     * @param withoutAnswer       no answer (connection failed or timed out)
     * @param delivered           acknowledged events received successfully at least once
     * @param terminallyFailed    acknowledged events that ended {@code failed} after every allowed attempt, none received
     * @param unseenAttempts      allowed mismatches: failed events with a recorded attempt the receiver never saw, and
     *                            whole 200s the receiver wrote that the engine did not read (an attempt recorded
     *                            with no answer, TIMEOUT or CONNECTION_ERROR), with the store's attempts
     * @param unacknowledgedDelivered events received whose publish had no acknowledgement (allowed)
     * @param duplicates          successful receipts beyond the first, over all events
     * @param explainedDuplicates of those, explained by an expired lease
     * @param longestWaitMillis   the longest time from an acknowledged publish to its first successful receipt
     * @param longestWaitDetail   which event waited that long, and what the receiver and the store say of it
     * @param problems            what failed the check; empty when it passed
     */
    record Result(
            int published,
            int acknowledged,
            int refused,
            int withoutAnswer,
            int delivered,
            int terminallyFailed,
            int unacknowledgedDelivered,
            int duplicates,
            int explainedDuplicates,
            double longestWaitMillis,
            String longestWaitDetail,
            List<String> duplicateDetails,
            List<String> unseenAttempts,
            List<String> problems) {

        boolean passed() {
            return problems.isEmpty();
        }
    }

    static Result check(
            Collection<SteadyPublisher.Publish> publishes,
            Map<String, FaultReceiver.Receipts> receipts,
            StoreView store,
            List<Fault> faults,
            Expectation expected,
            long runStartNanos) {
        List<String> problems = new ArrayList<>();
        List<String> duplicateDetails = new ArrayList<>();
        Map<String, SteadyPublisher.Publish> acknowledged = new HashMap<>();
        int refused = 0;
        int withoutAnswer = 0;
        for (SteadyPublisher.Publish publish : publishes) {
            if (publish.acknowledged()) {
                if (acknowledged.put(publish.eventId(), publish) != null) {
                    problems.add("two publishes acknowledged with the same event id " + publish.eventId());
                }
            } else if (publish.answered() || publish.status() == 0 && "no server up".equals(publish.failure())) {
                refused++;
            } else {
                withoutAnswer++;
            }
        }

        Examples lost = new Examples("acknowledged events never received successfully");
        Examples notStored = new Examples("acknowledged events not in the store");
        Examples misrecorded = new Examples("events whose store status disagrees with the receiver");
        Examples wrongFailures = new Examples("events failed before every allowed attempt was made");
        List<String> unseenAttempts = new ArrayList<>();
        int delivered = 0;
        int terminallyFailed = 0;
        long longestWait = 0;
        String longestWaitDetail = "";
        for (SteadyPublisher.Publish publish : acknowledged.values()) {
            String id = publish.eventId();
            FaultReceiver.Receipts seen = receipts.get(id);
            String status = store.statusById().get(id);
            if (status == null) {
                notStored.add(id + " (seq " + publish.seq() + ")");
            }
            if (seen != null && seen.successes() > 0) {
                delivered++;
                long wait = seen.successNanos().get(0) - publish.sentNanos();
                if (wait > longestWait) {
                    longestWait = wait;
                    longestWaitDetail = String.format(
                            "event %s (seq %d): published at %.1f s, first received at %.1f s; %d request(s) at the"
                                    + " receiver, %d attempt(s) recorded",
                            id,
                            publish.seq(),
                            (publish.sentNanos() - runStartNanos) / 1e9,
                            (seen.successNanos().get(0) - runStartNanos) / 1e9,
                            seen.requests(),
                            store.recordedAttempts().getOrDefault(id, 0));
                }
            } else if (expected.failuresAllowed() && StoreView.isFailed(status)) {
                terminallyFailed++;
                int requests = seen == null ? 0 : seen.requests();
                int recordedAttempts = store.recordedAttempts().getOrDefault(id, 0);
                if (recordedAttempts < expected.attemptsPerEvent()) {
                    wrongFailures.add(id + " failed after " + recordedAttempts + " recorded attempts and " + requests
                            + " requests at the receiver: "
                            + store.failedAttempts().get(id));
                } else if (requests < recordedAttempts) {
                    // An attempt that failed before the receiver read its request: connecting, or the
                    // client's queue. Allowed (the network can fail too), listed so that it can be judged.
                    unseenAttempts.add(id + " (" + requests + " requests at the receiver): "
                            + store.failedAttempts().get(id));
                }
            } else {
                lost.add(id + " (seq " + publish.seq() + ", status " + status + ", requests at the receiver "
                        + (seen == null ? 0 : seen.requests()) + ")");
            }
        }

        int unacknowledgedDelivered = 0;
        int strays = 0;
        int duplicates = 0;
        int explained = 0;
        for (Map.Entry<String, FaultReceiver.Receipts> entry : receipts.entrySet()) {
            String id = entry.getKey();
            FaultReceiver.Receipts seen = entry.getValue();
            if (seen.seq() < expected.firstSeq() || seen.seq() >= expected.endSeq()) {
                strays++;
                continue;
            }
            if (!acknowledged.containsKey(id) && seen.successes() > 0) {
                unacknowledgedDelivered++;
            }
            String status = store.statusById().get(id);
            int unanswered = store.unanswered().getOrDefault(id, 0);
            if (seen.successes() > 0 && !StoreView.isSucceeded(status)) {
                String detail = id + ": received successfully " + seen.successes() + " time(s), status " + status
                        + ", attempts recorded " + store.failedAttempts().getOrDefault(id, List.of());
                if (seen.successes() <= unanswered) {
                    // The receiver wrote a whole 200 that the engine did not read: each such receipt has an
                    // attempt the store recorded with no answer (TIMEOUT or CONNECTION_ERROR).
                    unseenAttempts.add("a whole 200 the engine did not read (allowed): " + detail);
                } else {
                    misrecorded.add(detail);
                }
            }
            List<Long> times = seen.successNanos();
            int recorded = store.recordedSuccesses().getOrDefault(id, 0);
            boolean answersLost = times.size() - recorded <= unanswered;
            for (int i = 1; i < times.size(); i++) {
                duplicates++;
                long previous = times.get(i - 1);
                long current = times.get(i);
                boolean unrecorded = recorded < times.size();
                boolean afterLease = current - previous >= MIN_TAKEOVER_GAP.toNanos();
                Fault between = faults.stream()
                        .filter(f -> f.endNanos() >= previous - SLACK_NANOS
                                && f.startNanos() <= previous + OUTCOME_WINDOW.toNanos())
                        .findFirst()
                        .orElse(null);
                String detail = String.format(
                        "event %s (seq %d): receipts at %s s, %d successful attempt(s) recorded, status %s; %s",
                        id,
                        seen.seq(),
                        times.stream()
                                .map(t -> String.format("%.1f", (t - runStartNanos) / 1e9))
                                .toList(),
                        recorded,
                        status,
                        between == null ? "no fault in time" : between.what());
                if (unrecorded && afterLease && between != null) {
                    explained++;
                    duplicateDetails.add("explained: " + detail);
                } else if (unrecorded && answersLost) {
                    explained++;
                    duplicateDetails.add("explained (a whole 200 the engine did not read: an attempt recorded"
                            + " with no answer, retried): " + detail);
                } else {
                    List<String> reasons = new ArrayList<>();
                    if (!unrecorded) {
                        reasons.add("every receipt has a recorded attempt");
                    }
                    if (!afterLease) {
                        reasons.add("sooner than a lease could expire");
                    }
                    if (between == null) {
                        reasons.add("no fault while its outcome was unwritten");
                    }
                    if (!answersLost) {
                        reasons.add("no attempt recorded without an answer to match it");
                    }
                    duplicateDetails.add("UNEXPLAINED (" + String.join(", ", reasons) + "): " + detail);
                }
            }
        }
        for (Map.Entry<String, String> row : store.statusById().entrySet()) {
            FaultReceiver.Receipts seen = receipts.get(row.getKey());
            if (StoreView.isSucceeded(row.getValue()) && (seen == null || seen.successes() == 0)) {
                misrecorded.add(row.getKey() + ": succeeded in the store, never received successfully");
            }
            if (StoreView.isFailed(row.getValue()) && !expected.failuresAllowed()) {
                misrecorded.add(row.getKey() + ": failed, on a receiver that never fails");
            }
        }
        long stuck = store.statusById().values().stream()
                .filter(status -> !StoreView.isSucceeded(status) && !StoreView.isFailed(status))
                .count();

        notStored.report(problems);
        lost.report(problems);
        misrecorded.report(problems);
        wrongFailures.report(problems);
        if (stuck > 0) {
            problems.add(stuck + " events neither succeeded nor failed at the end (stuck)");
        }
        if (store.jobsLeft() > 0) {
            problems.add(store.jobsLeft() + " jobs still queued at the end (stuck), first: " + store.jobSample());
        }
        if (strays > 0) {
            problems.add(strays + " events received that no publish of this run made");
        }
        if (duplicates > explained) {
            problems.add((duplicates - explained) + " duplicate receipts not explained by an expired lease: "
                    + duplicateDetails.stream()
                            .filter(d -> d.startsWith("UNEXPLAINED"))
                            .limit(EXAMPLES)
                            .toList());
        }
        return new Result(
                publishes.size(),
                acknowledged.size(),
                refused,
                withoutAnswer,
                delivered,
                terminallyFailed,
                unacknowledgedDelivered,
                duplicates,
                explained,
                longestWait / 1e6,
                longestWaitDetail,
                List.copyOf(duplicateDetails),
                List.copyOf(unseenAttempts),
                List.copyOf(problems));
    }

    /** A count of one kind of problem, with its first few examples. */
    private static final class Examples {
        private final String what;
        private final List<String> first = new ArrayList<>();
        private int count;

        Examples(String what) {
            this.what = what;
        }

        void add(String example) {
            if (count++ < EXAMPLES) {
                first.add(example);
            }
        }

        void report(List<String> problems) {
            if (count > 0) {
                problems.add(count + " " + what + ", first: " + String.join("; ", first));
            }
        }
    }
}
