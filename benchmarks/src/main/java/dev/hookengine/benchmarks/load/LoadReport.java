package dev.hookengine.benchmarks.load;

import dev.hookengine.WebhookEngineBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The results of a load run as Markdown: where and on what it ran, one table row per measured run,
 * the targets with the figure each is judged on, the runs' notes, and any problems.
 *
 * @param postgresSettings how PostgreSQL ran, or {@code null} when it did not
 */
record LoadReport(
        LoadOptions options,
        Instant startedAt,
        LoadHarness.Machine machine,
        List<RunResult> measured,
        List<RunResult> warmups,
        String postgresSettings) {

    static final double MIN_MEMORY_RATIO = 0.70;
    static final double MIN_POSTGRES_RATE = 2_000;
    static final int LATENCY_RATE = 1_000;
    static final double MAX_P99_MILLIS = 50;
    static final int HEAP_RETRIES = 10_000;
    static final long MAX_HEAP_BYTES = 64L * 1024 * 1024;

    LoadReport {
        measured = List.copyOf(measured);
        warmups = List.copyOf(warmups);
    }

    /** Whether every run, warm-ups included, delivered exactly what it should have. */
    boolean passed() {
        return measured.stream().allMatch(RunResult::passed) && warmups.stream().allMatch(RunResult::passed);
    }

    /** The baseline's throughput, which every delivery run is compared with. */
    Optional<RunResult> baseline() {
        return measured.stream()
                .filter(run -> run.scenario().equals("baseline"))
                .findFirst();
    }

    Optional<RunResult> find(String store, String scenario) {
        return measured.stream()
                .filter(run -> run.store().equals(store) && run.scenario().equals(scenario))
                .findFirst();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# hookengine load run: ").append(options.mode()).append("\n\n");
        md.append("- **When**: ")
                .append(startedAt.truncatedTo(ChronoUnit.SECONDS))
                .append('\n');
        md.append("- **Machine**: ")
                .append(machine.cores())
                .append(" cores (")
                .append(machine.cpu())
                .append("), ")
                .append(machine.memory())
                .append(", ")
                .append(machine.os())
                .append('\n');
        md.append("- **JVM**: ")
                .append(machine.jvm())
                .append(", ")
                .append(machine.gc())
                .append(", max heap ")
                .append(mib(machine.maxHeapBytes()))
                .append(" MiB\n");
        md.append("- **Commit**: ").append(machine.commit()).append('\n');
        md.append(String.format(
                "- **Load**: %,d events per drain and baseline run, one delivery each, over %d configs"
                        + " in %d organizations; ~2 KiB JSON bodies signed v1a (Ed25519) and v1 (HMAC); %d publisher threads;"
                        + " warm-up runs of %,d events first%n",
                options.events(), options.configs(), options.orgs(), options.publishers(), options.warmupEvents()));
        md.append(String.format(
                "- **Engine**: builder defaults: %d delivery threads, batches of at most %d, poll interval %s%n",
                WebhookEngineBuilder.DEFAULT_DELIVERY_THREADS,
                Math.min(
                        WebhookEngineBuilder.DEFAULT_DELIVERY_BATCH_SIZE,
                        WebhookEngineBuilder.DEFAULT_DELIVERY_THREADS),
                options.pollInterval() == null
                        ? WebhookEngineBuilder.DEFAULT_POLL_INTERVAL.toMillis() + " ms"
                        : "**" + options.pollInterval().toMillis() + " ms (overridden)**"));
        if (postgresSettings != null) {
            md.append("- **Database**: ").append(postgresSettings).append('\n');
        }
        if (options.note() != null) {
            md.append("- **Note**: ").append(options.note()).append('\n');
        }
        md.append('\n');
        md.append("| run | store | deliveries | deliveries/s | vs baseline | p50 ms | p99 ms | max ms"
                + " | CPU µs/delivery: sender | receiver | PostgreSQL | heap after GC MiB |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double baselineRate = baseline().map(RunResult::deliveriesPerSecond).orElse(0.0);
        for (RunResult run : measured) {
            boolean rated = run.deliveriesPerSecond() > 0;
            String ratio = !rated
                            || baselineRate <= 0
                            || run.scenario().equals("baseline")
                            || run.scenario().startsWith("paced")
                    ? "—"
                    : String.format("%.0f %%", 100 * run.deliveriesPerSecond() / baselineRate);
            Latencies latency = run.latency();
            ProcessMeter.CpuPerOperation cpu = run.cpu();
            md.append("| ")
                    .append(run.scenario())
                    .append(" | ")
                    .append(run.store())
                    .append(" | ")
                    .append(String.format("%,d", run.deliveries()))
                    .append(" | ")
                    .append(rated ? String.format("%,.0f", run.deliveriesPerSecond()) : "—")
                    .append(" | ")
                    .append(ratio)
                    .append(" | ")
                    .append(latency == null ? "—" : String.format("%.1f", latency.p50Millis()))
                    .append(" | ")
                    .append(latency == null ? "—" : String.format("%.1f", latency.p99Millis()))
                    .append(" | ")
                    .append(latency == null ? "—" : String.format("%.1f", latency.maxMillis()))
                    .append(" | ")
                    .append(cpu == null ? "—" : String.format("%.0f", cpu.senderMicros()))
                    .append(" | ")
                    .append(cpu == null ? "—" : String.format("%.0f", cpu.receiverMicros()))
                    .append(" | ")
                    .append(
                            cpu == null || !run.store().equals("PostgreSQL")
                                    ? "—"
                                    : String.format("%.0f", cpu.databaseMicros()))
                    .append(" | ")
                    .append(mib(run.heapAfterGcBytes()))
                    .append(
                            run.heapDeltaBytes() == null
                                    ? ""
                                    : " (+" + mib(run.heapDeltaBytes()) + " for the waiting retries)")
                    .append(" |\n");
        }
        md.append('\n');
        md.append("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (String[] row : targets()) {
            md.append("| ")
                    .append(row[0])
                    .append(" | ")
                    .append(row[1])
                    .append(" | ")
                    .append(row[2])
                    .append(" |\n");
        }
        md.append("\n## Notes\n\n");
        md.append(
                "- **drain**: events published with the engine stopped, then `start()`; deliveries/s from `start()` to the"
                        + " last receipt. **paced**: open loop at a fixed rate, engine running; latency from the moment each event"
                        + " was due to be published to its receipt (one monotonic clock: publisher and receiver share the JVM)."
                        + " **baseline**: the same requests built and signed beforehand, sent straight through `JettyHttpTransport`"
                        + " with the engine's concurrency. **CPU**: process CPU time less the receiver's threads (*sender*: engine or"
                        + " transport, publishers, GC, JIT), the receiver's threads, and PostgreSQL's processes.\n");
        for (RunResult run : measured) {
            for (String note : run.notes()) {
                md.append("- ")
                        .append(run.scenario())
                        .append(", ")
                        .append(run.store())
                        .append(": ")
                        .append(note)
                        .append('\n');
            }
        }
        List<String> problems = new ArrayList<>();
        for (RunResult run : concat(warmups, measured)) {
            for (String problem : run.problems()) {
                problems.add(run.scenario() + ", " + run.store() + ": " + problem);
            }
        }
        md.append("\n## Problems\n\n");
        if (problems.isEmpty()) {
            md.append("None: every run delivered every webhook exactly once, and the stores agree.\n");
        } else {
            problems.forEach(problem -> md.append("- ").append(problem).append('\n'));
        }
        return md.toString();
    }

    private List<String[]> targets() {
        List<String[]> rows = new ArrayList<>();
        if (options.mode().equals("smoke")) {
            // a few hundred events measure start-up and JIT warm-up, not the engine
            rows.add(new String[] {
                "all", "smoke mode checks that every delivery arrives exactly once", "not judged: run --quick or --full"
            });
            return rows;
        }
        double baselineRate = baseline().map(RunResult::deliveriesPerSecond).orElse(0.0);
        find("in-memory", "drain").ifPresent(run -> {
            double ratio = baselineRate <= 0 ? 0 : run.deliveriesPerSecond() / baselineRate;
            rows.add(new String[] {
                "in-memory ≥ 70 % of the raw transport",
                String.format(
                        "%.0f %% (%,.0f vs %,.0f deliveries/s)", 100 * ratio, run.deliveriesPerSecond(), baselineRate),
                verdict(ratio >= MIN_MEMORY_RATIO)
            });
        });
        find("PostgreSQL", "drain")
                .ifPresentOrElse(
                        run -> rows.add(new String[] {
                            "PostgreSQL ≥ 2,000 deliveries/s",
                            String.format("%,.0f deliveries/s", run.deliveriesPerSecond()),
                            verdict(run.deliveriesPerSecond() >= MIN_POSTGRES_RATE)
                        }),
                        () -> rows.add(new String[] {"PostgreSQL ≥ 2,000 deliveries/s", "not run", "—"}));
        find("PostgreSQL", "paced " + LATENCY_RATE + "/s")
                .ifPresentOrElse(
                        run -> rows.add(new String[] {
                            "PostgreSQL p99 < 50 ms at 1,000/s",
                            run.latency() == null
                                    ? "no latency (the run had problems)"
                                    : String.format(
                                            "p99 %.1f ms (p50 %.1f, max %.1f)",
                                            run.latency().p99Millis(),
                                            run.latency().p50Millis(),
                                            run.latency().maxMillis()),
                            run.latency() == null ? "—" : verdict(run.latency().p99Millis() < MAX_P99_MILLIS)
                        }),
                        () -> rows.add(new String[] {"PostgreSQL p99 < 50 ms at 1,000/s", "not run at 1,000/s", "—"}));
        find("in-memory", "waiting retries").ifPresent(run -> {
            double scaled = (double) run.heapDeltaBytes() * HEAP_RETRIES / run.deliveries();
            String measuredText = run.deliveries() == HEAP_RETRIES
                    ? String.format("%.1f MiB", scaled / (1024 * 1024))
                    : String.format("%.1f MiB (scaled from %,d)", scaled / (1024 * 1024), run.deliveries());
            rows.add(new String[] {
                "heap < 64 MiB for 10,000 waiting retries (in-memory)", measuredText, verdict(scaled < MAX_HEAP_BYTES)
            });
        });
        return rows;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**not met**";
    }

    private static String mib(long bytes) {
        return String.format("%.1f", bytes / (1024.0 * 1024.0));
    }

    private static List<RunResult> concat(List<RunResult> a, List<RunResult> b) {
        List<RunResult> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
