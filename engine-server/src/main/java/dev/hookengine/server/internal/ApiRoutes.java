package dev.hookengine.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.ConflictException;
import dev.hookengine.DomainEvent;
import dev.hookengine.FieldError;
import dev.hookengine.NotFoundException;
import dev.hookengine.PublishResult;
import dev.hookengine.UnprocessableException;
import dev.hookengine.ValidationException;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineException;
import dev.hookengine.WriteIntent;
import dev.hookengine.model.BatchReplayRequest;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.ErrorResp;
import dev.hookengine.model.EventListResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExampleRequest;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.LegacyEventListResponse;
import dev.hookengine.model.ReplayRequest;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.TestOAuthResponse;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.server.Authenticator;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.HandlerWrapper;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the REST server: the spec's operations, each a call of the {@link WebhookEngine}
 * method of the same name with the caller's organization first, and the server's own extensions.
 * No business logic lives here: a handler reads the request, calls the engine, and writes what it
 * returns with the spec's status code. Engine exceptions become {@code ErrorResp} answers:
 * {@link ValidationException} 400, {@link NotFoundException} 404, {@link ConflictException} 409,
 * {@link UnprocessableException} 422.
 */
public final class ApiRoutes {

    /** The header with which a caller states that it means to change or delete a protected config. */
    public static final String MODIFY_PROTECTED_HEADER = "X-Hookengine-Modify-Protected";

