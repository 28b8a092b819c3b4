package dev.hookengine.spring.boot.autoconfigure;

import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.store.jdbc.JdbcWebhookStoreBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code hookengine.*} settings of the auto-configured engine, each with the engine's own default.
 *
 * <p>A class with setters rather than a record so that each value is checked where it is bound: a bad
 * value fails start-up with a message that names the property ({@code hookengine.delivery-threads must
 * be at least 1, was 0}), and Spring Boot's report names it too. The master key is never part of any
 * message or {@code toString}.
 */
@ConfigurationProperties(prefix = "hookengine")
public class HookengineProperties {

    /** Where the engine keeps configs, events and its queue. */
    public enum StoreKind {
        /** The JDBC store on the application's DataSource (PostgreSQL or H2). */
        JDBC,
        /** The in-memory store: nothing survives a restart; for tests and demos. */
        MEMORY
    }

    /** Where the engine keeps its data: jdbc (the application's DataSource) or memory. */
    private StoreKind store = StoreKind.JDBC;

    /**
     * Base64 of the 32-byte AES key that seals secrets at rest in the JDBC store. Required with the JDBC
     * store. A secret: never logged.
     */
    private String masterKey;

    /** Whether this node delivers (starts the delivery workers); false makes a producer-only node. */
    private boolean deliver = true;

    /** Threads that make delivery attempts in parallel. */
    private int deliveryThreads = WebhookEngineBuilder.DEFAULT_DELIVERY_THREADS;

    /** Jobs claimed at once by one delivery round. */
    private int deliveryBatchSize = WebhookEngineBuilder.DEFAULT_DELIVERY_BATCH_SIZE;

    /** How often the delivery workers look for due jobs. */
    private Duration pollInterval = WebhookEngineBuilder.DEFAULT_POLL_INTERVAL;

    /** Hard deadline of one delivery attempt: connect, send and read the response. */
    private Duration attemptDeadline = WebhookEngineBuilder.DEFAULT_ATTEMPT_DEADLINE;

    /** How long ended events are kept before the hourly purge deletes them. */
    private Duration eventRetention = WebhookEngineBuilder.DEFAULT_EVENT_RETENTION;

    /** How long a publish's idempotency key returns the first publish's result. */
    private Duration idempotencyWindow = WebhookEngineBuilder.DEFAULT_IDEMPOTENCY_WINDOW;

    /** Longest time a config change made by another node on the same store goes unseen by publish. */
    private Duration configRefreshInterval = WebhookEngineBuilder.DEFAULT_CONFIG_REFRESH_INTERVAL;

    /** The issuer that the public-key operation reports. */
    private String signingKeyIssuer = WebhookEngineBuilder.DEFAULT_SIGNING_KEY_ISSUER;

    /** How long a rotated-out signing key or secret keeps signing beside the new one. */
    private Duration signingRotationGrace = WebhookEngineBuilder.DEFAULT_SIGNING_ROTATION_GRACE;

    private final AutoDisable autoDisable = new AutoDisable();
    private final CircuitBreaker circuitBreaker = new CircuitBreaker();
    private final Jdbc jdbc = new Jdbc();
    private final Http http = new Http();
    private final Server server = new Server();

    public StoreKind getStore() {
        return store;
    }

    public void setStore(StoreKind store) {
        this.store = Objects.requireNonNull(store, "hookengine.store");
    }

    public String getMasterKey() {
        return masterKey;
    }

    public void setMasterKey(String masterKey) {
        this.masterKey = masterKey;
    }

    public boolean isDeliver() {
        return deliver;
    }

    public void setDeliver(boolean deliver) {
        this.deliver = deliver;
    }

    public int getDeliveryThreads() {
        return deliveryThreads;
    }

    public void setDeliveryThreads(int deliveryThreads) {
        this.deliveryThreads = atLeastOne("hookengine.delivery-threads", deliveryThreads);
    }

    public int getDeliveryBatchSize() {
        return deliveryBatchSize;
    }

    public void setDeliveryBatchSize(int deliveryBatchSize) {
        this.deliveryBatchSize = atLeastOne("hookengine.delivery-batch-size", deliveryBatchSize);
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = positive("hookengine.poll-interval", pollInterval);
    }

    public Duration getAttemptDeadline() {
        return attemptDeadline;
    }

    public void setAttemptDeadline(Duration attemptDeadline) {
        this.attemptDeadline = positive("hookengine.attempt-deadline", attemptDeadline);
    }

    public Duration getEventRetention() {
        return eventRetention;
    }

    public void setEventRetention(Duration eventRetention) {
        this.eventRetention = positive("hookengine.event-retention", eventRetention);
    }

    public Duration getIdempotencyWindow() {
        return idempotencyWindow;
    }

    public void setIdempotencyWindow(Duration idempotencyWindow) {
        this.idempotencyWindow = positive("hookengine.idempotency-window", idempotencyWindow);
    }

    public Duration getConfigRefreshInterval() {
        return configRefreshInterval;
    }

    public void setConfigRefreshInterval(Duration configRefreshInterval) {
        this.configRefreshInterval = notNegative("hookengine.config-refresh-interval", configRefreshInterval);
    }

    public String getSigningKeyIssuer() {
        return signingKeyIssuer;
    }

