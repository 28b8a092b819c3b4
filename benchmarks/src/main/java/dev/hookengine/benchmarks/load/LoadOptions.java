package dev.hookengine.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a load run is sized. Three modes set every figure; single options override them.
 *
 * @param mode             {@code smoke} (a check that the harness works, seconds), {@code quick} (under 5
 *                         minutes on 2 cores) or {@code full}
 * @param events           events per drain and baseline run, one delivery each
 * @param warmupEvents     events of the unmeasured warm-up runs before the first measured one
 * @param configs          webhook configs, each with an event name of its own
 * @param orgs             organizations the configs are spread over
 * @param publishers       threads calling {@code publish}
 * @param pacedRates       events per second of the open-loop runs, one run each
 * @param pacedLength      how long each open-loop run publishes
 * @param waitingRetries   deliveries left waiting for a retry in the heap run
 * @param postgres         whether to run on PostgreSQL too
 * @param h2               whether to run drains on an embedded H2 file too, durable and with H2's default write delay
 * @param synchronousCommit PostgreSQL's {@code synchronous_commit}
 * @param pollInterval     the engine's poll interval, or {@code null} for its default
 * @param timeout          the longest any one wait may take before the run fails
 * @param resultsDir       where to write {@code <date>-<mode>.md}, or {@code null} to print only
 * @param note             a line for the results file, such as the conditions of the machine, or {@code null}
 * @param server           the runs through the standalone server
 * @param orderingLanes    0: configs deliver in parallel (the default); N &gt; 0: every config of the
 *                         library runs delivers in order ({@code ordering} in its controls), in N lanes
 *                         keyed by {@code floor(load_seq / configs) % N} (1: one lane per config), to measure what
 *                         FIFO delivery costs
 */
