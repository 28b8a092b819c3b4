package dev.hookengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.Secret;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the route tests stand on: a real engine (in-memory store unless given another, Jetty transport allowing only
 * 127.0.0.1, time on a {@link MutableClock}, workers not started so each test delivers with
 * {@link WebhookEngine#deliverDue()} when it chooses) behind a real {@link WebhookServer} on
 * 127.0.0.1 and a free port, called over HTTP. Every response is validated against the OpenAPI
 * documents before a test sees it.
 */
final class ApiServer implements AutoCloseable {

    static final String ORG_A = "org-a";
    static final String ORG_B = "org-b";
    static final String TOKEN_A = "token-of-org-a";
    static final String TOKEN_B = "token-of-org-b";
    /** Small, so that the oversized-body tests stay small too. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    /** An answer, its body parsed when it is JSON. */
    record Response(int status, String contentType, String body, JsonNode json) {
        String message() {
            return json == null ? null : json.path("message").asText(null);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final WebhookStore store;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final JettyHttpTransport transport =
            JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
    final WebhookEngine engine;
    final WebhookServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Shared: building the validators parses three documents, and they hold no state between calls. */
    private static final OpenApiValidation VALIDATION = new OpenApiValidation();

    ApiServer() {
        this(new InMemoryWebhookStore());
    }

    /** The same on {@code store}, which {@link #close()} closes when it can be closed. */
    ApiServer(WebhookStore store) {
        this.store = store;
        engine = WebhookEngine.builder()
                .store(store)
                .transport(transport)
                .clock(clock)
                .meterRegistry(registry)
                .eventCatalog(List.of(new CatalogEvent(
                        "customer_created",
                        "Customer created",
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("_id", "cus_1")
                                .put("name", "Ada"))))
                .build();
        server = WebhookServer.builder(engine)
                .authenticator(Authenticator.ofTokens(Map.of(TOKEN_A, ORG_A, TOKEN_B, ORG_B)))
                .host("127.0.0.1")
                .port(0)
                .maxBodyBytes(MAX_BODY_BYTES)
                .prometheus(registry)
                .build()
                .start();
    }

    /** {@code method path} as org A, with a JSON body or none. */
    Response call(String method, String path, String body) {
        return call(method, path, TOKEN_A, body);
    }

    /** {@code method path} with {@code token} ({@code null}: no Authorization header). */
    Response call(String method, String path, String token, String body) {
        HttpRequest.Builder request = request(method, path, body == null ? null : body.getBytes());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(method, path, request);
    }

    /** A request built by the test itself (odd headers, odd bodies), sent and validated. */
    Response send(String method, String path, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            VALIDATION.assertValid(method, path, response.statusCode(), contentType, response.body());
            JsonNode json = contentType != null
                            && contentType.startsWith("application/json")
                            && !response.body().isEmpty()
                    ? MAPPER.readTree(response.body())
                    : null;
            return new Response(response.statusCode(), contentType, response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request to this server with a JSON body ({@code null}: none). */
    HttpRequest.Builder request(String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Creates a config for org A and returns its id. */
    String createConfig(String json) {
        Response created = call("POST", "/v1/webhooks/configs", json);
        if (created.status() != 201) {
            throw new AssertionError("create failed: " + created.status() + " " + created.body());
        }
        return created.json().get("id").asText();
    }

    /**
     * Both organizations' data as the store keeps it, read through the SPI: configs with their
     * revisions and signing secrets, each config's events, variables with their values, active signing
     * keys, and the queue. Equal before and after a request means the request changed nothing.
     */
    String storeState() {
        StringBuilder state = new StringBuilder();
        for (String org : List.of(ORG_A, ORG_B)) {
            for (StoredConfig stored : store.listConfigs(org, null)) {
                Secret secret = stored.config().signingSecret();
                state.append(stored)
                        .append(secret == null ? "" : secret.reveal())
                        .append('\n');
                store.searchEvents(org, EventQuery.ofConfig(stored.config().id(), 100_000))
                        .events()
                        .forEach(event -> state.append(event).append('\n'));
            }
            for (String name : store.variableNames(org)) {
                state.append(name)
                        .append('=')
                        .append(store.findVariable(org, name)
                                .map(Secret::reveal)
                                .orElse(null))
                        .append('\n');
            }
            state.append(store.activeKeys(org, clock.instant()).stream()
                            .map(SigningKey::keyId)
                            .toList())
                    .append('\n');
        }
        return state.append(store.stats(clock.instant())).toString();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        transport.close();
        registry.close();
        if (store instanceof AutoCloseable owned) { // a JDBC store's own pool
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the store failed", e);
            }
        }
    }
}
