package dev.hookengine.benchmarks.load;

import java.util.List;

/**
 * What one run through the standalone server came to ({@link ServerRuns}). Rates are over the
 * measured phase only, the warm-up left out.
 *
 * @param store              {@code in-memory} or {@code PostgreSQL}: the server's {@code --db}
 * @param nodes              server processes sharing the store, the publisher's requests spread over them
 * @param events             events published in the measured phase, one delivery each
 * @param publishedPerSecond publish requests answered 202 with one event, over the time from the first
 *                           request sent to the last answer
 * @param deliveredPerSecond events over the time from the first publish request sent to the last receipt
 * @param directPerSecond    the same requests sent straight to the receiver, in the same run: requests
 *                           over the time from the first sent to the last received
 * @param publishLatency     publish request sent to its answer (a closed loop: service time); {@code null}
 *                           when the run had problems
 * @param serverMicros       CPU per event of the server processes, publishing and delivering, in µs
 * @param databaseMicros     CPU per event of PostgreSQL's processes (0 in memory)
 * @param clientMicros       CPU per event of the harness less its receiver: the client publishing, GC, JIT
 * @param receiverMicros     CPU per event of the receiver's threads
 * @param notes              what else a reader needs to read the figures
 * @param problems           why the run is not to be trusted
 */
record ServerRunResult(
        String store,
        int nodes,
        int events,
        double publishedPerSecond,
        double deliveredPerSecond,
        double directPerSecond,
        Latencies publishLatency,
        double serverMicros,
        double databaseMicros,
        double clientMicros,
        double receiverMicros,
        List<String> notes,
        List<String> problems) {

    ServerRunResult {
        notes = List.copyOf(notes);
        problems = List.copyOf(problems);
    }

    /** A run that could not measure anything, with the reason. */
    static ServerRunResult failed(String store, int nodes, List<String> notes, List<String> problems) {
        return new ServerRunResult(store, nodes, 0, 0, 0, 0, null, 0, 0, 0, 0, notes, problems);
    }

    boolean passed() {
        return problems.isEmpty();
    }

    /** End-to-end delivery as a share of the same requests sent straight to the receiver; 0 when not measured. */
    double deliveredVsDirect() {
        return directPerSecond <= 0 ? 0 : deliveredPerSecond / directPerSecond;
    }

    /** How the run is named in the report's notes and problems. */
    String label() {
        return "server, " + store + ", " + nodes + (nodes == 1 ? " process" : " processes");
    }
}