    public void setSigningKeyIssuer(String signingKeyIssuer) {
        if (signingKeyIssuer == null || signingKeyIssuer.isBlank()) {
            throw new IllegalArgumentException("hookengine.signing-key-issuer must not be blank");
        }
        this.signingKeyIssuer = signingKeyIssuer;
    }

    public Duration getSigningRotationGrace() {
        return signingRotationGrace;
    }

    public void setSigningRotationGrace(Duration signingRotationGrace) {
        this.signingRotationGrace = notNegative("hookengine.signing-rotation-grace", signingRotationGrace);
    }

    public AutoDisable getAutoDisable() {
        return autoDisable;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Http getHttp() {
        return http;
    }

    public Server getServer() {
        return server;
    }

    /** Auto-disable: a config whose deliveries have all failed for a period is disabled. */
    public static class AutoDisable {

        /** How long a config's deliveries must all have failed before it is disabled; 0 turns auto-disable off. */
        private Duration period = WebhookEngineBuilder.DEFAULT_AUTO_DISABLE_PERIOD;

        /** Failed attempts a config needs within the period, at least, before it is disabled. */
        private int minAttempts = WebhookEngineBuilder.DEFAULT_AUTO_DISABLE_MIN_ATTEMPTS;

        public Duration getPeriod() {
            return period;
        }

        public void setPeriod(Duration period) {
            this.period = notNegative("hookengine.auto-disable.period", period);
        }

        public int getMinAttempts() {
            return minAttempts;
        }

        public void setMinAttempts(int minAttempts) {
            this.minAttempts = atLeastOne("hookengine.auto-disable.min-attempts", minAttempts);
        }
    }

    /** The circuit breaker per destination. */
    public static class CircuitBreaker {

        /** Consecutive retryable failures that open a destination's circuit breaker. */
        private int failureThreshold = WebhookEngineBuilder.DEFAULT_BREAKER_FAILURE_THRESHOLD;

        /** How long an open breaker makes its destination's jobs wait before a trial attempt. */
        private Duration delay = WebhookEngineBuilder.DEFAULT_BREAKER_DELAY;

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = atLeastOne("hookengine.circuit-breaker.failure-threshold", failureThreshold);
        }

        public Duration getDelay() {
            return delay;
        }

        public void setDelay(Duration delay) {
            this.delay = positive("hookengine.circuit-breaker.delay", delay);
        }
    }

    /** The JDBC store on the application's DataSource. */
    public static class Jdbc {

        /**
         * Prefix of every table, index and sequence of the store: a letter or underscore, then letters,
         * digits or underscores, at most 31 characters.
         */
        private String tablePrefix = JdbcWebhookStoreBuilder.DEFAULT_TABLE_PREFIX;

        /**
         * Whether the store applies its schema at start-up. Ignored when the application uses Flyway:
         * the schema is then applied by a Flyway of its own (see the README's "Spring Boot" section).
         */
        private boolean migrate = JdbcWebhookStoreBuilder.DEFAULT_MIGRATE;

        /**
         * Whether the store's schema runs as Flyway migrations (history table
         * <table-prefix>schema_history) when Flyway is on the class path and the application has a
         * Flyway bean.
         */
        private boolean flyway = true;

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            if (tablePrefix == null || !tablePrefix.matches("[A-Za-z_][A-Za-z0-9_]{0,30}")) {
                throw new IllegalArgumentException("hookengine.jdbc.table-prefix must be a letter or underscore "
                        + "followed by letters, digits or underscores, at most 31 characters: '" + tablePrefix + "'");
            }
            this.tablePrefix = tablePrefix;
        }

        public boolean isMigrate() {
            return migrate;
        }

        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }

        public boolean isFlyway() {
            return flyway;
        }

        public void setFlyway(boolean flyway) {
            this.flyway = flyway;
        }
    }

    /** The Jetty transport that sends the deliveries. */
    public static class Http {

        /**
         * Whether deliveries may go to loopback, private, link-local and other internal addresses (the
         * SSRF guard off). Leave false in production.
         */
        private boolean allowPrivateTargets;

        /** CIDR blocks allowed despite the SSRF guard, such as 127.0.0.1/32 for a receiver on this host. */
        private List<String> allowAddresses = new ArrayList<>();

        public boolean isAllowPrivateTargets() {
            return allowPrivateTargets;
        }

        public void setAllowPrivateTargets(boolean allowPrivateTargets) {
            this.allowPrivateTargets = allowPrivateTargets;
        }

        public List<String> getAllowAddresses() {
            return allowAddresses;
        }

        public void setAllowAddresses(List<String> allowAddresses) {
            this.allowAddresses = List.copyOf(allowAddresses);
        }
    }

    /** The REST API of engine-server, served beside the application (engine-server on the class path). */
    public static class Server {

        /**
         * Whether to serve the webhooks REST API; needs engine-server on the class path and an
         * Authenticator bean that maps bearer tokens to organizations.
         */
        private boolean enabled;

        /** The interface the REST API listens on. */
        private String host = "0.0.0.0";

        /** The port of the REST API; 0 picks a free one. */
        private int port = 8081;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("hookengine.server.host must not be blank");
            }
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("hookengine.server.port must be 0 to 65535, was " + port);
            }
            this.port = port;
        }
    }

    private static int atLeastOne(String property, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + value);
        }
        return value;
    }

    private static Duration notNegative(String property, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(property + " must not be negative, was " + value);
        }
        return value;
    }
}
