package dev.hookengine.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once-or-explained check on hand-made ledgers, receipts and store contents: it passes a
 * clean run, and catches each way a run can go wrong (lost, not stored, stuck, misrecorded, stray, a
 * duplicate that no expired lease explains), so that a fault run that passes means something.
 */
class FaultChecksTest {

    private static final long S = 1_000_000_000L;
    private static final FaultChecks.Expectation ALL_DELIVERED = new FaultChecks.Expectation(0, 100, false, 4);
    private static final FaultChecks.Expectation FAILURES_ALLOWED = new FaultChecks.Expectation(0, 100, true, 2);

    private final List<SteadyPublisher.Publish> ledger = new ArrayList<>();
    private final Map<String, FaultReceiver.Receipts> receipts = new HashMap<>();
    private final Map<String, String> statuses = new HashMap<>();
    private final Map<String, Integer> recordedSuccesses = new HashMap<>();
    private final Map<String, Integer> recordedAttempts = new HashMap<>();
    private final Map<String, Integer> unanswered = new HashMap<>();
    private final List<FaultChecks.Fault> faults = new ArrayList<>();
    private int jobsLeft;

    @Test
    void aCleanRunPassesWithItsFigures() {
        delivered("a", 0, 1 * S, 2 * S);
        delivered("b", 1, 1 * S, 4 * S);
        ledger.add(new SteadyPublisher.Publish(2, 5 * S, 5 * S, 503, null, null));
        ledger.add(new SteadyPublisher.Publish(3, 5 * S, 6 * S, 0, null, "java.net.ConnectException: refused"));

        FaultChecks.Result result = check(ALL_DELIVERED);

        assertThat(result.problems()).isEmpty();
        assertThat(result)
                .returns(4, FaultChecks.Result::published)
                .returns(2, FaultChecks.Result::acknowledged)
                .returns(1, FaultChecks.Result::refused)
                .returns(1, FaultChecks.Result::withoutAnswer)
                .returns(2, FaultChecks.Result::delivered)
                .returns(0, FaultChecks.Result::duplicates);
        assertThat(result.longestWaitMillis()).isEqualTo(3_000.0);
    }

