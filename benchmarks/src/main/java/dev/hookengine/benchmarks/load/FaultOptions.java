package dev.hookengine.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the fault runs ({@code run-load.sh --faults}, {@link FaultHarness}) are sized. The defaults take a
 * few minutes on 2 cores; {@code FaultRunsIT} runs a smaller version of each in {@code mvn verify}.
 *
 * @param runs            which runs, in this order: {@code kill}, {@code db}, {@code hostile}
 * @param rate            events published per second, spread over the servers that are up
 * @param nodes           server processes on the one PostgreSQL (the kill loop and the database run)
 * @param killLoop        how long the kill loop publishes
 * @param killEvery       how often it kills a server (and starts it again), rotating over them
 * @param dbBefore        how long the database run publishes before PostgreSQL stops
 * @param dbDown          how long PostgreSQL stays down
 * @param dbAfter         how long the database run publishes after PostgreSQL is back
 * @param hostileNodes    server processes of the hostile-receiver run
 * @param hostile         how long the hostile-receiver run publishes
 * @param mix             how the hostile receiver answers
 * @param hostileRetries  the config's {@code retryPolicy.maxAttempts} (retries after the first attempt)
 *                        in the hostile run: see {@link FaultRuns#hostileReceiver()} for why 1
 * @param settle          the longest a run waits, after its last publish, for every job to end
 * @param jar             the standalone server's jar
 * @param resultsDir      where to write {@code <date>-faults.md}, or {@code null} to print only
 * @param note            a line for the results file, or {@code null}
 */
record FaultOptions(
        List<String> runs,
        int rate,
        int nodes,
        Duration killLoop,
        Duration killEvery,
        Duration dbBefore,
        Duration dbDown,
        Duration dbAfter,
        int hostileNodes,
        Duration hostile,
        FaultReceiver.Mix mix,
        int hostileRetries,
        Duration settle,
        Path jar,
        Path resultsDir,
        String note) {

    static final String MODE = "--faults";
    static final List<String> ALL_RUNS = List.of("kill", "db", "hostile");

    /** 8 % 500, 8 % 429, 8 % resets mid-body, 0.1 % stalls of 20 s (over the 15 s attempt deadline). */
    static final FaultReceiver.Mix DEFAULT_MIX = new FaultReceiver.Mix(8, 8, 8, 1, Duration.ofSeconds(20));

    static final String USAGE = """
            usage: LoadHarness --faults [options]
              --runs kill,db,hostile      which fault runs (default all three, in that order)
              --rate N                    events published per second (default 100)
              --fault-nodes N             server processes on the one PostgreSQL (default 3)
              --kill-seconds N            length of the kill loop (default 120)
              --kill-every N              seconds between kills (default 20)
              --db-down-seconds N         how long PostgreSQL stays down (default 10)
              --hostile-seconds N         length of the hostile-receiver run's publishing (default 45)
              --server-jar PATH           the server jar (default engine-server/target/engine-server.jar)
              --results-dir DIR           write <date>-faults.md there
              --note TEXT                 a line for the results file
            """;

    private static final Set<String> VALUED = Set.of(
            "--runs",
            "--rate",
            "--fault-nodes",
            "--kill-seconds",
            "--kill-every",
            "--db-down-seconds",
            "--hostile-seconds",
            "--server-jar",
            "--results-dir",
            "--note");

    FaultOptions {
        runs = List.copyOf(runs);
        if (runs.isEmpty() || !ALL_RUNS.containsAll(runs)) {
            throw new IllegalArgumentException("--runs takes kill, db and hostile, was " + runs + "\n" + USAGE);
        }
        if (rate < 1 || nodes < 1 || nodes > 4 || hostileNodes < 1 || hostileNodes > 4 || hostileRetries < 0) {
            throw new IllegalArgumentException("--rate must be positive and --fault-nodes 1 to 4\n" + USAGE);
        }
    }

    static boolean asked(String... args) {
        return Arrays.asList(args).contains(MODE);
    }

    /** The defaults of {@code run-load.sh --faults}: a few minutes in all. */
    static FaultOptions defaults() {
        return new FaultOptions(
                ALL_RUNS,
                100,
                3,
                Duration.ofSeconds(120),
                Duration.ofSeconds(20),
                Duration.ofSeconds(20),
                Duration.ofSeconds(10),
                Duration.ofSeconds(25),
                3,
                Duration.ofSeconds(45),
                DEFAULT_MIX,
                1,
                Duration.ofSeconds(150),
                LoadOptions.Server.DEFAULT_JAR,
                null,
                null);
    }

    /**
     * Parses {@code --faults} and the options after it.
     *
     * @throws IllegalArgumentException naming what is wrong, with the usage
     */
    static FaultOptions parse(String... args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(MODE)) {
                continue;
            }
            if (VALUED.contains(args[i]) && i + 1 < args.length) {
                given.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "\n" + USAGE);
            }
        }
        FaultOptions d = defaults();
        int nodes = number(given, "--fault-nodes", d.nodes);
        return new FaultOptions(
                given.containsKey("--runs")
                        ? Arrays.stream(given.get("--runs").split(","))
                                .map(String::strip)
                                .toList()
                        : d.runs,
                number(given, "--rate", d.rate),
                nodes,
                seconds(given, "--kill-seconds", d.killLoop),
                seconds(given, "--kill-every", d.killEvery),
                d.dbBefore,
                seconds(given, "--db-down-seconds", d.dbDown),
                d.dbAfter,
                nodes,
                seconds(given, "--hostile-seconds", d.hostile),
                d.mix,
                d.hostileRetries,
                d.settle,
                given.containsKey("--server-jar") ? Path.of(given.get("--server-jar")) : d.jar,
                given.containsKey("--results-dir") ? Path.of(given.get("--results-dir")) : d.resultsDir,
                given.getOrDefault("--note", d.note));
    }

    private static Duration seconds(Map<String, String> given, String option, Duration otherwise) {
        return given.containsKey(option) ? Duration.ofSeconds(number(given, option, 0)) : otherwise;
    }

    private static int number(Map<String, String> given, String option, int otherwise) {
        if (!given.containsKey(option)) {
            return otherwise;
        }
        try {
            return Integer.parseInt(given.get(option));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " takes a whole number, was " + given.get(option) + "\n" + USAGE);
        }
    }
}
