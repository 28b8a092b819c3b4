package dev.hookengine.server;

import dev.hookengine.WebhookEngine;
import dev.hookengine.server.internal.ApiJson;
import dev.hookengine.server.internal.ApiRoutes;
import dev.hookengine.server.internal.JsonErrorPages;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The webhooks API of {@code spec/webhooks.openapi.json} over HTTP, on Javalin 7 (Jetty 12): a thin
 * binding of a {@link WebhookEngine}, plus the extensions described in {@link #OPENAPI_RESOURCE}.
 *
 * <pre>{@code
 * WebhookServer server = WebhookServer.builder(engine)
 *     .authenticator(Authenticator.ofTokens(Map.of("s3cret-token", "org-a")))
 *     .port(8080)
 *     .build()
 *     .start();
 * // ... server.close(); then engine.close()
 * }</pre>
 *
 * <p>Every route but the public key, {@code /health}, {@code /metrics} and {@code /openapi.json}
 * needs {@code Authorization: Bearer <token>}; the {@link Authenticator} maps the token to the
 * organization the request acts for, and the request sees only that organization's data (another
 * organization's ids answer 404). Every error body the server sends is the spec's {@code ErrorResp},
 * {@code {"message": ...}} as {@code application/json}: the routes' own, and those the web server
 * answers before a route sees the request ({@link JsonErrorPages}). A path the API has, called with a
 * method it does not have, is a 405 with {@code Allow}; a path it does not have is a 404.
 *
 * <p>The server does not own the engine: {@link #close()} stops the HTTP server only. It installs no
 * shutdown hook and holds no static state; the standalone {@link StandaloneServer} does the wiring.
 */
public final class WebhookServer implements AutoCloseable {

    /** The classpath resource of the server's own OpenAPI document: the spec's paths unchanged, plus the extensions. */
    public static final String OPENAPI_RESOURCE = "/dev/hookengine/server/hookengine.openapi.json";

    private final Builder settings;
    private final Javalin app;

    private WebhookServer(Builder settings) {
        this.settings = settings;
        ApiJson json = new ApiJson();
        JsonErrorPages errorPages = new JsonErrorPages(json);
        ApiRoutes routes = new ApiRoutes(
                settings.engine,
                settings.authenticator,
                json,
                settings.maxBodyBytes,
                settings.prometheus,
                openApiDocument());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host;
            config.jetty.port = settings.port;
            // Our own bounded reading enforces the limit; Javalin's must not be the lower one.
            config.http.maxRequestSize = settings.maxBodyBytes + 1L;
            // A known path called with a method it does not have is a 405 with Allow (ApiRoutes), not a 404.
            config.http.prefer405over404 = true;
            // Errors Jetty answers itself (bad request line, 414, 431, ...) are ErrorResp JSON too.
            config.jetty.modifyServer(errorPages::install);
            config.jetty.modifyServletContextHandler(errorPages::install);
            config.router.handlerWrapper(ApiRoutes.errorsAsFailures());
            routes.register(config.routes);
        });
    }

    /** A builder for a server binding {@code engine}. */
    public static Builder builder(WebhookEngine engine) {
        return new Builder(engine);
    }

    /**
     * Starts listening. Returns once the port is bound and every route answers.
     *
     * @return this server
     * @throws IllegalStateException when the port cannot be bound
     */
    public WebhookServer start() {
        app.start();
        return this;
    }

    /** The port listened on; with {@code port(0)}, the one chosen at start. */
    public int port() {
        return app.port();
    }

    /** The host the server is bound to. */
    public String host() {
        return settings.host;
    }

    /** Stops listening and ends open exchanges. The engine stays as it is. Idempotent. */
    @Override
    public void close() {
        app.stop();
    }

    /** The server's own OpenAPI document ({@link #OPENAPI_RESOURCE}), as served at {@code /openapi.json}. */
    public static byte[] openApiDocument() {
        try (InputStream in = WebhookServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings of a {@link WebhookServer}; only the authenticator is required besides the engine. */
    public static final class Builder {

        /** Listens on every interface, as a sidecar must. */
        public static final String DEFAULT_HOST = "0.0.0.0";
        /** The port of the standalone server. */
        public static final int DEFAULT_PORT = 8080;
        /**
         * The largest request body: 1 MiB. A webhook config with ten conditions and a long JSONata
         * expression is a few KiB; a trigger payload is the embedder's event, which should be small.
         */
        public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

        private final WebhookEngine engine;
        private Authenticator authenticator;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private PrometheusMeterRegistry prometheus;

        private Builder(WebhookEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** Maps bearer tokens to organizations. Required. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** The interface to bind; default {@value #DEFAULT_HOST}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port, 0 to 65535 (0 picks a free one, see {@link WebhookServer#port()}); default {@value #DEFAULT_PORT}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The largest request body in bytes, at least 1; larger ones answer 413. Default 1 MiB. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * Serves {@code GET /metrics} in the Prometheus text format from this registry (give the same
         * registry to the engine's {@code meterRegistry}). Without it there is no {@code /metrics}.
         */
        public Builder prometheus(PrometheusMeterRegistry prometheus) {
            this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
            return this;
        }

        /**
         * Validates the settings and builds the server, not yet listening.
         *
         * @throws IllegalStateException    without an authenticator
         * @throws IllegalArgumentException when the port or the body limit is out of range
         */
        public WebhookServer build() {
            if (authenticator == null) {
                throw new IllegalStateException(
                        "a WebhookServer needs an authenticator: builder(engine).authenticator(...)");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
            }
            return new WebhookServer(this);
        }
    }
}