    @Test
    void anAcknowledgedEventNeverReceivedIsLost() {
        delivered("a", 0, 1 * S, 2 * S);
        acknowledged("b", 1, 1 * S);
        statuses.put("b", "succeeded");

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).startsWith("1 acknowledged events never received successfully"))
                .anySatisfy(p -> assertThat(p).contains("b: succeeded in the store, never received"));
    }

    @Test
    void anAcknowledgedEventMissingFromTheStoreIsReported() {
        acknowledged("a", 0, 1 * S);
        receipt("a", 0).succeeded(2 * S);

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).startsWith("1 acknowledged events not in the store"));
    }

    @Test
    void queuedJobsAndEventsInProgressAreStuck() {
        delivered("a", 0, 1 * S, 2 * S);
        statuses.put("x", "in_progress");
        jobsLeft = 1;

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).startsWith("1 events neither succeeded nor failed"))
                .anySatisfy(p -> assertThat(p).startsWith("1 jobs still queued"));
    }

    @Test
    void aDuplicateAfterAKillWithOneRecordedAttemptAndALeaseGapIsExplained() {
        delivered("a", 0, 1 * S, 10 * S);
        receipts.get("a").succeeded(45 * S);
        faults.add(new FaultChecks.Fault("kill of node 1", 10 * S, 10 * S));

        FaultChecks.Result result = check(ALL_DELIVERED);

        assertThat(result.problems()).isEmpty();
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.explainedDuplicates()).isEqualTo(1);
        assertThat(result.duplicateDetails()).singleElement().asString().startsWith("explained: event a");
    }

    @Test
    void aWhole200TheEngineRecordedAsUnansweredExplainsAQuickDuplicate() {
        delivered("a", 0, 1 * S, 2 * S); // the receiver wrote a whole 200, the engine read none: TIMEOUT
        receipts.get("a").succeeded(7 * S); // the retry, 5 s later
        recordedAttempts.put("a", 2);
        unanswered.put("a", 1);

        FaultChecks.Result result = check(ALL_DELIVERED);

        assertThat(result.problems()).isEmpty();
        assertThat(result.explainedDuplicates()).isEqualTo(1);
        assertThat(result.duplicateDetails()).singleElement().asString().startsWith("explained (a whole 200");
    }

    @Test
    void aQuickDuplicateWithoutAnUnansweredAttemptStaysUnexplained() {
        delivered("a", 0, 1 * S, 2 * S);
        receipts.get("a").succeeded(7 * S);
        recordedAttempts.put("a", 2); // the other attempt was recorded with a status: no lost answer to match

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p)
                        .startsWith("1 duplicate receipts not explained")
                        .contains("no attempt recorded without an answer"));
    }

    @Test
    void aFailedEventWhoseWhole200TheEngineDidNotReadIsAllowedAndListed() {
        acknowledged("a", 0, 1 * S);
        receipt("a", 0).succeeded(2 * S);
        statuses.put("a", "failed");
        recordedAttempts.put("a", 2);
        unanswered.put("a", 1);

        FaultChecks.Result result = check(FAILURES_ALLOWED);

        assertThat(result.problems()).isEmpty();
        assertThat(result.unseenAttempts()).anySatisfy(d -> assertThat(d).startsWith("a whole 200 the engine"));
    }

    @Test
    void aFailedEventReceivedWholeWithoutAnUnansweredAttemptIsMisrecorded() {
        acknowledged("a", 0, 1 * S);
        receipt("a", 0).succeeded(2 * S);
        statuses.put("a", "failed");
        recordedAttempts.put("a", 2);

        assertThat(check(FAILURES_ALLOWED).problems())
                .anySatisfy(p -> assertThat(p).startsWith("1 events whose store status disagrees with the receiver"));
    }

    @Test
    void aDuplicateWithBothAttemptsRecordedIsUnexplained() {
        delivered("a", 0, 1 * S, 10 * S);
        receipts.get("a").succeeded(45 * S);
        recordedSuccesses.put("a", 2);
        faults.add(new FaultChecks.Fault("kill of node 1", 10 * S, 10 * S));

        FaultChecks.Result result = check(ALL_DELIVERED);

        assertThat(result.explainedDuplicates()).isZero();
        assertThat(result.problems())
                .anySatisfy(p -> assertThat(p)
                        .startsWith("1 duplicate receipts not explained")
                        .contains("every receipt has a recorded attempt"));
    }

    @Test
    void aDuplicateSoonerThanALeaseCouldExpireIsUnexplained() {
        delivered("a", 0, 1 * S, 10 * S);
        receipts.get("a").succeeded(20 * S);
        faults.add(new FaultChecks.Fault("kill of node 1", 10 * S, 10 * S));

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).contains("sooner than a lease could expire"));
    }

    @Test
    void aDuplicateWithNoFaultBetweenIsUnexplained() {
        delivered("a", 0, 1 * S, 10 * S);
        receipts.get("a").succeeded(45 * S);
        faults.add(new FaultChecks.Fault("kill of node 1", 50 * S, 50 * S));

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).contains("no fault while its outcome was unwritten"));
    }

    @Test
    void aKillLongAfterTheFirstReceiptCannotHaveLostItsOutcome() {
        delivered("a", 0, 1 * S, 10 * S);
        receipts.get("a").succeeded(60 * S);
        faults.add(new FaultChecks.Fault("kill of node 1", 30 * S, 30 * S));

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).contains("no fault while its outcome was unwritten"));
    }

    @Test
    void aDatabaseOutageExplainsADuplicateWhoseFirstReceiptFellInsideIt() {
        delivered("a", 0, 1 * S, 20 * S);
        receipts.get("a").succeeded(55 * S);
        faults.add(new FaultChecks.Fault("PostgreSQL down", 19 * S, 30 * S));

        assertThat(check(ALL_DELIVERED).explainedDuplicates()).isEqualTo(1);
    }

    @Test
    void anEventMayFailForGoodOnlyWhereAllowedAndAfterEveryAttemptFailed() {
        acknowledged("a", 0, 1 * S);
        statuses.put("a", "failed");
        FaultReceiver.Receipts seen = receipt("a", 0);
        seen.takeRequestNumber();
        seen.failed(FaultReceiver.Action.ERROR);
        seen.takeRequestNumber();
        seen.failed(FaultReceiver.Action.RESET);
        recordedAttempts.put("a", 2);

        FaultChecks.Result allowed = check(FAILURES_ALLOWED);
        assertThat(allowed.problems()).isEmpty();
        assertThat(allowed.terminallyFailed()).isEqualTo(1);

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).startsWith("1 acknowledged events never received successfully"))
                .anySatisfy(p -> assertThat(p).contains("a: failed, on a receiver that never fails"));
        assertThat(check(new FaultChecks.Expectation(0, 100, true, 3)).problems())
                .anySatisfy(p ->
                        assertThat(p).contains("a failed after 2 recorded attempts and 2 requests at the receiver"));
    }

    @Test
    void aFailedAttemptTheReceiverNeverSawIsAllowedAndListed() {
        acknowledged("a", 0, 1 * S);
        statuses.put("a", "failed");
        FaultReceiver.Receipts seen = receipt("a", 0);
        seen.takeRequestNumber();
        seen.failed(FaultReceiver.Action.ERROR);
        recordedAttempts.put("a", 2);

        FaultChecks.Result result = check(FAILURES_ALLOWED);

        assertThat(result.problems()).isEmpty();
        assertThat(result.unseenAttempts()).singleElement().asString().startsWith("a (1 requests at the receiver)");
    }

    @Test
    void anEventReceivedSuccessfullyButRecordedFailedIsMisrecorded() {
        delivered("a", 0, 1 * S, 2 * S);
        statuses.put("a", "failed");

        assertThat(check(FAILURES_ALLOWED).problems())
                .anySatisfy(p -> assertThat(p).contains("a: received successfully 1 time(s), status failed"));
    }

    @Test
    void anEventOfAnotherRunIsAStray() {
        delivered("a", 0, 1 * S, 2 * S);
        receipt("late", 500).succeeded(3 * S);

        assertThat(check(ALL_DELIVERED).problems())
                .anySatisfy(p -> assertThat(p).startsWith("1 events received that no publish of this run made"));
    }

    @Test
    void anEventDeliveredWithoutAnAcknowledgementIsAllowedAndCounted() {
        delivered("a", 0, 1 * S, 2 * S);
        ledger.add(new SteadyPublisher.Publish(1, 1 * S, 2 * S, 0, null, "java.io.EOFException"));
        receipt("b", 1).succeeded(3 * S);
        statuses.put("b", "succeeded");
        recordedSuccesses.put("b", 1);

        FaultChecks.Result result = check(ALL_DELIVERED);

        assertThat(result.problems()).isEmpty();
        assertThat(result.unacknowledgedDelivered()).isEqualTo(1);
    }

    private void acknowledged(String id, long seq, long sentNanos) {
        ledger.add(new SteadyPublisher.Publish(seq, sentNanos, sentNanos + S / 100, 202, id, null));
    }

    /** An acknowledged event received once at {@code receivedNanos}, recorded as succeeded with one attempt. */
    private void delivered(String id, long seq, long sentNanos, long receivedNanos) {
        acknowledged(id, seq, sentNanos);
        receipt(id, seq).succeeded(receivedNanos);
        statuses.put(id, "succeeded");
        recordedSuccesses.put(id, 1);
    }

    private FaultReceiver.Receipts receipt(String id, long seq) {
        return receipts.computeIfAbsent(id, i -> new FaultReceiver.Receipts(seq));
    }

    private FaultChecks.Result check(FaultChecks.Expectation expectation) {
        StoreView store =
                new StoreView(statuses, recordedSuccesses, recordedAttempts, unanswered, Map.of(), jobsLeft, List.of());
        return FaultChecks.check(ledger, receipts, store, faults, expectation, 0);
    }
}
