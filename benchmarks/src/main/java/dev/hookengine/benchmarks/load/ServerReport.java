package dev.hookengine.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of the results file about the runs through the standalone server: their table, and the
 * rows of the targets table judged on them.
 */
final class ServerReport {

    static final double MIN_SERVER_PUBLISH_RATE = 3_000;
    static final double MIN_SERVER_VS_DIRECT = 0.30;

    private ServerReport() {}

    /** The table of the server runs, or nothing when none ran. */
    static String table(List<ServerRunResult> runs) {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Through the standalone server\n\n");
        md.append("`java -jar engine-server.jar` in processes of their own, the harness publishing through"
                + " `POST /v1/webhooks/events` with " + ServerRuns.IN_FLIGHT + " requests in flight; *straight to the"
                + " receiver* is the same requests sent to the receiver instead, in the same run. CPU per event over"
                + " the measured phase (publishing and delivering).\n\n");
        md.append("| store | server processes | events | published/s (202) | delivered/s end to end"
                + " | straight to the receiver /s | delivered vs straight | publish p50 ms | p99 ms | max ms"
                + " | CPU µs/event: server | PostgreSQL | harness client | receiver |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ServerRunResult run : runs) {
            Latencies latency = run.publishLatency();
            md.append(String.format(
                    "| %s | %d | %,d | %,.0f | %,.0f | %,.0f | %.0f %% | %s | %s | %s | %.0f | %s | %.0f | %.0f |%n",
                    run.store(),
                    run.nodes(),
                    run.events(),
                    run.publishedPerSecond(),
                    run.deliveredPerSecond(),
                    run.directPerSecond(),
                    100 * run.deliveredVsDirect(),
                    latency == null ? "—" : String.format("%.1f", latency.p50Millis()),
                    latency == null ? "—" : String.format("%.1f", latency.p99Millis()),
                    latency == null ? "—" : String.format("%.1f", latency.maxMillis()),
                    run.serverMicros(),
                    run.store().equals("PostgreSQL") ? String.format("%.0f", run.databaseMicros()) : "—",
                    run.clientMicros(),
                    run.receiverMicros()));
        }
        return md.append('\n').toString();
    }

    /** The server targets' rows: judged on the one-process PostgreSQL run, the others beside it. */
    static List<String[]> targets(List<ServerRunResult> runs, boolean asked) {
        List<String[]> rows = new ArrayList<>();
        String publishTarget = "through the standalone server on PostgreSQL: publishing ≥ 3,000 events/s";
        String deliveryTarget = "through the standalone server on PostgreSQL: end-to-end delivery ≥ 30 % of the"
                + " same requests sent straight to the receiver, in one run";
        List<ServerRunResult> postgres = runs.stream()
                .filter(run -> run.store().equals("PostgreSQL") && run.events() > 0)
                .toList();
        Optional<ServerRunResult> judged = postgres.stream()
                .filter(run -> run.nodes() == 1)
                .findFirst()
                .or(() -> postgres.stream().findFirst());
        if (judged.isEmpty()) {
            String why = asked ? "no PostgreSQL server run finished" : "not run (--server)";
            rows.add(new String[] {publishTarget, why, "—"});
            rows.add(new String[] {deliveryTarget, why, "—"});
            return rows;
        }
        ServerRunResult run = judged.get();
        rows.add(new String[] {
            publishTarget,
            String.format("%,.0f events/s%s", run.publishedPerSecond(), others(run, postgres, false)),
            LoadReport.verdict(run.publishedPerSecond() >= MIN_SERVER_PUBLISH_RATE)
        });
        rows.add(new String[] {
            deliveryTarget,
            String.format(
                    "%.0f %% (%,.0f vs %,.0f/s)%s",
                    100 * run.deliveredVsDirect(),
                    run.deliveredPerSecond(),
                    run.directPerSecond(),
                    others(run, postgres, true)),
            LoadReport.verdict(run.deliveredVsDirect() >= MIN_SERVER_VS_DIRECT)
        });
        return rows;
    }

    /** The same figure of the other PostgreSQL runs (other numbers of processes), for comparison. */
    private static String others(ServerRunResult judged, List<ServerRunResult> postgres, boolean delivery) {
        String others = postgres.stream()
                .filter(run -> run != judged)
                .map(run -> delivery
                        ? String.format(
                                "%d processes: %.0f %% (%,.0f/s)",
                                run.nodes(), 100 * run.deliveredVsDirect(), run.deliveredPerSecond())
                        : String.format("%d processes: %,.0f/s", run.nodes(), run.publishedPerSecond()))
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
        String judgedOn = judged.nodes() == 1 ? "one process" : judged.nodes() + " processes";
        return " with " + judgedOn + (others.isEmpty() ? "" : "; " + others);
    }
}
