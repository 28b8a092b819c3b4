package dev.hookengine.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpMethod;

/**
 * What a run through the standalone server checks through the server's own API once every webhook has
 * arrived, beside the receiver's exact counts: the event log agrees, and the processes' own counters
 * add up (which also says which process delivered how many).
 */
final class ServerChecks {

    /** Events of the measured phase read back by id. */
    private static final int SAMPLED = 50;

    /** A line of the Prometheus text: a counter's name, its {@code outcome} tag, its value. */
    private static final Pattern COUNTER =
            Pattern.compile("^(hookengine_\\w+_total)\\{[^}]*outcome=\"([^\"]+)\"[^}]*}\\s+(\\S+)");

    private final ObjectMapper json = new ObjectMapper();
    private final ServerApi api;
    private final Duration timeout;

    /** @param timeout how long events may stay {@code in_progress} after the last receipt */
    ServerChecks(ServerApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    /**
     * The event log through {@code GET /v1/webhooks/configs/{id}/events}: once nothing is {@code
     * in_progress} any more (an outcome is recorded just after the receiver answered), nothing is {@code
     * failed} or {@code skipped}; and a sample of the measured phase's events, read by id, {@code
     * succeeded}. Paging through every event would take about a millisecond per event (25 to a page):
     * the counters ({@link #checkCounters}) count them all instead.
     */
    void checkEventLog(String configId, String[] eventIds, List<String> notes, List<String> problems) throws Exception {
        String events = "/v1/webhooks/configs/" + configId + "/events";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isEmpty(events + "?status=in_progress", problems)) {
            if (System.nanoTime() > deadline) {
                problems.add("events still in_progress " + timeout.toSeconds() + " s after the last receipt");
                break;
            }
            Thread.sleep(100);
        }
        for (String status : List.of("failed", "skipped")) {
            if (!isEmpty(events + "?status=" + status, problems)) {
                problems.add("the event log has " + status + " events");
            }
        }
        int sampled = 0;
        int wrong = 0;
        for (int i = 0; i < eventIds.length; i += Math.max(1, eventIds.length / SAMPLED)) {
            if (eventIds[i] != null) {
                sampled++;
                LoadClient.Answer answer = api.get(events + "/" + eventIds[i]);
                boolean succeeded = answer.is(200)
                        && json.readTree(answer.body()).path("status").asText().equals("succeeded");
                if (!succeeded && wrong++ == 0) {
                    problems.add("event " + eventIds[i] + " read by id: " + answer);
                }
            }
        }
        notes.add(String.format(
                "event log through the API: none in_progress, failed or skipped; %d of the measured events read by"
                        + " id, %d of them not succeeded",
                sampled, wrong));
    }

    /**
     * Each process's {@code hookengine_events_total} and {@code hookengine_attempts_total} by outcome,
     * from its {@code /metrics}: over all processes, {@code accepted} events queued and as many attempts
     * succeeded, and no attempt with any other outcome.
     */
    void checkCounters(int accepted, List<String> notes, List<String> problems) throws InterruptedException {
        Map<String, Double> total = new TreeMap<>();
        List<String> perNode = new ArrayList<>();
        for (ServerNode node : api.nodes()) {
            Map<String, Double> counters = counters(api.client(), node, problems);
            counters.forEach((name, value) -> total.merge(name, value, Double::sum));
            perNode.add(String.format(
                    "%s %,.0f", node.name(), counters.getOrDefault("hookengine_attempts_total succeeded", 0.0)));
        }
        double queued = total.getOrDefault("hookengine_events_total queued", 0.0);
        double succeeded = total.getOrDefault("hookengine_attempts_total succeeded", 0.0);
        if (queued != accepted || succeeded != accepted) {
            problems.add(String.format(
                    "the servers' counters say %,.0f events queued and %,.0f attempts succeeded; %,d were accepted",
                    queued, succeeded, accepted));
        }
        total.forEach((name, value) -> {
            if (name.startsWith("hookengine_attempts_total") && !name.endsWith(" succeeded") && value > 0) {
                problems.add(String.format("the servers' counters say %,.0f attempts ended %s", value, name));
            }
        });
        notes.add("deliveries made per process (attempts succeeded, warm-up included): " + String.join(", ", perNode));
    }

    /**
     * A process's counters by outcome from its {@code /metrics}, as {@code "<counter> <outcome>"}: for
     * example {@code hookengine_attempts_total succeeded}. Empty, with a problem, when it cannot be read.
     */
    static Map<String, Double> counters(LoadClient client, ServerNode node, List<String> problems)
            throws InterruptedException {
        Map<String, Double> counters = new TreeMap<>();
        LoadClient.Answer answer = client.exchange(client.request(HttpMethod.GET, node.uri("/metrics"), null, null));
        if (!answer.is(200)) {
            problems.add(node.name() + ": GET /metrics answered " + answer);
            return counters;
        }
        answer.body()
                .lines()
                .map(COUNTER::matcher)
                .filter(Matcher::find)
                .forEach(counter -> counters.merge(
                        counter.group(1) + " " + counter.group(2), Double.parseDouble(counter.group(3)), Double::sum));
        return counters;
    }

    /** Whether a listing's first page is empty. */
    private boolean isEmpty(String listing, List<String> problems) throws Exception {
        LoadClient.Answer answer = api.get(listing);
        if (!answer.is(200)) {
            problems.add("GET " + listing + " answered " + answer);
            return true;
        }
        return json.readTree(answer.body()).path("data").isEmpty();
    }
}
