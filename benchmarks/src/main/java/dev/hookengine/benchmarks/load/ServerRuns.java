package dev.hookengine.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.testing.TestReceiver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The runs through the standalone server, as users run it: {@code java -jar engine-server.jar} in
 * processes of their own ({@link ServerNode}), on the in-memory store or on the harness's PostgreSQL
 * (a fresh database per run, shared by every process of the run), delivering to the harness's
 * receiver. Per run:
 *
 * <ol>
 *   <li>one config through {@code POST /v1/webhooks/configs}, pointing at the receiver;
 *   <li>a warm-up through the server, not measured; first one event per process, repeated until that
 *       process knows the config (it learns of a config made on another within its refresh interval);
 *   <li>the same requests sent straight to the receiver: the publish requests' bodies, POSTed to the
 *       receiver by the same client with {@value #IN_FLIGHT} in flight, the machine's HTTP capacity for
 *       this request shape;
 *   <li>the measured phase: events published through {@code POST /v1/webhooks/events} with
 *       {@value #IN_FLIGHT} requests in flight, spread round-robin over the processes, until the last
 *       is received: publish requests accepted per second, events delivered per second end to end, and
 *       the CPU of the server processes, PostgreSQL and the harness;
 *   <li>the checks ({@link ServerChecks}): every event received exactly once; through the server's API,
 *       nothing left {@code in_progress}, nothing {@code failed} or {@code skipped}, a sample read by id
 *       {@code succeeded}; the processes' counters: as many events queued and attempts succeeded as
 *       publish requests were accepted, and no other attempt.
 * </ol>
 */
final class ServerRuns {

    /** Requests the publishing client keeps in flight. */
    static final int IN_FLIGHT = 32;

    private static final String ORG = "load-server";
    private static final String EVENT_NAME = "load.server.event";

    private final LoadOptions options;
    private final TestReceiver receiver;
    private final DeliveryCounter counter;
    /** The longest any one wait of a server run may take: the harness's, or longer for many events. */
    private final Duration timeout;

    private final RunChecks checks;
    private final LoadPayloads payloads = new LoadPayloads();
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private int runNumber;

    ServerRuns(LoadOptions options, TestReceiver receiver, DeliveryCounter counter) {
        this.options = options;
        this.receiver = receiver;
        this.counter = counter;
        // A server slower than 50 events/s end to end still finishes its run, and says how slow it was.
        this.timeout = Collections.max(
                List.of(options.timeout(), Duration.ofSeconds(options.server().events() / 50)));
        this.checks = new RunChecks(timeout, List.of());
    }

    /** What is wrong with the server jar, if anything: it must have been built before the harness runs. */
    static Optional<String> missingJar(LoadOptions.Server server) {
        return Files.isRegularFile(server.jar())
                ? Optional.empty()
                : Optional.of("no " + server.jar() + ": the runs through the standalone server need it; build it"
                        + " first from the repository root with  mvn -B -q -DskipTests package  (or pass --no-server)");
    }

    /** One server process on its in-memory store. */
    ServerRunResult inMemory(ProcessMeter meter) throws InterruptedException {
        return run("in-memory", "memory", 1, List.of("--db", "memory"), Map.of(), meter);
    }

    /** {@code nodes} server processes on one new database of {@code database}. */
    ServerRunResult onPostgres(PostgresDatabase database, int nodes, ProcessMeter meter)
            throws InterruptedException, SQLException {
        String url = database.createDatabase("load_server_" + (++runNumber));
        return run(
                "PostgreSQL",
                "pg-" + nodes + "n",
                nodes,
                List.of("--db", url),
                Map.of(
                        "HOOKENGINE_DB_USER", PostgresDatabase.USER,
                        "HOOKENGINE_DB_PASSWORD", PostgresDatabase.PASSWORD),
                meter);
    }

    private ServerRunResult run(
            String store, String slug, int nodeCount, List<String> db, Map<String, String> dbEnv, ProcessMeter meter)
            throws InterruptedException {
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(tokenBytes());
        Map<String, String> env = new HashMap<>(dbEnv);
        env.put("HOOKENGINE_API_TOKENS", token + "=" + ORG);
        env.put("HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true");
        env.put("HOOKENGINE_MASTER_KEY", AesGcmKeyCipher.generateBase64Key(random));
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<ServerNode> nodes = new ArrayList<>();
        notes.add(String.format(
                "%d server process%s: java %s -jar %s --host 127.0.0.1 --port 0 --db %s; %d requests in flight,"
                        + " spread round-robin over the processes",
                nodeCount,
                nodeCount == 1 ? "" : "es",
                String.join(" ", ServerNode.JVM_OPTIONS),
                options.server().jar(),
                db.get(1).replaceAll("://[^/]+/", "://127.0.0.1:<port>/"),
                IN_FLIGHT));
        ServerRunResult result;
        try (LoadClient client = new LoadClient(IN_FLIGHT, timeout)) {
            for (int i = 1; i <= nodeCount; i++) {
                Path jfr = options.server().jfrPrefix() == null
                        ? null
                        : Path.of(options.server().jfrPrefix() + "-server-" + slug + "-node" + i + ".jfr");
                nodes.add(ServerNode.start("node " + i, options.server().jar(), db, env, jfr));
            }
            result = measure(new ServerApi(client, token, nodes), store, meter, notes, problems);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            problems.add("the run could not finish: " + e);
            for (ServerNode node : nodes) {
                problems.add("the end of its log: " + node.tail(20).replace("\n", " ⏎ "));
            }
            result = ServerRunResult.failed(store, nodeCount, notes, problems);
        } finally {
            for (ServerNode node : nodes) {
                node.close();
            }
        }
        return result;
    }

    private byte[] tokenBytes() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return bytes;
    }

    private ServerRunResult measure(
            ServerApi api, String store, ProcessMeter meter, List<String> notes, List<String> problems)
            throws Exception {
        int events = options.server().events();
        String configId = createConfig(api);
        LoadHarness.progress("  warm-up through the server");
        int warmedUp = warmUp(api, problems);

        LoadHarness.progress("  the same requests straight to the receiver: %,d", events);
        URI direct = URI.create(receiver.url("/hooks/direct"));
        Phase straight = phase(
                api,
                meter,
                events,
                200,
                (i, body) -> api.client().request(HttpMethod.POST, direct, api.token(), body),
                answer -> answer.is(200) ? "" : null,
                problems);
        notes.add(String.format(
                "the same requests straight to the receiver: %,.0f/s (%,d requests, %.0f µs CPU per request in the"
                        + " client and %.0f µs in the receiver)",
                straight.deliveredPerSecond(),
                events,
                straight.cpu().senderMicros(),
                straight.cpu().receiverMicros()));

        LoadHarness.progress(
                "  publishing %,d events through %d server process(es)",
                events, api.nodes().size());
        Phase published = phase(
                api,
                meter,
                events,
                202,
                (i, body) -> api.publish(i, body),
                LoadClient.Answer::publishedEventId,
                problems);
        Latencies latency = Latencies.of(published.latencies());
        notes.add(String.format(
                "publish requests answered 202 with one event: %,d of %,d, the last %.1f s after the first was"
                        + " sent; before it, warm-up events through the server(s): %,d",
                published.accepted(), events, published.publishSeconds(), warmedUp));
        ServerChecks serverChecks = new ServerChecks(api, timeout);
        serverChecks.checkEventLog(configId, published.eventIds(), notes, problems);
        serverChecks.checkCounters(warmedUp + published.accepted(), notes, problems);
        for (ServerNode node : api.nodes()) {
            notes.add(node.name() + ": stopped with SIGTERM, " + node.stop()
                    + "; lines of its log with WARN, ERROR or an exception: " + node.complaints());
        }
        double serverMicros = (published.serverCpuNanos() / 1_000.0) / events;
        return new ServerRunResult(
                store,
                api.nodes().size(),
                events,
                published.accepted() / published.publishSeconds(),
                published.deliveredPerSecond(),
                straight.deliveredPerSecond(),
                problems.isEmpty() ? latency : null,
                serverMicros,
                published.cpu().databaseMicros(),
                published.cpu().senderMicros(),
                published.cpu().receiverMicros(),
                notes,
                problems);
    }

    private String createConfig(ServerApi api) throws Exception {
        Map<String, Object> config =
                Map.of("name", "load server config", "eventName", EVENT_NAME, "url", receiver.url("/hooks/server"));
        LoadClient.Answer answer = api.client()
                .exchange(api.client()
                        .request(
                                HttpMethod.POST,
                                api.nodes().get(0).uri("/v1/webhooks/configs"),
                                api.token(),
                                json.writeValueAsBytes(config)));
        if (!answer.is(201)) {
            throw new IllegalStateException("creating the config answered " + answer);
        }
        return json.readTree(answer.body()).path("id").asText();
    }

    /**
     * The warm-up, as many events as the measured phase: first one event per process, published again
     * every 100 ms until that process has the config (a publish that matches no config answers 202 with no event, and delivers nothing), then the
     * rest in a closed loop; all received exactly once before the measured phases start.
     *
     * @return the events it published
     */
    private int warmUp(ServerApi api, List<String> problems) throws Exception {
        // As many events as the measured phase: a profile of the shorter warm-up (a quarter of it)
        // found the server's JIT compilers still using about 40 % of its CPU during the measurement.
        int count = Math.max(
                api.nodes().size(),
                Math.max(options.warmupEvents() / 2, options.server().events()));
        DeliveryCounter.Expectation expected = counter.expectNext(count, 200);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int n = 0; n < api.nodes().size(); n++) {
            byte[] body = payloads.publishBody(EVENT_NAME, expected.first() + n);
            LoadClient.Answer answer;
            while ((answer = api.client().exchange(api.publish(n, body))).publishedEventId() == null) {
                if (!answer.is(202) || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            api.nodes().get(n).name() + " did not accept an event for the new config: " + answer);
                }
                Thread.sleep(100);
            }
        }
        int rest = count - api.nodes().size();
        AtomicInteger refused = new AtomicInteger();
        api.client()
                .closedLoop(
                        rest,
                        IN_FLIGHT,
                        i -> api.publish(
                                i,
                                payloads.publishBody(
                                        EVENT_NAME,
                                        expected.first() + api.nodes().size() + i)),
                        new long[rest],
                        new long[rest],
                        (i, answer) -> {
                            if (answer.publishedEventId() == null) {
                                refused.incrementAndGet();
                            }
                        },
                        problems);
        if (refused.get() > 0) {
            problems.add("warm-up: " + refused.get() + " publish requests were not accepted with one event");
        }
        checks.awaitArrivals(expected, problems);
        expected.problems().forEach(problem -> problems.add("warm-up: " + problem));
        return count - refused.get();
    }

    /** One closed-loop phase's figures. */
    private record Phase(
            int accepted,
            String[] eventIds,
            long[] latencies,
            double publishSeconds,
            double deliveredPerSecond,
            ProcessMeter.CpuPerOperation cpu,
            long serverCpuNanos) {}

    /** Makes the request for event {@code index} of a phase with its body. */
    private interface Requests {
        Request request(int index, byte[] body);
    }

    /**
     * Sends {@code events} requests of the publish body's shape with {@value #IN_FLIGHT} in flight and
     * waits until the receiver has every one: through the server or straight to the receiver.
     *
     * @param accept what a good answer holds (an event id, or {@code ""}), or {@code null} for a bad one
     */
    private Phase phase(
            ServerApi api,
            ProcessMeter meter,
            int events,
            int status,
            Requests requests,
            java.util.function.Function<LoadClient.Answer, String> accept,
            List<String> problems)
            throws InterruptedException {
        DeliveryCounter.Expectation expected = counter.expectNext(events, 200);
        byte[][] bodies = new byte[events][];
        for (int i = 0; i < events; i++) {
            bodies[i] = payloads.publishBody(EVENT_NAME, expected.first() + i);
        }
        String[] ids = new String[events];
        long[] sentAt = new long[events];
        long[] answeredAt = new long[events];
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        IntFunction<Request> request = i -> requests.request(i, bodies[i]);
        long serverBefore = serverCpuNanos(api.nodes());
        ProcessMeter.Sample before = meter.sample();
        api.client()
                .closedLoop(
                        events,
                        IN_FLIGHT,
                        request,
                        sentAt,
                        answeredAt,
                        (i, answer) -> {
                            ids[i] = accept.apply(answer);
                            if (ids[i] == null) {
                                refused.add("seq " + (expected.first() + i) + ": " + answer);
                            }
                        },
                        problems);
        checks.awaitArrivals(expected, problems);
        ProcessMeter.Sample after = meter.sample();
        long serverCpu = serverCpuNanos(api.nodes()) - serverBefore;
        if (!refused.isEmpty()) {
            problems.add(refused.size() + " requests were not answered " + status + " as expected, first: "
                    + refused.peek());
        }
        problems.addAll(expected.problems());
        long lastAnswer = Long.MIN_VALUE;
        long[] latencies = new long[events];
        for (int i = 0; i < events; i++) {
            lastAnswer = Math.max(lastAnswer, answeredAt[i]);
            latencies[i] = answeredAt[i] - sentAt[i];
        }
        return new Phase(
                events - refused.size(),
                ids,
                latencies,
                LoadRuns.seconds(lastAnswer - sentAt[0]),
                events / LoadRuns.seconds(expected.lastReceiptNanos() - sentAt[0]),
                ProcessMeter.perOperation(before, after, events),
                serverCpu);
    }

    private static long serverCpuNanos(List<ServerNode> nodes) {
        return nodes.stream().mapToLong(ServerNode::cpuNanos).sum();
    }
}
