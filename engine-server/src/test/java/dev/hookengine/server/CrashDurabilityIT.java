package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.server.ServerApi.Reply;
import dev.hookengine.signing.WebhookVerifier;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: on the embedded H2 default, a write the REST API has acknowledged survives a SIGKILL
 * that comes right after the answer. Every kind of write the server acknowledges is made through
 * the API, the server is killed with {@code kill -9} the moment the answer is in (no waiting), a new
 * server is started on the same directory, and the write is looked for there: the config with its
 * new fields or gone, the event by its id, the replayed events, the rotated secret and key in use,
 * the variable listed or gone.
 *
 * <p>A round makes twelve writes, each against things made before the round and made durable by a
 * graceful restart (which flushes H2 today too), so that each write is tested on its own and a lost
 * one does not spoil the next: the test reports every write it lost, not only the first. The check
 * of write N and write N+1 share a server life, so a round costs thirteen starts; with a class data
 * archive (see {@link ServerJar}) a start takes about 1.1 s on 2 cores, a round about 20 s.
 *
 * <p><b>Why {@value #ROUNDS} rounds.</b> H2 hands committed transactions to its file from a
 * background thread, once WRITE_DELAY (500 ms) has passed since it last did; the kill comes a few
 * milliseconds after the answer, so on today's code (30a94a3) a write survives only when that thread
 * happened to run in between. Measured on 30a94a3: every one of the 48 writes of 4 rounds was lost
 * (the sync trigger's event was kept, but as {@code in_progress}: its outcome was lost), so a single
 * round already fails practically always. The further rounds are for the fix: no write may be lost
 * in any of the {@value #ROUNDS} × 12 kills, so a fix that left some path on the delayed writer
 * would have to be lucky 4 times over. 4 rounds take about 75–80 s on 2 cores (53 server starts at
 * about 1.1 s each, plus the requests), inside the 2 minutes this class may take.
 */
class CrashDurabilityIT {

    static final int ROUNDS = 4;
    private static final String TOKEN = "crash-token";
    private static final String ORG = "crash-org";
    private static final String CONFIGS = "/v1/webhooks/configs/";

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @TempDir
    Path dataDir;

    private TestReceiver receiver;
    /** The server of the current life, and its API. */
    private ServerProcess server;

    private ServerApi api;
    private int lives;

    /** One write, made and acknowledged; {@link Check#lost()} is asked after the kill and restart. */
    private record Write(String name, Action action) {}

    @FunctionalInterface
    private interface Action {
        Check make() throws Exception;
    }

    @FunctionalInterface
    private interface Check {
        /** What is missing after the restart, or empty when the write is there. */
        Optional<String> lost() throws Exception;
    }

    /** A write lost in a round, and how it showed. */
    private record Loss(int round, String write, String how) {}

    /** An event made before the round: its id and its payload as recorded. */
    private record Event(String id, String payload) {}

    /** What a round's writes act on, made durable before the round by a graceful restart. */
    private record Prepared(
            int round, String keptConfig, String doomedConfig, Event first, Event second, String keptVariable) {}

    @AfterEach
    void closeReceiver() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void noAcknowledgedWriteIsLostToAKillRightAfterItsAnswer() throws Exception {
        long began = System.nanoTime();
        receiver = TestReceiver.start();
        startServer();
        List<Loss> losses = new ArrayList<>();
        int kills = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Prepared prepared = prepare(round);
            server.stop();
            startServer();
            assertKeptByAGracefulRestart(prepared);
            for (Write write : writes(prepared)) {
                Check check = write.action().make();
                server.kill();
                kills++;
                startServer();
                int inRound = round;
                check.lost().ifPresent(how -> losses.add(new Loss(inRound, write.name(), how)));
            }
        }
        System.out.printf(
                "CrashDurabilityIT: %d rounds, %d kills, %d server starts, %d writes lost, %.1f s%n",
                ROUNDS, kills, lives, losses.size(), (System.nanoTime() - began) / 1e9);
        assertThat(losses).as(summary(losses, kills)).isEmpty();
    }

    /** The round's writes, in the order they are made; each names how it is checked. */
    private List<Write> writes(Prepared prepared) {
        int round = prepared.round();
        String kept = CONFIGS + prepared.keptConfig();
        return List.of(
                new Write("create config", () -> {
                    String name = "created-" + round;
                    String id = api.acknowledged(
                                    "POST",
                                    "/v1/webhooks/configs",
                                    config(name, "created_" + round, "/created-" + round))
                            .json()
                            .get("id")
                            .asText();
                    return () -> {
                        Reply reply = api.call("GET", CONFIGS + id, null);
                        return unless(
                                reply.status() == 200
                                        && reply.json().path("name").asText().equals(name),
                                "the created config: " + reply);
                    };
                }),
                new Write("update config", () -> {
                    String name = "kept-" + round + "-updated";
                    String url = receiver.url("/kept-" + round + "-updated");
                    api.acknowledged("PUT", kept, config(name, "kept_" + round, "/kept-" + round + "-updated"));
                    return () -> {
                        Reply reply = api.call("GET", kept, null);
                        return unless(
                                reply.status() == 200
                                        && reply.json().path("name").asText().equals(name)
                                        && reply.json().path("url").asText().equals(url),
                                "the updated name and url: " + reply);
                    };
                }),
                new Write("async trigger", () -> {
                    String eventId = trigger(prepared.keptConfig(), "async-" + round, false)
                            .get("event_id")
                            .asText();
                    return () -> {
                        Reply reply = api.call("GET", kept + "/events/" + eventId, null);
                        return unless(reply.status() == 200, "the triggered event: " + reply);
                    };
                }),
                new Write("sync trigger", () -> {
                    JsonNode answer = trigger(prepared.keptConfig(), "sync-" + round, true);
                    assertThat(answer.path("status").asText())
                            .as("the synchronous trigger's delivery: %s", answer)
                            .isEqualTo("succeeded");
                    String eventId = answer.get("event_id").asText();
                    return () -> {
                        Reply reply = api.call("GET", kept + "/events/" + eventId, null);
                        return unless(
                                reply.status() == 200
                                        && reply.json().path("status").asText().equals("succeeded"),
                                "the delivered event, as succeeded: " + reply);
                    };
                }),
                new Write("publish", () -> {
                    JsonNode answer = api.acknowledged("POST", "/v1/webhooks/events", """
                            {"eventName": "kept_%d", "metadata": {"action": "publish"}, "entity": {"_id": "published-%d"}}""".formatted(round, round))
                            .json();
                    assertThat(answer.path("events"))
                            .as("the round's config hears the published event: %s", answer)
                            .hasSize(1);
                    JsonNode published = answer.get("events").get(0);
                    String path = CONFIGS + published.get("webhook_config_id").asText() + "/events/"
                            + published.get("event_id").asText();
                    return () -> {
                        Reply reply = api.call("GET", path, null);
                        return unless(reply.status() == 200, "the published event: " + reply);
                    };
                }),
                new Write("replay", () -> {
                    Set<String> before = eventIds(prepared.keptConfig());
                    api.acknowledged(
                            "POST", kept + "/events/" + prepared.first().id() + "/replay", null);
                    return () -> unless(
                            !newEventsWithPayload(prepared.keptConfig(), before, prepared.first())
                                    .isEmpty(),
                            "a new event with the replayed event's payload (events now: "
                                    + eventIds(prepared.keptConfig()).size() + ", before: " + before.size() + ")");
                }),
                new Write("batch replay", () -> {
                    Set<String> before = eventIds(prepared.keptConfig());
                    api.acknowledged("POST", kept + "/events/replay-batch", """
                            {"eventIds": ["%s", "%s"]}""".formatted(
                                    prepared.first().id(), prepared.second().id()));
                    return () -> {
                        List<String> first = newEventsWithPayload(prepared.keptConfig(), before, prepared.first());
                        List<String> second = newEventsWithPayload(prepared.keptConfig(), before, prepared.second());
                        return unless(
                                !first.isEmpty() && !second.isEmpty(),
                                "new events with the replayed events' " + "payloads (found " + first.size() + " and "
                                        + second.size() + ")");
                    };
                }),
                new Write("rotate signing secret", () -> {
                    String secret = api.acknowledged("POST", kept + "/signing-secret/rotate", null)
                            .json()
                            .get("signingSecret")
                            .asText();
                    return () -> unverifiedDelivery(
                            prepared.keptConfig(),
                            "secret-" + round,
                            WebhookVerifier.builder().secret(secret).build(),
                            "the rotated signing secret");
                }),
                new Write("rotate signing key", () -> {
                    String publicKey = api.acknowledged("POST", "/v1/webhooks/signing-key/rotate", null)
                            .json()
                            .get("public_key")
                            .asText();
                    return () -> {
                        Reply served = api.call("GET", "/v1/webhooks/.well-known/public-key?orgId=" + ORG, null);
                        if (served.status() != 200
                                || !served.json().path("public_key").asText().equals(publicKey)) {
                            return Optional.of("the rotated public key, as served: " + served);
                        }
                        return unverifiedDelivery(
                                prepared.keptConfig(),
                                "key-" + round,
                                WebhookVerifier.builder().publicKey(publicKey).build(),
                                "the rotated signing key");
                    };
                }),
                new Write("put variable", () -> {
                    String name = "ADDED_" + round;
                    api.acknowledged("PUT", "/v1/webhooks/variables/" + name, """
                            {"value": "added in round %d"}""".formatted(round));
                    return () ->
                            unless(variableNames().contains(name), "variable " + name + " among " + variableNames());
                }),
                new Write("delete variable", () -> {
                    api.acknowledged("DELETE", "/v1/webhooks/variables/" + prepared.keptVariable(), null);
                    return () -> unless(
                            !variableNames().contains(prepared.keptVariable()),
                            "variable " + prepared.keptVariable() + " deleted, but listed: " + variableNames());
                }),
                new Write("delete config", () -> {
                    api.acknowledged("DELETE", CONFIGS + prepared.doomedConfig(), null);
                    return () -> {
                        Reply reply = api.call("GET", CONFIGS + prepared.doomedConfig(), null);
                        return unless(reply.status() == 404, "the deleted config gone, but: " + reply);
                    };
                }));
    }

    /**
     * Two configs (one kept, one to delete), two delivered events of the kept one, a variable: what
     * the round's writes act on.
     */
    private Prepared prepare(int round) {
        String kept = api.acknowledged(
                        "POST", "/v1/webhooks/configs", config("kept-" + round, "kept_" + round, "/kept-" + round))
                .json()
                .get("id")
                .asText();
        String doomed = api.acknowledged(
                        "POST",
                        "/v1/webhooks/configs",
                        config("doomed-" + round, "doomed_" + round, "/doomed-" + round))
                .json()
                .get("id")
                .asText();
        Event first = deliveredEvent(kept, "first-" + round);
        Event second = deliveredEvent(kept, "second-" + round);
        String variable = "KEPT_" + round;
        api.acknowledged("PUT", "/v1/webhooks/variables/" + variable, """
                {"value": "kept"}""");
        return new Prepared(round, kept, doomed, first, second, variable);
    }

    /** A graceful stop closes H2, which writes everything: the round starts from a known state. */
    private void assertKeptByAGracefulRestart(Prepared prepared) {
        for (String config : List.of(prepared.keptConfig(), prepared.doomedConfig())) {
            assertThat(api.call("GET", CONFIGS + config, null).status())
                    .as("config %s, made before a graceful restart, is kept by it", config)
                    .isEqualTo(200);
        }
        for (Event event : List.of(prepared.first(), prepared.second())) {
            assertThat(api.call("GET", CONFIGS + prepared.keptConfig() + "/events/" + event.id(), null)
                            .status())
                    .as("event %s, made before a graceful restart, is kept by it", event.id())
                    .isEqualTo(200);
        }
        assertThat(variableNames()).as("variables after a graceful restart").contains(prepared.keptVariable());
    }

    private void startServer() {
        lives++;
        server = servers.start(
                "life " + lives,
                List.of("--db", "h2:" + dataDir),
                Map.of("HOOKENGINE_API_TOKENS", TOKEN + "=" + ORG, "HOOKENGINE_ALLOW_PRIVATE_TARGETS", "true"));
        api = new ServerApi(server, TOKEN);
    }

    private String config(String name, String eventName, String receiverPath) {
        return """
                {"name": "%s", "eventName": "%s", "url": "%s"}""".formatted(name, eventName, receiver.url(receiverPath));
    }

    private JsonNode trigger(String configId, String entityId, boolean sync) {
        return api.acknowledged(
                        "POST", CONFIGS + configId + "/trigger" + (sync ? "?sync=true" : ""), """
                {"metadata": {"action": "crash test"}, "entity": {"_id": "%s"}}""".formatted(entityId))
                .json();
    }

    private Event deliveredEvent(String configId, String entityId) {
        JsonNode answer = trigger(configId, entityId, true);
        assertThat(answer.path("status").asText())
                .as("delivery of %s: %s", entityId, answer)
                .isEqualTo("succeeded");
        String id = answer.get("event_id").asText();
        return new Event(
                id, api.get(CONFIGS + configId + "/events/" + id).get("payload").asText());
    }

    /**
     * Delivers a new event of the config synchronously and checks its signature with
     * {@code verifier}, which knows only the rotated secret or key: empty when it verifies.
     */
    private Optional<String> unverifiedDelivery(
            String configId, String entityId, WebhookVerifier verifier, String what) {
        JsonNode answer = trigger(configId, entityId, true);
        String eventId = answer.get("event_id").asText();
        Optional<Received> request = receiver.received().stream()
                .filter(received -> eventId.equals(received.header("webhook-id")))
                .findFirst();
        if (request.isEmpty()) {
            return Optional.of("a delivery to check " + what + " with: none arrived (" + answer + ")");
        }
        boolean verifies = verifier.isValid(
                request.get().body().getBytes(StandardCharsets.UTF_8),
                request.get().headers());
        return unless(
                verifies,
                "a delivery after the restart signed with " + what + "; its signatures: "
                        + request.get().header("webhook-signature"));
    }

    /** Every event id of the config, through the v2 listing's pages. */
    private Set<String> eventIds(String configId) {
        Set<String> ids = new HashSet<>();
        ObjectNode search = ServerApi.MAPPER.createObjectNode().put("limit", 25);
        while (true) {
            JsonNode page = api.acknowledged("POST", "/v2/webhooks/configs/" + configId + "/events", search.toString())
                    .json();
            page.path("data").forEach(event -> ids.add(event.get("event_id").asText()));
            if (!page.path("has_more").asBoolean() || page.path("next_cursor").isNull()) {
                return ids;
            }
            search.set("cursor", page.get("next_cursor"));
        }
    }

    /** Ids of the config's events not in {@code before} whose payload is {@code original}'s. */
    private List<String> newEventsWithPayload(String configId, Set<String> before, Event original) {
        List<String> found = new ArrayList<>();
        for (String id : eventIds(configId)) {
            if (!before.contains(id)
                    && api.get(CONFIGS + configId + "/events/" + id)
                            .path("payload")
                            .asText()
                            .equals(original.payload())) {
                found.add(id);
            }
        }
        return found;
    }

    private List<String> variableNames() {
        List<String> names = new ArrayList<>();
        api.get("/v1/webhooks/variables").path("names").forEach(name -> names.add(name.asText()));
        return names;
    }

    private static Optional<String> unless(boolean kept, String missing) {
        return kept ? Optional.empty() : Optional.of(missing);
    }

    /** Per kind of write: in how many rounds it was lost, and how the first loss showed. */
    private static String summary(List<Loss> losses, int kills) {
        Map<String, List<Loss>> byWrite =
                losses.stream().collect(Collectors.groupingBy(Loss::write, LinkedHashMap::new, Collectors.toList()));
        StringBuilder text = new StringBuilder(losses.size() + " of " + kills
                + " acknowledged writes were lost to a kill -9 right after their answer:");
        byWrite.forEach((write, lost) -> text.append("\n  ")
                .append(write)
                .append(": lost in ")
                .append(lost.size())
                .append(" of ")
                .append(ROUNDS)
                .append(" rounds; round ")
                .append(lost.get(0).round())
                .append(": ")
                .append(lost.get(0).how()));
        return text.toString();
    }
}