    /**
     * The header that makes a publish idempotent ({@code POST /v1/webhooks/events}): a retry with the
     * same key within the engine's idempotency window answers the first publish's status and body
     * again and publishes nothing ({@link WebhookEngine#publish(DomainEvent, String)}).
     */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final String ORG_ATTRIBUTE = "hookengine.org";
    private static final String JSON = "application/json";
    /** The spec's {@code WebhookEvent.http_method} enum; configs allow more (see {@link #forSpec}). */
    private static final Set<HttpMethod> EVENT_METHODS_IN_SPEC =
            EnumSet.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT);

    /** Routes anyone may call; every other route needs a bearer token. */
    private enum Access implements RouteRole {
        PUBLIC
    }

    private final WebhookEngine engine;
    private final Authenticator authenticator;
    private final ApiJson json;
    private final int maxBodyBytes;
    private final PrometheusMeterRegistry prometheus;
    private final byte[] openApiDocument;
    private final ConsoleFiles consoleFiles = new ConsoleFiles();

    /**
     * @param prometheus      what {@code GET /metrics} scrapes, or {@code null} for no such route
     * @param openApiDocument what {@code GET /openapi.json} serves
     */
    public ApiRoutes(
            WebhookEngine engine,
            Authenticator authenticator,
            ApiJson json,
            int maxBodyBytes,
            PrometheusMeterRegistry prometheus,
            byte[] openApiDocument) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.json = Objects.requireNonNull(json, "json");
        this.maxBodyBytes = maxBodyBytes;
        this.prometheus = prometheus;
        this.openApiDocument = openApiDocument.clone();
    }

    /** Adds every route, the authentication step and the error mapping to {@code routes}. */
    public void register(RoutesConfig routes) {
        routes.beforeMatched(this::authenticate);

        // The spec's operations.
        routes.get("/v1/webhooks/.well-known/public-key", this::getPublicKey, Access.PUBLIC);
        routes.get("/v1/webhooks/configured-events", ctx -> ok(ctx, engine.getConfiguredEvents(org(ctx))));
        routes.get("/v1/webhooks/configs", ctx -> ok(ctx, engine.getConfigs(org(ctx), ctx.queryParam("eventName"))));
        routes.post(
                "/v1/webhooks/configs",
                ctx -> respond(ctx, 201, engine.createConfig(org(ctx), body(ctx, WebhookConfig.class))));
        routes.get("/v1/webhooks/configs/{configId}", ctx -> ok(ctx, engine.getConfig(org(ctx), configId(ctx))));
        routes.put(
                "/v1/webhooks/configs/{configId}",
                ctx -> ok(
                        ctx,
                        engine.updateConfig(org(ctx), configId(ctx), body(ctx, WebhookConfig.class), intent(ctx))));
        routes.delete("/v1/webhooks/configs/{configId}", ctx -> {
            try {
                engine.deleteConfig(org(ctx), configId(ctx), intent(ctx));
            } catch (NotFoundException e) {
                // The spec's 404 for deleteConfig has no content, unlike every other 404.
                ctx.status(404);
                return;
            }
            ctx.status(204);
        });
        routes.post("/v1/webhooks/configs/{configId}/test-oauth", this::testOAuth);
        routes.post(
                "/v1/webhooks/configs/{configId}/trigger",
                ctx -> ok(
                        ctx,
                        engine.triggerWebhook(
                                org(ctx),
                                configId(ctx),
                                body(ctx, ExecutionPayload.class),
                                booleanParam(ctx, "sync"))));
        routes.get("/v1/webhooks/configs/{configId}/events", ctx -> {
            LegacyEventListResponse page = engine.getWebhookEvents(
                    org(ctx), configId(ctx), enumParam(ctx, "status", EventStatus.class), ctx.queryParam("cursor"));
            ok(ctx, new LegacyEventListResponse(forSpec(page.data()), page.cursor()));
        });
        routes.post(
                "/v1/webhooks/configs/{configId}/events/replay-batch",
                ctx -> respond(
                        ctx,
                        202,
                        engine.batchReplayEvents(org(ctx), configId(ctx), body(ctx, BatchReplayRequest.class))));
        routes.get(
                "/v1/webhooks/configs/{configId}/events/{eventId}",
                ctx -> ok(ctx, forSpec(engine.getEventById(org(ctx), configId(ctx), ctx.pathParam("eventId")))));
        routes.post("/v1/webhooks/configs/{configId}/events/{eventId}/replay", ctx -> {
            engine.replayEvent(
                    org(ctx),
                    configId(ctx),
                    ctx.pathParam("eventId"),
                    optionalBody(ctx, ReplayRequest.class).orElse(null));
            ctx.status(204);
        });
        routes.post(
                "/v1/webhooks/configs/{configId}/example",
                ctx -> ok(ctx, engine.getWebhookExample(org(ctx), configId(ctx), body(ctx, ExampleRequest.class))));
        routes.post("/v2/webhooks/configs/{configId}/events", ctx -> {
            EventListResponse page = engine.getWebhookEventsV2(
                    org(ctx),
                    configId(ctx),
                    optionalBody(ctx, SearchOptions.class).orElseGet(SearchOptions::firstPage));
            ok(ctx, new EventListResponse(forSpec(page.data()), page.nextCursor(), page.hasMore()));
        });

        // Extensions (hookengine.openapi.json).
        routes.post("/v1/webhooks/events", this::publish);
        routes.get("/v1/webhooks/variables", ctx -> ok(ctx, Map.of("names", engine.variableNames(org(ctx)))));
        routes.put("/v1/webhooks/variables/{name}", this::putVariable);
        routes.delete("/v1/webhooks/variables/{name}", ctx -> {
            if (!engine.deleteVariable(org(ctx), ctx.pathParam("name"))) {
                throw new ApiError(404, "No variable named '" + ctx.pathParam("name") + "'");
            }
            ctx.status(204);
        });
        routes.post(
                "/v1/webhooks/configs/{configId}/signing-secret/rotate",
                ctx -> ok(
                        ctx,
                        Map.of(
                                "signingSecret",
                                engine.rotateSigningSecret(org(ctx), configId(ctx))
                                        .reveal())));
        routes.get(
                "/v1/webhooks/configs/{configId}/controls",
                ctx -> ok(ctx, engine.getControls(org(ctx), configId(ctx))));
        routes.put(
                "/v1/webhooks/configs/{configId}/controls",
                ctx -> ok(
                        ctx, engine.updateControls(org(ctx), configId(ctx), body(ctx, ConfigControls.Settings.class))));
        routes.post(
                "/v1/webhooks/configs/{configId}/pause", ctx -> ok(ctx, engine.pauseConfig(org(ctx), configId(ctx))));
        routes.post(
                "/v1/webhooks/configs/{configId}/resume", ctx -> ok(ctx, engine.resumeConfig(org(ctx), configId(ctx))));
        routes.post("/v1/webhooks/signing-key/rotate", ctx -> ok(ctx, engine.rotateSigningKey(org(ctx))));
        routes.get(
                "/v1/webhooks/configs/{configId}/events/{eventId}/attempts",
                ctx -> ok(
                        ctx,
                        engine.getEventAttempts(
                                org(ctx),
                                configId(ctx),
                                ctx.pathParam("eventId"),
                                intParam(ctx, "limit"),
                                ctx.queryParam("cursor"))));
        routes.get(
                "/v1/webhooks/configs/{configId}/delivery-stats",
                ctx -> ok(
                        ctx,
                        engine.getDeliveryStats(
                                org(ctx),
                                configId(ctx),
                                instantParam(ctx, "from"),
                                instantParam(ctx, "to"),
                                durationParam(ctx, "interval"))));
        routes.get("/health", ctx -> ok(ctx, Map.of("status", "UP")), Access.PUBLIC);
        // The web console's files; its scripts call the routes above with the user's token.
        routes.get("/console", consoleFiles::index, Access.PUBLIC);
        routes.get("/console/{file}", consoleFiles::file, Access.PUBLIC);
        routes.get("/openapi.json", ctx -> ctx.contentType(JSON).result(openApiDocument), Access.PUBLIC);
        if (prometheus != null) {
            routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(prometheus.scrape()),
                    Access.PUBLIC);
        }

        routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        routes.exception(ValidationException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        routes.exception(NotFoundException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        routes.exception(ConflictException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        routes.exception(UnprocessableException.class, (e, ctx) -> error(ctx, 422, e.getMessage()));
        routes.exception(WebhookEngineException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        // Javalin's own refusals: no such route (404), a method the path does not have (405), a body
        // over Javalin's limit (413), ...
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 405) {
                // Javalin's one detail of a 405 is the path's methods, joined by ", ".
                String allowed = String.join(", ", e.getDetails().values());
                ctx.header("Allow", allowed);
                error(ctx, 405, "Method " + ctx.method() + " not allowed on " + ctx.path() + "; allowed: " + allowed);
                return;
            }
            error(
                    ctx,
                    e.getStatus(),
                    e.getStatus() == 404 ? "No route " + ctx.method() + " " + ctx.path() : e.getMessage());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            Optional<SQLException> outage = StoreOutage.of(e);
            if (outage.isPresent()) {
                // The database is out of reach: the request may succeed when repeated, and one line
                // per request says so without a stack trace for each while it lasts.
                LOG.warn(
                        "{} {}: the database is unavailable (SQLSTATE {}): {}",
                        ctx.method(),
                        ctx.path(),
                        outage.get().getSQLState(),
                        outage.get().getMessage());
                ctx.header("Retry-After", String.valueOf(StoreOutage.RETRY_AFTER_SECONDS));
                error(ctx, 503, "The database is unavailable; try again shortly");
                return;
            }
            // Engine and store messages carry no secrets, but an unexpected failure is not the
            // caller's business: the log has it, the answer says only that it happened.
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "Internal server error");
        });
    }

    /**
     * Wraps every handler so that an {@link Error} thrown in it (a stack overflow, say) reaches the
     * exception mapping as a failure, logged and answered 500 with an {@code ErrorResp}: Javalin
     * hands an Error to a handler of its own, which answered with no body.
     */
    public static HandlerWrapper errorsAsFailures() {
        return endpoint -> ctx -> {
            try {
                endpoint.handler.handle(ctx);
            } catch (Error error) {
                throw new FailedWithError(error);
            }
        };
    }

    /** An {@link Error} of a handler, carried to the exception mapping. */
    private static final class FailedWithError extends RuntimeException {
        FailedWithError(Error error) {
            super(error.toString(), error);
        }
    }

    private void authenticate(Context ctx) {
        if (ctx.routeRoles().contains(Access.PUBLIC)) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized("Missing Authorization header: send 'Authorization: Bearer <token>'");
        }
        int space = header.indexOf(' ');
        if (space < 0
                || !header.substring(0, space).equalsIgnoreCase("Bearer")
                || header.substring(space + 1).isBlank()) {
            throw unauthorized("The Authorization header must be 'Bearer <token>'");
        }
        String org = authenticator
                .organization(header.substring(space + 1).trim())
                .orElseThrow(() -> unauthorized("Invalid API token"));
        ctx.attribute(ORG_ATTRIBUTE, org);
    }

    private static ApiError unauthorized(String message) {
        return new ApiError(401, message);
    }

    private void getPublicKey(Context ctx) {
        String orgId = ctx.queryParam("orgId");
        if (orgId == null || orgId.isBlank()) {
            throw ApiError.badRequest("Query parameter orgId: is required");
        }
        ok(ctx, engine.getPublicKey(orgId));
    }

    private void testOAuth(Context ctx) {
        TestOAuthResponse result = engine.testOAuth(org(ctx), configId(ctx));
        if (Boolean.TRUE.equals(result.success())) {
            ok(ctx, result);
        } else {
            // The spec's answer to a failed exchange: 500 "OAuth token exchange failed", an ErrorResp.
            error(ctx, 500, "OAuth token exchange failed: " + result.message());
        }
    }

    /**
     * {@code POST /v1/webhooks/events}: a domain event of the caller's organization, {@code eventName}
     * plus the event's body ({@code metadata}, {@code entity}, ...), fanned out to every matching config.
     */
    private void publish(Context ctx) {
        JsonNode tree = json.readTree(requireBody(ctx));
        if (!(tree instanceof ObjectNode body)) {
            throw ApiError.badRequest("Invalid request body: must be a JSON object");
        }
        JsonNode eventName = body.remove("eventName");
        if (eventName == null || !eventName.isTextual() || eventName.asText().isBlank()) {
            throw ApiError.badRequest("Invalid event: eventName: is required and must be a non-blank string");
        }
        for (String objectField : List.of("metadata", "entity", "changesets")) {
            JsonNode value = body.get(objectField);
            if (value != null && !value.isObject()) {
                throw ApiError.badRequest("Invalid event: " + objectField + ": must be an object");
            }
        }
        JsonNode relations = body.get("relations");
        if (relations != null && !relations.isArray()) {
            throw ApiError.badRequest("Invalid event: relations: must be an array");
        }
        DomainEvent published = new DomainEvent(org(ctx), eventName.asText(), body);
        List<String> keys = Collections.list(ctx.req().getHeaders(IDEMPOTENCY_KEY_HEADER));
        if (keys.size() > 1) {
            throw ApiError.badRequest("Invalid request: " + IDEMPOTENCY_KEY_HEADER + " header: must be sent once");
        }
        PublishResult result = keys.isEmpty() ? engine.publish(published) : publishOnce(published, keys.get(0));
        List<Map<String, String>> events = new ArrayList<>();
        for (int i = 0; i < result.eventIds().size(); i++) {
            Map<String, String> event = new LinkedHashMap<>();
            event.put("event_id", result.eventIds().get(i));
            event.put("webhook_config_id", result.dispatches().get(i).configId());
            events.add(event);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("event_ids", result.eventIds());
        answer.put("events", events);
        respond(ctx, 202, answer);
    }

    /**
     * A publish under an {@code Idempotency-Key}. The answer is built from the result alone, so a
     * retry within the window gets the first answer again, status and body.
     */
    private PublishResult publishOnce(DomainEvent event, String key) {
        try {
            return engine.publish(event, key);
        } catch (ValidationException e) {
            // The engine names its parameter; the client sent a header.
            throw new ValidationException(
                    "request",
                    e.errors().stream()
                            .map(error -> error.path().equals("idempotencyKey")
                                    ? new FieldError(IDEMPOTENCY_KEY_HEADER + " header", error.message())
                                    : error)
                            .toList());
        }
    }

    private void putVariable(Context ctx) {
        JsonNode tree = json.readTree(requireBody(ctx));
        JsonNode value = tree.get("value");
        if (!tree.isObject() || tree.size() != 1 || value == null || !value.isTextual()) {
            throw ApiError.badRequest("Invalid variable: the body must be {\"value\": \"<string>\"}");
        }
        engine.putVariable(org(ctx), ctx.pathParam("name"), value.asText());
        ctx.status(204);
    }

    private static String org(Context ctx) {
        String org = ctx.attribute(ORG_ATTRIBUTE);
        if (org == null) {
            throw new IllegalStateException("route " + ctx.path() + " reached without authentication");
        }
        return org;
    }

    private static String configId(Context ctx) {
        return ctx.pathParam("configId");
    }

    private static WriteIntent intent(Context ctx) {
        return booleanParam(ctx.header(MODIFY_PROTECTED_HEADER), MODIFY_PROTECTED_HEADER + " header")
                ? WriteIntent.MODIFY_PROTECTED
                : WriteIntent.DEFAULT;
    }

    private static boolean booleanParam(Context ctx, String name) {
        return booleanParam(ctx.queryParam(name), "Query parameter " + name);
    }

    private static boolean booleanParam(String value, String what) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiError.badRequest(what + ": must be true or false");
    }

    /**
     * An integer query parameter, {@code null} when absent. Only ASCII digits with an optional minus
     * are an integer ({@link Integer#parseInt} would take other scripts' digits and a plus); the
     * engine says which integers it takes.
     */
    private static Integer intParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        if (!value.matches("-?[0-9]{1,10}")) {
            throw ApiError.badRequest("Query parameter " + name + ": must be an integer");
        }
        long parsed = Long.parseLong(value);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
            throw ApiError.badRequest("Query parameter " + name + ": must be an integer from " + Integer.MIN_VALUE
                    + " to " + Integer.MAX_VALUE);
        }
        return (int) parsed;
    }

    /** An ISO 8601 date-time query parameter with a zone designator, {@code null} when absent. */
    private static Instant instantParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Timestamps.parse(value);
        } catch (DateTimeException notAnInstant) {
            throw ApiError.badRequest("Query parameter " + name
                    + ": must be an ISO 8601 date-time with a zone, such as " + "2026-01-31T09:00:00Z");
        }
    }

    /** An ISO 8601 duration query parameter ({@code PT1H}, {@code P1D}), {@code null} when absent. */
    private static Duration durationParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeException | ArithmeticException notADuration) {
            throw ApiError.badRequest(
                    "Query parameter " + name + ": must be an ISO 8601 duration, such as PT1H or PT5M");
        }
    }

    private <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (json.mapper().convertValue(constant, String.class).equals(value)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(json.mapper().convertValue(constant, String.class));
        }
        throw ApiError.badRequest("Query parameter " + name + ": must be one of " + allowed);
    }

    private <T> T body(Context ctx, Class<T> type) {
        return json.read(requireBody(ctx), type);
    }

    private <T> Optional<T> optionalBody(Context ctx, Class<T> type) {
        byte[] bytes = readBody(ctx);
        return bytes.length == 0 ? Optional.empty() : Optional.of(json.read(bytes, type));
    }

    private byte[] requireBody(Context ctx) {
        byte[] bytes = readBody(ctx);
        if (bytes.length == 0) {
            throw ApiError.badRequest("A JSON request body is required");
        }
        return bytes;
    }

    /**
     * The body, at most {@code maxBodyBytes}: a declared length over the limit is refused before
     * reading, and a chunked body is read only up to one byte past it.
     */
    private byte[] readBody(Context ctx) {
        String type = ctx.contentType();
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = declared >= 0 ? readDeclared(in, (int) declared) : in.readNBytes(maxBodyBytes + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("The request body could not be read");
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
        }
        if (bytes.length > 0 && type != null && !type.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw new ApiError(415, "Content-Type must be application/json");
        }
        return bytes;
    }

    /**
     * A body of declared length, read straight into an array of that size. HTTP's framing ends the
     * body there, so this reads what {@code readNBytes(maxBodyBytes + 1)} would, without its 8 KiB
     * scratch buffer and final copy: on every publish those were a sixth of the bytes the request
     * threads allocated. A body that ends early is returned as far as it came, as before.
     */
    private static byte[] readDeclared(InputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        int read = in.readNBytes(bytes, 0, length);
        return read == length ? bytes : Arrays.copyOf(bytes, read);
    }

    private ApiError tooLarge() {
        return new ApiError(413, "The request body is larger than " + maxBodyBytes + " bytes");
    }

    private List<WebhookEvent> forSpec(List<WebhookEvent> events) {
        return events == null ? null : events.stream().map(this::forSpec).toList();
    }

    /**
     * The spec's {@code WebhookEvent.http_method} lists only GET, POST and PUT, while a config may use
     * any method of {@code HttpMethod}. An event of such a config leaves the field out (it is optional)
     * rather than break a client generated from the spec; the config still says its method.
     */
    private WebhookEvent forSpec(WebhookEvent event) {
        if (event.httpMethod() == null || EVENT_METHODS_IN_SPEC.contains(event.httpMethod())) {
            return event;
        }
        return event.toBuilder().httpMethod(null).build();
    }

    private void ok(Context ctx, Object value) {
        respond(ctx, 200, value);
    }

    private void respond(Context ctx, int status, Object value) {
        ctx.status(status).contentType(JSON).result(json.write(value));
    }

    private void error(Context ctx, int status, String message) {
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        respond(ctx, status, new ErrorResp(message));
    }
}
