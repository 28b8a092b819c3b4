package dev.hookengine.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.testing.TestReceiver;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The three fault runs, each on a fresh database of the harness's PostgreSQL, with standalone servers
 * started as processes ({@link ServerNode}) and the harness publishing through their REST route at a
 * steady rate ({@link SteadyPublisher}) to the {@link FaultReceiver} on 127.0.0.1:
 *
 * <ol>
 *   <li>{@link #killLoop()}: one of the servers killed with SIGKILL and started again every few seconds,
 *       rotating;
 *   <li>{@link #databaseRestart()}: PostgreSQL stopped and started again on the same data and port while
 *       the servers keep running;
 *   <li>{@link #hostileReceiver()}: the receiver answering a mix of 200, 500, 429 with {@code Retry-After},
 *       resets mid-body and stalls.
 * </ol>
 *
 * Each run publishes, then waits until the queue is empty and nothing is {@code in_progress} (or its
 * settle time is up), reads the store's tables and ends with {@link FaultChecks}.
 */
final class FaultRuns {

    private static final String ORG = "faults";
    private static final String EVENT_NAME = "faults.event";
    /** How long the publisher waits for one publish's answer: a server waiting on a dead database answers late. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(20);

    private final FaultOptions options;
    private final PostgresDatabase database;
    private final FaultReceiver behaviour;
    private final TestReceiver receiver;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private long nextSeq;
    private int runNumber;

    FaultRuns(FaultOptions options, PostgresDatabase database, FaultReceiver behaviour, TestReceiver receiver) {
        this.options = options;
        this.database = database;
        this.behaviour = behaviour;
        this.receiver = receiver;
    }

    /** What one run did and found. */
    record Outcome(
            String name,
            int nodes,
            double publishSeconds,
            int kills,
            Double publishRecoverySeconds,
            Double deliveryRecoverySeconds,
            Map<FaultReceiver.Action, Integer> answers,
            FaultChecks.Result check,
            List<String> notes,
            List<String> problems) {

        boolean passed() {
            return problems.isEmpty() && check != null && check.passed();
        }
    }

    /** The servers of one run, which the kill loop replaces one at a time, and which of them take publishes. */
    private final class Cluster implements AutoCloseable {
        private final List<ServerNode> nodes = new CopyOnWriteArrayList<>();
        private final List<Boolean> up = new CopyOnWriteArrayList<>();
        private final List<String> args;
        private final Map<String, String> env;
        private final List<String> retired = new ArrayList<>();

        Cluster(int count, List<String> args, Map<String, String> env) throws Exception {
            this.args = args;
            this.env = env;
            for (int i = 0; i < count; i++) {
                nodes.add(ServerNode.start("node " + (i + 1), options.jar(), args, env, null));
                up.add(true);
            }
        }

        List<URI> upNow() {
            List<URI> servers = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (up.get(i)) {
                    servers.add(nodes.get(i).uri("/"));
                }
            }
            return servers;
        }

        /**
         * The next server to kill, rotating from {@code from}: one that is up, as long as another stays up
         * (so that publishing never stops altogether); -1 when none may be killed now.
         */
        int nextVictim(int from) {
            long upCount = up.stream().filter(Boolean::booleanValue).count();
            if (upCount < 2) {
                return -1;
            }
            for (int i = 0; i < nodes.size(); i++) {
                int index = (from + i) % nodes.size();
                if (up.get(index)) {
                    return index;
                }
            }
            return -1;
        }

        /**
         * Kills server {@code index} with SIGKILL and starts another in its place, on the same database,
         * on a thread of its own: a cold JVM on a busy machine can take longer than the loop's interval.
         *
         * @return the thread starting the successor
         */
        Thread killAndRestart(int index, int killNumber, List<String> startTimes, List<String> problems)
                throws InterruptedException {
            ServerNode victim = nodes.get(index);
            up.set(index, false);
            victim.kill();
            synchronized (retired) {
                retired.add(victim.name() + " (killed " + killNumber + "): complaints " + victim.complaints());
            }
            Thread restart = LoadRuns.named("fault-restart").newThread(() -> {
                long begun = System.nanoTime();
                try {
                    nodes.set(
                            index, ServerNode.start(victim.name() + "." + killNumber, options.jar(), args, env, null));
                    up.set(index, true);
                    startTimes.add(String.format("%.1f", (System.nanoTime() - begun) / 1e9));
                } catch (Exception e) {
                    problems.add("the successor of " + victim.name() + " did not start: " + e);
                }
            });
            restart.start();
            return restart;
        }

        /**
         * The attempts of the servers running now by outcome, from their {@code /metrics} (a killed
         * server's counters died with it): how often a breaker deferred a job, how many retried.
         */
        String attempts(LoadClient client) throws InterruptedException {
            Map<String, Double> total = new java.util.TreeMap<>();
            List<String> unread = new ArrayList<>();
            for (ServerNode node : nodes) {
                ServerChecks.counters(client, node, unread).forEach((name, value) -> {
                    if (name.startsWith("hookengine_attempts_total ")) {
                        total.merge(name.substring("hookengine_attempts_total ".length()), value, Double::sum);
                    }
                });
            }
            return total.entrySet().stream()
                            .map(e -> String.format("%s %,.0f", e.getKey(), e.getValue()))
                            .toList()
                    + (unread.isEmpty() ? "" : "; " + unread);
        }

        List<String> stop() throws InterruptedException {
            List<String> notes = new ArrayList<>(retired);
            for (ServerNode node : nodes) {
                notes.add(node.name() + ": stopped with SIGTERM, " + node.stop()
                        + "; lines with WARN, ERROR or an exception: " + node.complaints());
            }
            return notes;
        }

        List<String> tails() {
            return nodes.stream().map(node -> node.tail(30)).toList();
        }

        @Override
        public void close() {
            nodes.forEach(ServerNode::close);
        }
    }

    /**
     * Three servers (by default) on one PostgreSQL; every {@code killEvery} one of them is killed with
     * SIGKILL and started again at once, rotating, while the harness publishes to the ones that are up.
     * Successors start in the background, so kills keep the loop's clock even when a cold JVM on a busy
     * machine takes longer than {@code killEvery} to start; a kill that would leave no server up is
     * skipped (and counted), so that publishing never stops altogether.
     */
    Outcome killLoop() throws Exception {
        behaviour.answerWith(FaultReceiver.Mix.ALL_OK);
        return run("kill loop", options.nodes(), Map.of(), false, (cluster, publisher, faults, notes, problems) -> {
            long start = System.nanoTime();
            int[] kills = {0};
            int[] skipped = {0};
            List<String> startTimes = new CopyOnWriteArrayList<>();
            List<Thread> restarts = new ArrayList<>();
            Thread killer = LoadRuns.named("fault-killer").newThread(() -> {
                try {
                    long every = options.killEvery().toNanos();
                    long end = start + options.killLoop().toNanos();
                    int rotation = 0;
                    for (long next = start + every; next < end; next += every) {
                        TimeUnit.NANOSECONDS.sleep(next - System.nanoTime()); // the loop's clock
                        int index = cluster.nextVictim(rotation);
                        if (index < 0) {
                            skipped[0]++;
                            continue;
                        }
                        rotation = index + 1;
                        long at = System.nanoTime();
                        restarts.add(cluster.killAndRestart(index, ++kills[0], startTimes, problems));
                        faults.add(new FaultChecks.Fault(
                                String.format("kill of node %d at %.1f s", index + 1, (at - start) / 1e9), at, at));
                        LoadHarness.progress("  killed node %d (kill %d)", index + 1, kills[0]);
                    }
                    for (Thread restart : restarts) {
                        restart.join();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            killer.start();
            publisher.publish(options.rate(), options.killLoop().toNanos() / 1e9, cluster::upNow);
            killer.join();
            notes.add(String.format(
                    "kills: %d, on the loop's %d s clock; skipped because only one server was up: %d;"
                            + " successors' start times (s): %s",
                    kills[0], options.killEvery().toSeconds(), skipped[0], startTimes));
            return new Recovery(kills[0], null, null);
        });
    }

    /**
     * The servers keep running while PostgreSQL is stopped ({@code pg_ctl stop -m fast}) after {@code
     * dbBefore} of publishing and started again on the same data directory and port {@code dbDown} later.
     * Publishes refused while it is down are expected; recovery is measured from the moment it is back to
     * the first publish acknowledged again, and to the first delivery of an event published after that.
     */
    Outcome databaseRestart() throws Exception {
        behaviour.answerWith(FaultReceiver.Mix.ALL_OK);
        return run(
                "database restart", options.nodes(), Map.of(), false, (cluster, publisher, faults, notes, problems) -> {
                    long start = System.nanoTime();
                    long[] window = new long[2];
                    Thread restarter = LoadRuns.named("fault-db-restart").newThread(() -> {
                        try {
                            TimeUnit.NANOSECONDS.sleep(options.dbBefore().toNanos());
                            window[0] = System.nanoTime();
                            database.stopServer();
                            LoadHarness.progress("  PostgreSQL stopped");
                            TimeUnit.NANOSECONDS.sleep(
                                    window[0] + options.dbDown().toNanos() - System.nanoTime());
                            database.startServer();
                            window[1] = System.nanoTime();
                            LoadHarness.progress(
                                    "  PostgreSQL started again (%.1f s after it stopped)",
                                    (window[1] - window[0]) / 1e9);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Exception e) {
                            problems.add("the database restart failed: " + e);
                        }
                    });
                    restarter.start();
                    double seconds =
                            (options.dbBefore().plus(options.dbDown()).plus(options.dbAfter())).toNanos() / 1e9;
                    publisher.publish(options.rate(), seconds, cluster::upNow);
                    restarter.join();
                    if (window[1] == 0) {
                        return new Recovery(0, null, null);
                    }
                    faults.add(new FaultChecks.Fault(
                            String.format(
                                    "PostgreSQL down from %.1f s to %.1f s",
                                    (window[0] - start) / 1e9, (window[1] - start) / 1e9),
                            window[0],
                            window[1]));
                    publisher.awaitAnswers();
                    long backUp = window[1];
                    Optional<Long> accepted = publisher.ledger().values().stream()
                            .filter(p -> p.acknowledged() && p.answeredNanos() >= backUp)
                            .map(SteadyPublisher.Publish::answeredNanos)
                            .min(Long::compare);
                    long refusedWhileDown = publisher.ledger().values().stream()
                            .filter(p -> !p.acknowledged() && p.sentNanos() >= window[0] && p.sentNanos() < backUp)
                            .count();
                    notes.add(String.format(
                            "publishes sent while PostgreSQL was down and not acknowledged: %,d (refused or unanswered, as expected)",
                            refusedWhileDown));
                    return new Recovery(
                            0, accepted.map(at -> (at - backUp) / 1e9).orElse(null), backUp);
                });
    }

    /**
     * The receiver answers a mix of 200, 500, 429 with {@code Retry-After: 1}, resets mid-body and
     * stalls, chosen per request ({@link FaultReceiver.Mix}).
     *
     * <p>Retries are real here, so the run must wait until each event succeeded or failed for good. The
     * server's retry schedule is fixed (Standard Webhooks: 5 s, 5 min, 30 min, ... with ±20 % jitter; a
     * {@code Retry-After} is honoured as given, at least 1 s) and the standalone server offers no setting
     * for it; its attempt deadline is fixed at 15 s too. So the config's {@code retryPolicy.maxAttempts}
     * is 1: one retry, due 4–6 s after a failure (or the 1 s a 429 asks for), and an event whose two
     * attempts both fail ends {@code failed}, which the check accepts only when the receiver failed both.
     * A second retry would be due 5 minutes later. Stalls hold one of a server's 16 delivery threads for
     * the whole 15 s deadline, so they are kept to about one request in a thousand.
     */
    Outcome hostileReceiver() throws Exception {
        behaviour.answerWith(options.mix());
        Map<String, Object> retries =
                Map.of("retryPolicy", Map.of("enabled", true, "maxAttempts", options.hostileRetries()));
        return run(
                "hostile receiver",
                options.hostileNodes(),
                retries,
                true,
                (cluster, publisher, faults, notes, problems) -> {
                    publisher.publish(options.rate(), options.hostile().toNanos() / 1e9, cluster::upNow);
                    return new Recovery(0, null, null);
                });
    }

    /** What a run's fault did, for its figures. */
    private record Recovery(int kills, Double publishSeconds, Long backUpNanos) {}

    /** Publishes while doing its fault; returns when its publishing ends. */
    private interface Faulting {
        Recovery run(
                Cluster cluster,
                SteadyPublisher publisher,
                List<FaultChecks.Fault> faults,
                List<String> notes,
                List<String> problems)
                throws Exception;
    }

    private Outcome run(
            String name, int nodeCount, Map<String, Object> configExtras, boolean failuresAllowed, Faulting faulting)
            throws Exception {
        behaviour.reset();
        String dbName = "fault_" + (++runNumber);
        String url = database.createDatabase(dbName);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        Map<String, String> env = new HashMap<>();
        env.put("HOOKENGINE_DB_USER", PostgresDatabase.USER);
        env.put("HOOKENGINE_DB_PASSWORD", PostgresDatabase.PASSWORD);
        env.put("HOOKENGINE_API_TOKENS", token + "=" + ORG);
        env.put("HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true");
        env.put("HOOKENGINE_MASTER_KEY", AesGcmKeyCipher.generateBase64Key(random));
        List<String> notes = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        List<FaultChecks.Fault> faults = new CopyOnWriteArrayList<>();
        long firstSeq = nextSeq;
        LoadHarness.progress("%s: %d server process(es), %,d events/s", name, nodeCount, options.rate());
        try (LoadClient client = new LoadClient(SteadyPublisher.MAX_IN_FLIGHT, PUBLISH_TIMEOUT);
                Cluster cluster = new Cluster(nodeCount, List.of("--db", url), env)) {
            createConfig(client, token, cluster.nodes.get(0), configExtras);
            SteadyPublisher publisher = new SteadyPublisher(client, token, EVENT_NAME, firstSeq);
            warmUp(publisher, cluster, problems);
            long start = System.nanoTime();
            Recovery recovery = faulting.run(cluster, publisher, faults, notes, problems);
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            publisher.awaitAnswers();
            nextSeq = publisher.nextSeq();
            LoadHarness.progress(
                    "  published %,d; waiting until every job has ended",
                    publisher.ledger().size());
            settle(dbName, problems);
            behaviour.stopStalling();
            StoreView store;
            try (Connection connection = database.connect(dbName)) {
                store = StoreView.read(connection);
            }
            FaultChecks.Result check = FaultChecks.check(
                    publisher.ledger().values(),
                    behaviour.receipts(),
                    store,
                    faults,
                    new FaultChecks.Expectation(firstSeq, nextSeq, failuresAllowed, 1 + options.hostileRetries()),
                    start);
            Double deliveryRecovery =
                    recovery.backUpNanos() == null ? null : deliveryRecovery(publisher, recovery.backUpNanos());
            notes.add("publishes not acknowledged, by answer: " + unacknowledged(publisher));
            publisher.firstRefusals().forEach((status, answer) -> notes.add("the first " + status + ": " + answer));
            long[] answerTimes = publisher.ledger().values().stream()
                    .filter(SteadyPublisher.Publish::acknowledged)
                    .mapToLong(p -> p.answeredNanos() - p.sentNanos())
                    .toArray();
            if (answerTimes.length > 0) {
                Latencies publishLatency = Latencies.of(answerTimes);
                notes.add(String.format(
                        "acknowledged publishes answered in p50 %.1f ms, p99 %.1f ms, max %.1f ms (the client gives up"
                                + " after %d s: no answer)",
                        publishLatency.p50Millis(),
                        publishLatency.p99Millis(),
                        publishLatency.maxMillis(),
                        PUBLISH_TIMEOUT.toSeconds()));
            }
            notes.add("faults: "
                    + (faults.isEmpty()
                            ? "none"
                            : faults.stream().map(FaultChecks.Fault::what).toList()));
            notes.add(String.format(
                    "published at %,.0f events/s over %.1f s (asked: %,d/s)",
                    publisher.ledger().size() / Math.max(publishSeconds, 1e-9), publishSeconds, options.rate()));
            notes.add("attempts by outcome, over the servers running at the end (from their /metrics): "
                    + cluster.attempts(client));
            notes.addAll(cluster.stop());
            if (!check.passed()) {
                cluster.tails().forEach(tail -> notes.add("the end of a server's log: " + tail.replace("\n", " ⏎ ")));
            }
            return new Outcome(
                    name,
                    nodeCount,
                    publishSeconds,
                    recovery.kills(),
                    recovery.publishSeconds(),
                    deliveryRecovery,
                    behaviour.answered(),
                    check,
                    List.copyOf(notes),
                    problems);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            problems.add("the run could not finish: " + e);
            return new Outcome(
                    name, nodeCount, 0, 0, null, null, behaviour.answered(), null, List.copyOf(notes), problems);
        } finally {
            behaviour.stopStalling();
            database.startServer(); // a run that failed half-way leaves PostgreSQL up for the next
        }
    }

    /** The publishes that were not acknowledged, counted by status (or the kind of failure). */
    private static Map<String, Long> unacknowledged(SteadyPublisher publisher) {
        return publisher.ledger().values().stream()
                .filter(p -> !p.acknowledged())
                .collect(java.util.stream.Collectors.groupingBy(
                        p -> p.answered()
                                ? String.valueOf(p.status())
                                : p.failure().replaceAll(":.*", ""),
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
    }

    /** Seconds from PostgreSQL back up to the first successful receipt of an event published after that. */
    private Double deliveryRecovery(SteadyPublisher publisher, long backUp) {
        Map<String, FaultReceiver.Receipts> receipts = behaviour.receipts();
        return publisher.ledger().values().stream()
                .filter(p -> p.acknowledged() && p.sentNanos() >= backUp)
                .map(p -> receipts.get(p.eventId()))
                .filter(r -> r != null && r.successes() > 0)
                .map(r -> r.successNanos().get(0))
                .min(Long::compare)
                .map(at -> (at - backUp) / 1e9)
                .orElse(null);
    }

    private void createConfig(LoadClient client, String token, ServerNode node, Map<String, Object> extras)
            throws Exception {
        Map<String, Object> config = new HashMap<>(extras);
        config.put("name", "fault runs");
        config.put("eventName", EVENT_NAME);
        config.put("url", receiver.url("/hooks/faults"));
        LoadClient.Answer answer = client.exchange(client.request(
                HttpMethod.POST, node.uri("/v1/webhooks/configs"), token, json.writeValueAsBytes(config)));
        if (!answer.is(201)) {
            throw new IllegalStateException("creating the config answered " + answer);
        }
    }

    /**
     * One acknowledged event per server before the run starts, published again every 100 ms until that
     * server knows the config (made on the first; the others learn of it within their refresh interval).
     * These events are in the ledger, and checked like the others.
     */
    private void warmUp(SteadyPublisher publisher, Cluster cluster, List<String> problems) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (URI server : cluster.upNow()) {
            SteadyPublisher.Publish publish;
            while (!(publish = publisher.publishOne(server)).acknowledged()) {
                if (System.nanoTime() > deadline || publish.status() != 202) {
                    throw new IllegalStateException(server + " did not acknowledge an event: " + publish);
                }
                Thread.sleep(100); // the server learns of the config on its own clock
            }
        }
    }

    /**
     * Waits until the queue is empty and no event is {@code in_progress}, reading the tables every half
     * second, for at most the settle time: retries and the leases of killed servers' jobs run out on
     * their own clocks.
     */
    private void settle(String dbName, List<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + options.settle().toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Connection connection = database.connect(dbName);
                    Statement statement = connection.createStatement();
                    ResultSet counts = statement.executeQuery("SELECT (SELECT count(*) FROM " + StoreView.PREFIX
                            + "jobs), (SELECT count(*) FROM " + StoreView.PREFIX
                            + "events WHERE status = 'in_progress')")) {
                counts.next();
                last = counts.getLong(1) + " jobs queued, " + counts.getLong(2) + " events in_progress";
                if (counts.getLong(1) == 0 && counts.getLong(2) == 0) {
                    return;
                }
            } catch (SQLException e) {
                last = "the tables could not be read: " + e.getMessage();
            }
            Thread.sleep(500); // the queue drains on the servers' clocks; this only looks
        }
        problems.add("not settled within " + options.settle().toSeconds() + " s of the last publish: " + last);
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return bytes;
    }
}
