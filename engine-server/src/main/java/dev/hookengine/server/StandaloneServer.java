package dev.hookengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.HttpEntityHydrator;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.server.ServerOptions.Database;
import dev.hookengine.server.ServerOptions.UsageException;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.jdbc.JdbcWebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: {@code java -jar engine-server.jar}. Wires a store (embedded H2 by default,
 * in memory, or PostgreSQL; the JDBC store on its own HikariCP pool), the Jetty transport, a
 * Prometheus registry and the engine with its workers behind a {@link WebhookServer}, and takes it
 * all down again in reverse.
 *
 * <p>{@link #main} is the only place that installs a shutdown hook (Ctrl-C drains in-flight
 * deliveries, then exits); {@link #start} is for tests and embedders that want the same wiring
 * in-process, and leaves stopping to {@link #close()}.
 */
public final class StandaloneServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneServer.class);
    /** The key file the embedded default keeps beside its database, readable by its owner only. */
    static final String KEY_FILE = "master.key";

    private static final String BUILT_IN_CATALOG = "/dev/hookengine/server/built-in-catalog.json";

    private final List<AutoCloseable> resources;
    private final WebhookEngine engine;
    private final WebhookServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StandaloneServer(List<AutoCloseable> resources, WebhookEngine engine, WebhookServer server) {
        this.resources = resources;
        this.engine = engine;
        this.server = server;
    }

    /**
     * Starts the server from the command line and the process environment; exits 2 on a bad
     * command line, 1 when the server cannot start.
     */
    public static void main(String[] args) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args, System.getenv());
        } catch (UsageException e) {
            System.err.println("hookengine: " + e.getMessage());
            System.err.println(ServerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(ServerOptions.USAGE);
            return;
        }
        StandaloneServer running;
        try {
            running = start(options, UnaryOperator.identity(), System.out);
        } catch (RuntimeException e) {
            LOG.error("hookengine cannot start: {}", e.getMessage(), e);
            System.err.println("hookengine: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "hookengine-shutdown"));
    }

    /**
     * Starts everything {@code options} describe and returns once {@code GET /health} answers 200.
     *
     * @param tuning  applied to the engine builder last; tests pass a clock here
     * @param console where a generated API token is printed (it is not logged)
     * @throws IllegalStateException when something cannot start; what did start is stopped again
     */
    public static StandaloneServer start(
            ServerOptions options, UnaryOperator<WebhookEngineBuilder> tuning, PrintStream console) {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.add(registry::close);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            WebhookStore store = store(options, resources);
            JettyHttpTransport transport = JettyHttpTransport.builder()
                    .allowPrivateTargets(options.allowPrivateTargets())
                    .build();
            resources.add(transport);
            WebhookEngineBuilder builder = options.proxies().applyTo(WebhookEngine.builder());
            if (options.hydration() != null) {
                builder.entityHydrator(hydrator(options.hydration(), transport));
            }
            WebhookEngine engine = tuning.apply(builder.store(store)
                            .transport(transport)
                            .meterRegistry(registry)
                            .eventCatalog(catalog(options.catalog())))
                    .build();
            resources.add(engine);
            engine.start();
            Map<String, String> tokens = options.apiTokens();
            if (tokens == null) {
                String token = generateToken();
                tokens = Map.of(token, ServerOptions.DEFAULT_ORG);
                console.println("No HOOKENGINE_API_TOKENS set: generated an API token for organization '"
                        + ServerOptions.DEFAULT_ORG + "' (valid until the server stops): " + token);
            }
            WebhookServer server = WebhookServer.builder(engine)
                    .authenticator(Authenticator.ofTokens(tokens))
                    .host(options.host())
                    .port(options.port())
                    .prometheus(registry)
                    .build()
                    .start();
            resources.add(server);
            LOG.info("hookengine server ready on http://{}:{} ({})", options.host(), server.port(), options);
            return new StandaloneServer(resources, engine, server);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * The entity service's hydrator, sending through the deliveries' transport: the same SSRF guard
     * ({@code HOOKENGINE_ALLOW_PRIVATE_TARGETS} lets it reach a service on a private address too).
     *
     * @throws IllegalStateException naming the variable whose template is not valid
     */
    private static HttpEntityHydrator hydrator(ServerOptions.Hydration hydration, JettyHttpTransport transport) {
        HttpEntityHydrator.Builder builder = HttpEntityHydrator.builder(transport)
                .entityUrl(hydration.entityUrl())
                .relationsUrl(hydration.relationsUrl());
        if (hydration.authHeaderName() != null) {
            builder.authHeader(hydration.authHeaderName(), hydration.authHeaderValue());
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("HOOKENGINE_HYDRATION_*: " + e.getMessage(), e);
        }
    }

    /** The port listened on. */
    public int port() {
        return server.port();
    }

    /** The engine behind the server; for tests that drive delivery themselves. */
    public WebhookEngine engine() {
        return engine;
    }

    /**
     * Stops taking requests, lets deliveries in flight finish, then closes the transport, the
     * database pool and the registry. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LOG.info("hookengine server stopping: draining deliveries in flight");
            closeAll(resources);
            LOG.info("hookengine server stopped");
        }
    }

    /** In reverse order of starting; one failure does not keep the rest open. */
    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resources.get(i), e);
            }
        }
    }

    private static WebhookStore store(ServerOptions options, List<AutoCloseable> resources) {
        Database database = options.database();
        if (database instanceof Database.Memory) {
            return new InMemoryWebhookStore();
        }
        String url;
        String user = null;
        String password = null;
        String key;
        boolean soleProcess = false;
        if (database instanceof Database.H2 h2) {
            Path directory = h2.directory().toAbsolutePath();
            createDirectories(directory);
            // H2 must not close itself from its own shutdown hook while ours still drains deliveries.
            url = "jdbc:h2:file:" + directory.resolve("hookengine") + ";DB_CLOSE_ON_EXIT=FALSE";
            key = options.masterKey() != null ? options.masterKey().reveal() : keyFile(directory);
            // H2 locks its file to this process: a lease found at start is a killed process's.
            soleProcess = true;
        } else {
            Database.Jdbc jdbc = (Database.Jdbc) database;
            url = jdbc.url();
            user = options.databaseUser();
            password = options.databasePassword() == null
                    ? null
                    : options.databasePassword().reveal();
            key = options.masterKey().reveal();
        }
        // The store makes its HikariCP pool and closes it with itself.
        JdbcWebhookStore store = JdbcWebhookStore.builder(url, user, password)
                .keyCipher(AesGcmKeyCipher.ofBase64(key))
                .soleProcess(soleProcess)
                .build();
        resources.add(store);
        return store;
    }

    /**
     * The embedded default's master key: read from {@value #KEY_FILE} in the data directory, or made
     * there on first start, created owner-only (where the file system has POSIX permissions) so that
     * it is never readable by anyone else, not even for a moment.
     */
    static String keyFile(Path directory) {
        Path file = directory.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                String key = AesGcmKeyCipher.generateBase64Key(new SecureRandom());
                try {
                    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                        Files.createFile(
                                file,
                                PosixFilePermissions.asFileAttribute(
                                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                    } else {
                        Files.createFile(file);
                    }
                    Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
                    LOG.info(
                            "generated a master key in {}: back it up, the stored secrets cannot be read without it",
                            file);
                    return key;
                } catch (FileAlreadyExistsException raced) {
                    // Another process made it first: use theirs.
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + file, e);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory, e);
        }
    }

    private static String generateToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The catalog file ({@code [{eventName, eventLabel, example}]}), or the built-in one. */
    static List<CatalogEvent> catalog(Path file) {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode root;
        String source = file == null ? "the built-in catalog" : file.toString();
        try (InputStream in = file == null
                ? StandaloneServer.class.getResourceAsStream(BUILT_IN_CATALOG)
                : Files.newInputStream(file)) {
            root = mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the event catalog " + source + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalStateException("the event catalog " + source + " must be a JSON array");
        }
        List<CatalogEvent> events = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            JsonNode name = entry.get("eventName");
            JsonNode label = entry.get("eventLabel");
            JsonNode example = entry.get("example");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new IllegalStateException(
                        "the event catalog " + source + ": [" + i + "].eventName must be a non-blank string");
            }
            if (label != null && !label.isTextual() && !label.isNull()) {
                throw new IllegalStateException(
                        "the event catalog " + source + ": [" + i + "].eventLabel must be a string");
            }
            if (example != null && !example.isObject() && !example.isNull()) {
                throw new IllegalStateException(
                        "the event catalog " + source + ": [" + i + "].example must be an object");
            }
            events.add(new CatalogEvent(
                    name.asText(),
                    label == null || label.isNull() ? null : label.asText(),
                    example instanceof ObjectNode object ? object : null));
        }
        return events;
    }
}