record LoadOptions(
        String mode,
        int events,
        int warmupEvents,
        int configs,
        int orgs,
        int publishers,
        List<Integer> pacedRates,
        Duration pacedLength,
        int waitingRetries,
        boolean postgres,
        boolean h2,
        boolean synchronousCommit,
        Duration pollInterval,
        Duration timeout,
        Path resultsDir,
        String note,
        Server server,
        int orderingLanes) {

    /**
     * The runs through the standalone server ({@link ServerRuns}).
     *
     * @param enabled   whether to run them
     * @param only      whether to run only them, none of the library runs
     * @param nodes     server processes sharing the database, one PostgreSQL run per entry (the in-memory
     *                  run has one process: its store is not shared)
     * @param events    events published per measured run
     * @param jar       the standalone server's jar
     * @param jfrPrefix with {@code --jfr}: each server process records {@code <prefix>-server-...jfr}; or {@code null}
     */
    record Server(boolean enabled, boolean only, List<Integer> nodes, int events, Path jar, String jfrPrefix) {

        /** Where {@code mvn package} leaves the jar, relative to the repository root ({@code run-load.sh} runs there). */
        static final Path DEFAULT_JAR = Path.of("engine-server", "target", "engine-server.jar");

        Server {
            nodes = List.copyOf(nodes);
            require(
                    events >= 1 && !nodes.isEmpty() && nodes.stream().allMatch(n -> n >= 1 && n <= 4),
                    "--server-events must be positive and --server-nodes between 1 and 4");
        }

        private static Server of(boolean enabled, int events) {
            return new Server(enabled, false, List.of(1, 2), events, DEFAULT_JAR, null);
        }
    }

    static final String USAGE = """
            usage: LoadHarness [--smoke | --quick | --full] [options]
              --events N                  events per drain and baseline run
              --warmup N                  events of the warm-up runs
              --configs N                 webhook configs (one event name each)
              --orgs N                    organizations the configs are spread over
              --publishers N              threads calling publish
              --rates R[,R...]            events/s of the open-loop (paced) runs
              --paced-seconds N           length of each paced run
              --waiting-retries N         deliveries waiting for a retry in the heap run
              --no-postgres               skip the PostgreSQL runs
              --h2                        also drain on an embedded H2 file (the server's default), with
                                          commits written at once and with H2's default 500 ms delay
              --pg-synchronous-commit on|off   default on, as in production
              --poll-ms N                 the engine's poll interval (default: the engine's own)
              --results-dir DIR           write <date>-<mode>.md there
              --note TEXT                 a line for the results file
              --server                    run the runs through the standalone server (default in --quick and --full)
              --no-server                 skip them
              --server-only               run only them
              --server-nodes N[,N...]     server processes sharing PostgreSQL, one run each (default 1,2)
              --server-events N           events published per server run
              --server-jar PATH           the server jar (default engine-server/target/engine-server.jar)
              --server-jfr PREFIX         record a JFR profile of each server process to PREFIX-server-*.jfr
              --ordering-lanes N          library runs: every config delivers in order, in N lanes keyed by
                                          floor(load_seq / configs) % N (1: one lane per config); 0, the default: in parallel
            """;

    private static final Set<String> MODES = Set.of("--smoke", "--quick", "--full");
    private static final Set<String> VALUED = Set.of(
            "--events",
            "--warmup",
            "--configs",
            "--orgs",
            "--publishers",
            "--rates",
            "--paced-seconds",
            "--waiting-retries",
            "--pg-synchronous-commit",
            "--poll-ms",
            "--results-dir",
            "--note",
            "--server-nodes",
            "--server-events",
            "--server-jar",
            "--server-jfr",
            "--ordering-lanes");
    private static final Set<String> FLAGS =
            Set.of("--no-postgres", "--h2", "--server", "--no-server", "--server-only");

    LoadOptions {
        pacedRates = List.copyOf(pacedRates);
        require(
                events >= 1
                        && warmupEvents >= 0
                        && configs >= 1
                        && orgs >= 1
                        && orgs <= configs
                        && publishers >= 1
                        && waitingRetries >= 1
                        && !pacedLength.isNegative()
                        && !timeout.isNegative()
                        && !timeout.isZero(),
                "sizes must be positive, and there may not be more organizations than configs");
        require(pacedRates.stream().allMatch(rate -> rate >= 1), "rates must be at least 1 event/s");
        require(orderingLanes >= 0, "--ordering-lanes must be 0 (parallel) or more");
    }

    /** The figures of a mode. */
    static LoadOptions of(String mode) {
        return switch (mode) {
            case "smoke" ->
                new LoadOptions(
                        mode,
                        200,
                        0,
                        8,
                        2,
                        2,
                        List.of(200),
                        Duration.ofSeconds(1),
                        200,
                        true,
                        false,
                        true,
                        null,
                        Duration.ofSeconds(30),
                        null,
                        null,
                        Server.of(false, 500),
                        0);
            case "quick" ->
                new LoadOptions(
                        mode,
                        20_000,
                        5_000,
                        16,
                        4,
                        4,
                        List.of(1_000),
                        Duration.ofSeconds(15),
                        10_000,
                        true,
                        false,
                        true,
                        null,
                        Duration.ofSeconds(120),
                        null,
                        null,
                        Server.of(true, 10_000),
                        0);
            case "full" ->
                new LoadOptions(
                        mode,
                        100_000,
                        20_000,
                        64,
                        8,
                        4,
                        List.of(1_000, 2_000),
                        Duration.ofSeconds(60),
                        10_000,
                        true,
                        false,
                        true,
                        null,
                        Duration.ofSeconds(900),
                        null,
                        null,
                        Server.of(true, 50_000),
                        0);
            default -> throw new IllegalArgumentException("unknown mode " + mode + "\n" + USAGE);
        };
    }

    /**
     * Parses the command line: a mode (default {@code quick}), then options that override it.
     *
     * @throws IllegalArgumentException naming what is wrong, with the usage
     */
    static LoadOptions parse(String... args) {
        String mode = "quick";
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (MODES.contains(option)) {
                mode = option.substring(2);
            } else if (FLAGS.contains(option)) {
                given.put(option, "");
            } else if (VALUED.contains(option) && i + 1 < args.length) {
                given.put(option, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option or missing value: " + option + "\n" + USAGE);
            }
        }
        LoadOptions d = of(mode);
        return new LoadOptions(
                mode,
                number(given, "--events", d.events),
                number(given, "--warmup", d.warmupEvents),
                number(given, "--configs", d.configs),
                number(given, "--orgs", d.orgs),
                number(given, "--publishers", d.publishers),
                given.containsKey("--rates") ? numbers("--rates", given.get("--rates")) : d.pacedRates,
                given.containsKey("--paced-seconds")
                        ? Duration.ofSeconds(number("--paced-seconds", given.get("--paced-seconds")))
                        : d.pacedLength,
                number(given, "--waiting-retries", d.waitingRetries),
                d.postgres && !given.containsKey("--no-postgres"),
                d.h2 || given.containsKey("--h2"),
                given.containsKey("--pg-synchronous-commit")
                        ? onOff("--pg-synchronous-commit", given.get("--pg-synchronous-commit"))
                        : d.synchronousCommit,
                given.containsKey("--poll-ms")
                        ? Duration.ofMillis(number("--poll-ms", given.get("--poll-ms")))
                        : d.pollInterval,
                d.timeout,
                given.containsKey("--results-dir") ? Path.of(given.get("--results-dir")) : d.resultsDir,
                given.getOrDefault("--note", d.note),
                server(given, d.server),
                number(given, "--ordering-lanes", d.orderingLanes));
    }

    private static Server server(Map<String, String> given, Server d) {
        boolean only = given.containsKey("--server-only");
        return new Server(
                only || given.containsKey("--server") || (d.enabled() && !given.containsKey("--no-server")),
                only,
                given.containsKey("--server-nodes")
                        ? numbers("--server-nodes", given.get("--server-nodes"))
                        : d.nodes(),
                number(given, "--server-events", d.events()),
                given.containsKey("--server-jar") ? Path.of(given.get("--server-jar")) : d.jar(),
                given.getOrDefault("--server-jfr", d.jfrPrefix()));
    }

    private static int number(Map<String, String> given, String option, int otherwise) {
        return given.containsKey(option) ? number(option, given.get(option)) : otherwise;
    }

    private static List<Integer> numbers(String option, String values) {
        return Arrays.stream(values.split(","))
                .map(value -> number(option, value.strip()))
                .toList();
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, was " + value + "\n" + USAGE);
        }
    }

    private static boolean onOff(String option, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(option + " takes on or off, was " + value + "\n" + USAGE);
        };
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message + "\n" + USAGE);
        }
    }
}
