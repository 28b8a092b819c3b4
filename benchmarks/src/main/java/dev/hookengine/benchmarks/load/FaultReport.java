package dev.hookengine.benchmarks.load;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The results file of the fault runs, {@code benchmarks/results/<date>-faults.md}: where and what ran,
 * one row of figures per run, then per run its faults, notes, duplicates and problems.
 */
record FaultReport(
        FaultOptions options,
        Instant startedAt,
        LoadHarness.Machine machine,
        String postgres,
        List<FaultRuns.Outcome> runs) {

    /** How many duplicates a run's section lists one by one. */
    private static final int LISTED_DUPLICATES = 20;

    FaultReport {
        runs = List.copyOf(runs);
    }

    boolean passed() {
        return !runs.isEmpty() && runs.stream().allMatch(FaultRuns.Outcome::passed);
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# hookengine fault runs\n\n");
        md.append("- **When**: ")
                .append(startedAt.truncatedTo(ChronoUnit.SECONDS))
                .append('\n');
        md.append(String.format(
                "- **Machine**: %d cores (%s), %s, %s; %s%n",
                machine.cores(), machine.cpu(), machine.memory(), machine.os(), machine.jvm()));
        md.append("- **Commit**: ").append(machine.commit()).append('\n');
        md.append(String.format(
                "- **Servers**: `java %s -jar %s` on %s; lease 2 × (15 s attempt deadline + 2 s) = %d s%n",
                String.join(" ", ServerNode.JVM_OPTIONS), options.jar(), postgres, FaultChecks.LEASE.toSeconds()));
        md.append(String.format(
                "- **Load**: %,d events/s published through `POST /v1/webhooks/events`, spread round-robin over the"
                        + " servers that are up; one config; ~2 KiB bodies; receiver on 127.0.0.1%n",
                options.rate()));
        FaultReceiver.Mix mix = options.mix();
        md.append(String.format(
                "- **Runs**: kill loop %d s, a SIGKILL and restart every %d s over %d servers; database restart after"
                        + " %d s, down %d s, then %d s more; hostile receiver %d s on %d server(s), mix %d %% 500,"
                        + " %d %% 429 `Retry-After: 1`, %d %% resets mid-body, %.1f %% stalls of %d s, the rest 200;"
                        + " `retryPolicy.maxAttempts` %d%n",
                options.killLoop().toSeconds(),
                options.killEvery().toSeconds(),
                options.nodes(),
                options.dbBefore().toSeconds(),
                options.dbDown().toSeconds(),
                options.dbAfter().toSeconds(),
                options.hostile().toSeconds(),
                options.hostileNodes(),
                mix.errorPercent(),
                mix.throttlePercent(),
                mix.resetPercent(),
                mix.stallPerMille() / 10.0,
                mix.stall().toSeconds(),
                options.hostileRetries()));
        if (options.note() != null) {
            md.append("- **Note**: ").append(options.note()).append('\n');
        }
        md.append("\n## Figures\n\n");
        md.append("| run | servers | published | acknowledged | refused | no answer | delivered | failed for good"
                + " | duplicates (explained) | longest wait publish → delivery s | kills | recovery after PostgreSQL"
                + " restart | check |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (FaultRuns.Outcome run : runs) {
            FaultChecks.Result c = run.check();
            if (c == null) {
                md.append(String.format(
                        "| %s | %d | — | — | — | — | — | — | — | — | %d | — | **did not finish** |%n",
                        run.name(), run.nodes(), run.kills()));
                continue;
            }
            md.append(String.format(
                    "| %s | %d | %,d | %,d | %,d | %,d | %,d | %,d | %,d (%,d) | %.1f | %d | %s | %s |%n",
                    run.name(),
                    run.nodes(),
                    c.published(),
                    c.acknowledged(),
                    c.refused(),
                    c.withoutAnswer(),
                    c.delivered(),
                    c.terminallyFailed(),
                    c.duplicates(),
                    c.explainedDuplicates(),
                    c.longestWaitMillis() / 1000,
                    run.kills(),
                    recovery(run),
                    run.passed() ? "passed" : "**FAILED**"));
        }
        md.append("\n*Published*: publish requests sent; *acknowledged*: answered 202 with an event id (only these"
                + " are promised); *refused*: any other answer, or no server up; *no answer*: the connection failed"
                + " or timed out (a request in flight to a killed server, or one waiting on a stopped database);"
                + " *delivered*: acknowledged events received with a whole 200 at least once; *duplicates*: 200s"
                + " beyond the first for one event, *explained* when the store has no successful attempt for the"
                + " extra one, it came at least " + FaultChecks.MIN_TAKEOVER_GAP.toSeconds()
                + " s after the one before (a lease had to expire), and a fault struck within "
                + FaultChecks.OUTCOME_WINDOW.toSeconds()
                + " s of the one before, while its outcome could still be unwritten (see"
                + " `FaultChecks`); *longest wait*: from sending an acknowledged publish to its first whole 200.\n");
        for (FaultRuns.Outcome run : runs) {
            md.append("\n## ").append(run.name()).append("\n\n");
            Map<FaultReceiver.Action, Integer> answers = run.answers();
            md.append("- receiver answers: ").append(answers).append('\n');
            FaultChecks.Result c = run.check();
            if (c != null && c.unacknowledgedDelivered() > 0) {
                md.append(String.format(
                        "- events delivered whose publish was not acknowledged (stored before the answer was lost;"
                                + " allowed): %,d%n",
                        c.unacknowledgedDelivered()));
            }
            if (c != null && !c.longestWaitDetail().isEmpty()) {
                md.append("- the longest wait: ").append(c.longestWaitDetail()).append('\n');
            }
            run.notes().forEach(note -> md.append("- ").append(note).append('\n'));
            if (c != null && !c.duplicateDetails().isEmpty()) {
                md.append("\nDuplicates:\n\n");
                c.duplicateDetails().stream()
                        .limit(LISTED_DUPLICATES)
                        .forEach(d -> md.append("- ").append(d).append('\n'));
                if (c.duplicateDetails().size() > LISTED_DUPLICATES) {
                    md.append("- ... and ")
                            .append(c.duplicateDetails().size() - LISTED_DUPLICATES)
                            .append(" more\n");
                }
            }
            if (c != null && !c.unseenAttempts().isEmpty()) {
                md.append("\nFailed events with a recorded attempt the receiver never saw (allowed; the store's"
                        + " attempts):\n\n");
                c.unseenAttempts().stream()
                        .limit(LISTED_DUPLICATES)
                        .forEach(d -> md.append("- ").append(d).append('\n'));
            }
            List<String> problems = new java.util.ArrayList<>(run.problems());
            if (c != null) {
                problems.addAll(c.problems());
            }
            md.append(problems.isEmpty() ? "\nThe check passed.\n" : "\n**Problems**:\n\n");
            problems.forEach(problem -> md.append("- ").append(problem).append('\n'));
        }
        return md.toString();
    }

    private static String recovery(FaultRuns.Outcome run) {
        if (run.publishRecoverySeconds() == null && run.deliveryRecoverySeconds() == null) {
            return "—";
        }
        return String.format(
                "publishes acknowledged again after %s s; first delivery of an event published after it %s s",
                run.publishRecoverySeconds() == null ? "never" : String.format("%.1f", run.publishRecoverySeconds()),
                run.deliveryRecoverySeconds() == null ? "never" : String.format("%.1f", run.deliveryRecoverySeconds()));
    }
}
