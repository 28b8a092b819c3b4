package dev.hookengine;

import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.spi.AttachmentSource;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.spi.EventCatalog;
import dev.hookengine.spi.EventSink;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.transform.ExpressionLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link WebhookEngine} ({@link WebhookEngine#builder()}): every setting with its default,
 * checked and frozen into an {@link EngineConfig} by {@link #build()}. Only the store is required.
 */
public final class WebhookEngineBuilder {

    // The start-up line keeps the engine's logger name, which operators already filter on.
    private static final Logger LOG = LoggerFactory.getLogger(WebhookEngine.class);

    /** Random bytes in a config's signing secret: 256 bits. */
    public static final int DEFAULT_SIGNING_SECRET_BYTES = 32;
    /** Longest time a config change made by another node on the same store goes unseen by publish. */
    public static final Duration DEFAULT_CONFIG_REFRESH_INTERVAL = Duration.ofSeconds(5);
    /** Bounds of every JSONata evaluation (conditions and transforms). */
    public static final ExpressionLimits DEFAULT_EXPRESSION_LIMITS = ExpressionLimits.DEFAULT;
    /** How long a rotated-out key or secret keeps signing beside the new one. */
    public static final Duration DEFAULT_SIGNING_ROTATION_GRACE = Duration.ofHours(24);
    /** The {@code issuer} that {@code getPublicKey} reports. */
    public static final String DEFAULT_SIGNING_KEY_ISSUER = "hookengine";
    /** Hard deadline of one attempt: connect, send, and read the response. */
    public static final Duration DEFAULT_ATTEMPT_DEADLINE = Duration.ofSeconds(15);
    /** Jobs claimed at once by one delivery round. */
    public static final int DEFAULT_DELIVERY_BATCH_SIZE = 64;
    /** Threads that make attempts in parallel. */
    public static final int DEFAULT_DELIVERY_THREADS = 16;
    /** How often the workers look for due jobs. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
    /** How long ended events are kept. */
    public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(28);
    /** How long a publish's idempotency key returns the first publish's result. */
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /**
     * How long every delivery of a config must have failed before the engine disables it: 5 days, as
     * Svix does; long enough to outlast a receiver's weekend outage and the retries of its events.
     */
    public static final Duration DEFAULT_AUTO_DISABLE_PERIOD = Duration.ofDays(5);
    /**
     * The failed attempts a config needs to be disabled: 10, more than two events' worth with the
     * default retry policy (4 attempts each), so that one event failing over a quiet week does not
     * disable a config that is seldom used.
     */
    public static final int DEFAULT_AUTO_DISABLE_MIN_ATTEMPTS = 10;
    /**
     * The most bytes of one attachment a file delivery sends: 10 MiB. A {@code json_base64} body holds
     * its files in memory (base64, a third larger), so the cap bounds what one delivery thread holds.
     */
    public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 10L * 1024 * 1024;
    /** How long opening and reading one attachment may take: as long as one attempt's exchange. */
    public static final Duration DEFAULT_ATTACHMENT_DEADLINE = DEFAULT_ATTEMPT_DEADLINE;
    /** Consecutive retryable failures that open a destination's circuit breaker. */
    public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 5;
    /** How long an open breaker makes its destination's jobs wait before a trial attempt. */
    public static final Duration DEFAULT_BREAKER_DELAY = Duration.ofSeconds(30);

    private WebhookStore store;
    private Clock clock = Clock.systemUTC();
    private EventCatalog eventCatalog = EventCatalog.EMPTY;
    private EntityHydrator entityHydrator = EntityHydrator.PASS_THROUGH;
    private ExpressionLimits expressionLimits = DEFAULT_EXPRESSION_LIMITS;
    private Duration configRefreshInterval = DEFAULT_CONFIG_REFRESH_INTERVAL;
    private int signingSecretBytes = DEFAULT_SIGNING_SECRET_BYTES;
    private Duration signingRotationGrace = DEFAULT_SIGNING_ROTATION_GRACE;
    private String signingKeyIssuer = DEFAULT_SIGNING_KEY_ISSUER;
    private HttpTransport transport;
    private RetrySchedule retrySchedule = RetrySchedule.standard();
    private SecureProxyRouter secureProxyRouter = SecureProxyRouter.NONE;
    private ProxyAddress staticIpProxy;
    private Duration attemptDeadline = DEFAULT_ATTEMPT_DEADLINE;
    private int deliveryBatchSize = DEFAULT_DELIVERY_BATCH_SIZE;
    private int deliveryThreads = DEFAULT_DELIVERY_THREADS;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration eventRetention = DEFAULT_EVENT_RETENTION;
    private int breakerFailureThreshold = DEFAULT_BREAKER_FAILURE_THRESHOLD;
    private Duration breakerDelay = DEFAULT_BREAKER_DELAY;
    private MeterRegistry meterRegistry = new CompositeMeterRegistry();
    private Duration idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW;
    private Duration autoDisablePeriod = DEFAULT_AUTO_DISABLE_PERIOD;
    private int autoDisableMinAttempts = DEFAULT_AUTO_DISABLE_MIN_ATTEMPTS;
    private AttachmentSource attachmentSource;
    private long maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;
    private Duration attachmentDeadline = DEFAULT_ATTACHMENT_DEADLINE;
    private Supplier<Optional<EventSink>> ambientSink = Optional::empty;

    WebhookEngineBuilder() {}

    /** Where configs, events, the queue, keys and variables live. Required. */
    public WebhookEngineBuilder store(WebhookStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /** The time source; default {@link Clock#systemUTC()}. Tests pass a controllable clock. */
    public WebhookEngineBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The events configs can subscribe to; default none. */
    public WebhookEngineBuilder eventCatalog(EventCatalog eventCatalog) {
        this.eventCatalog = Objects.requireNonNull(eventCatalog, "eventCatalog");
        return this;
    }

    /** Convenience for a fixed catalog. */
    public WebhookEngineBuilder eventCatalog(List<CatalogEvent> events) {
        return eventCatalog(EventCatalog.of(events));
    }

    /** Provides full entities and relations for configs that ask for them; default {@link EntityHydrator#PASS_THROUGH}. */
    public WebhookEngineBuilder entityHydrator(EntityHydrator entityHydrator) {
        this.entityHydrator = Objects.requireNonNull(entityHydrator, "entityHydrator");
        return this;
    }

    /** Bounds of every JSONata evaluation; default {@link #DEFAULT_EXPRESSION_LIMITS}. */
    public WebhookEngineBuilder expressionLimits(ExpressionLimits expressionLimits) {
        this.expressionLimits = Objects.requireNonNull(expressionLimits, "expressionLimits");
        return this;
    }

    /**
     * How old the in-memory config index of an organization may get, by the engine's {@link #clock},
     * before a read reloads it from the store; default {@link #DEFAULT_CONFIG_REFRESH_INTERVAL}. A change made by another node is
     * seen within about this interval plus one reload (the other readers keep the current configs
     * while one reloads them). Changes made through this engine are seen at once. Zero reloads on
     * every read.
     */
    public WebhookEngineBuilder configRefreshInterval(Duration configRefreshInterval) {
        this.configRefreshInterval = Objects.requireNonNull(configRefreshInterval, "configRefreshInterval");
        return this;
    }

    /**
     * Random bytes in each new signing secret, {@value SigningSecrets#MIN_BYTES} to
     * {@value SigningSecrets#MAX_BYTES}; default {@value #DEFAULT_SIGNING_SECRET_BYTES}.
     */
    public WebhookEngineBuilder signingSecretBytes(int signingSecretBytes) {
        this.signingSecretBytes = signingSecretBytes;
        return this;
    }

    /** How long a rotated-out key or secret keeps signing; default {@link #DEFAULT_SIGNING_ROTATION_GRACE}. */
    public WebhookEngineBuilder signingRotationGrace(Duration signingRotationGrace) {
        this.signingRotationGrace = Objects.requireNonNull(signingRotationGrace, "signingRotationGrace");
        return this;
    }

    /** The {@code issuer} that {@code getPublicKey} reports; default {@link #DEFAULT_SIGNING_KEY_ISSUER}. */
    public WebhookEngineBuilder signingKeyIssuer(String signingKeyIssuer) {
        this.signingKeyIssuer = Objects.requireNonNull(signingKeyIssuer, "signingKeyIssuer");
        return this;
    }

    /**
     * Sends deliveries and OAuth token requests ({@code engine-http}'s {@code JettyHttpTransport}).
     * Required for {@link WebhookEngine#start()}, synchronous triggers and OAuth tests; an engine
     * that only publishes needs none. The caller owns it and closes it after the engine.
     */
    public WebhookEngineBuilder transport(HttpTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    /** When to retry; default {@link RetrySchedule#standard()}. */
    public WebhookEngineBuilder retrySchedule(RetrySchedule retrySchedule) {
        this.retrySchedule = Objects.requireNonNull(retrySchedule, "retrySchedule");
        return this;
    }

    /**
     * Routes {@code secureProxy} configs; default {@link SecureProxyRouter#NONE}. A config asking for a
     * route this router does not have ({@link SecureProxyRouter#hasRoute}) is refused when saved.
     */
    public WebhookEngineBuilder secureProxyRouter(SecureProxyRouter secureProxyRouter) {
        this.secureProxyRouter = Objects.requireNonNull(secureProxyRouter, "secureProxyRouter");
        return this;
    }

    /**
     * The egress proxy with the static IP that {@code enableStaticIP} configs go through; default none,
     * and then such configs are refused when saved.
     */
    public WebhookEngineBuilder staticIpProxy(ProxyAddress staticIpProxy) {
        this.staticIpProxy = Objects.requireNonNull(staticIpProxy, "staticIpProxy");
        return this;
    }

    /**
     * Hard deadline of one exchange with a receiver; default {@link #DEFAULT_ATTEMPT_DEADLINE}. It
     * also sets how long a claim holds a job, {@code 2 × (attemptDeadline + 2 s)} (34 s by
     * default), which bounds how long a dead node's jobs wait before another node takes them.
     */
    public WebhookEngineBuilder attemptDeadline(Duration attemptDeadline) {
        this.attemptDeadline = Objects.requireNonNull(attemptDeadline, "attemptDeadline");
        return this;
    }

    /**
     * Jobs claimed at once, at most {@link #deliveryThreads} (more would wait for a thread while
     * their lease runs); default {@value #DEFAULT_DELIVERY_BATCH_SIZE}.
     */
    public WebhookEngineBuilder deliveryBatchSize(int deliveryBatchSize) {
        this.deliveryBatchSize = deliveryBatchSize;
        return this;
    }

    /** Threads making attempts in parallel; default {@value #DEFAULT_DELIVERY_THREADS}. */
    public WebhookEngineBuilder deliveryThreads(int deliveryThreads) {
        this.deliveryThreads = deliveryThreads;
        return this;
    }

    /** How often workers look for due jobs; default {@link #DEFAULT_POLL_INTERVAL}. */
    public WebhookEngineBuilder pollInterval(Duration pollInterval) {
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        return this;
    }

    /** How long ended events are kept; default {@link #DEFAULT_EVENT_RETENTION}. */
    public WebhookEngineBuilder eventRetention(Duration eventRetention) {
        this.eventRetention = Objects.requireNonNull(eventRetention, "eventRetention");
        return this;
    }

    /**
     * How long after a publish with an idempotency key
     * ({@link WebhookEngine#publish(DomainEvent, String)}) the same key returns that publish's result
     * instead of publishing again; default {@link #DEFAULT_IDEMPOTENCY_WINDOW} (24 h). Must be positive.
     * Expired keys are deleted by the hourly purge.
     */
    public WebhookEngineBuilder idempotencyWindow(Duration idempotencyWindow) {
        this.idempotencyWindow = Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
        return this;
    }

    /**
     * Auto-disable: a config whose deliveries have all failed for {@code period}, with at least
     * {@code minAttempts} failed attempts, is disabled ({@code enabled: false}) with the reason in its
     * controls; a success starts the clock over. Defaults {@link #DEFAULT_AUTO_DISABLE_PERIOD} and
     * {@value #DEFAULT_AUTO_DISABLE_MIN_ATTEMPTS}. {@link Duration#ZERO} turns it off (a 410 Gone still
     * disables a config at once). Checked by {@link #build()}: the period must not be negative, the
     * attempts at least 1.
     */
    public WebhookEngineBuilder autoDisable(Duration period, int minAttempts) {
        this.autoDisablePeriod = Objects.requireNonNull(period, "autoDisablePeriod");
        this.autoDisableMinAttempts = minAttempts;
        return this;
    }

    /**
     * Where the engine's {@code hookengine.*} meters go; default none (a registry nothing reads).
     */
    public WebhookEngineBuilder meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        return this;
    }

    /**
     * Each destination's circuit breaker: it opens after {@code failureThreshold} consecutive
     * retryable failures and holds that destination's jobs for {@code delay}; defaults
     * {@value #DEFAULT_BREAKER_FAILURE_THRESHOLD} and {@link #DEFAULT_BREAKER_DELAY}.
     */
    public WebhookEngineBuilder circuitBreaker(int failureThreshold, Duration delay) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
        }
        this.breakerFailureThreshold = failureThreshold;
        this.breakerDelay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /**
     * Where file deliveries ({@code deliveryMode}) get the bytes of their attachments. Default: a GET
     * of each attachment's {@code url} through the engine's transport and its SSRF guard
     * ({@link dev.hookengine.delivery.TransportAttachmentSource}).
     */
    public WebhookEngineBuilder attachmentSource(AttachmentSource attachmentSource) {
        this.attachmentSource = Objects.requireNonNull(attachmentSource, "attachmentSource");
        return this;
    }

    /**
     * Bounds of one attachment of a file delivery: at most {@code maxBytes} (default 10 MiB; more fails
     * the attempt with {@code ATTACHMENT_TOO_LARGE}), opened and read within {@code deadline} (default
     * 15 s; longer fails it with {@code ATTACHMENT_UNAVAILABLE}, retried).
     */
    public WebhookEngineBuilder attachmentLimits(long maxBytes, Duration deadline) {
        this.maxAttachmentBytes = maxBytes;
        this.attachmentDeadline = Objects.requireNonNull(deadline, "attachmentDeadline");
        return this;
    }

    /**
     * Where {@link WebhookEngine#publish(DomainEvent)} and {@link WebhookEngine#publishAll(List)} write
     * when the caller is inside a transaction that an integration can see: asked on every such call, in
     * the calling thread, before anything is written. A sink it returns is used as if passed to
     * {@link WebhookEngine#publish(DomainEvent, EventSink)} (the transactional outbox: the events exist
     * exactly when that transaction commits); an empty answer publishes into the engine's store as usual.
     * Default: always empty.
     *
     * <p>For framework integrations, so that a plain {@code publish(event)} joins the application's
     * managed transaction (the Spring Boot starter answers with the JDBC store bound to the
     * transaction's connection). A keyed publish ({@link WebhookEngine#publish(DomainEvent, String)})
     * never asks it: it is always its own transaction (see there why there is no keyed outbox publish).
     * The engine cannot see that transaction's commit: the integration calls
     * {@link WebhookEngine#deliverSoon()} after it, or the jobs wait for the workers' next poll.
     */
    public WebhookEngineBuilder ambientSink(Supplier<Optional<EventSink>> ambientSink) {
        this.ambientSink = Objects.requireNonNull(ambientSink, "ambientSink");
        return this;
    }

    /**
     * Validates the settings and builds the engine.
     *
     * @throws IllegalStateException when no store was given
     * @throws IllegalArgumentException when a setting is out of range
     */
    public WebhookEngine build() {
        if (store == null) {
            throw new IllegalStateException("a WebhookEngine needs a store: builder().store(...)");
        }
        if (signingSecretBytes < SigningSecrets.MIN_BYTES || signingSecretBytes > SigningSecrets.MAX_BYTES) {
            throw new IllegalArgumentException("signingSecretBytes must be " + SigningSecrets.MIN_BYTES + " to "
                    + SigningSecrets.MAX_BYTES + ", was " + signingSecretBytes);
        }
        if (configRefreshInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "configRefreshInterval must not be negative, was " + configRefreshInterval);
        }
        if (signingRotationGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "signingRotationGrace must not be negative, was " + signingRotationGrace);
        }
        if (signingKeyIssuer.isBlank()) {
            throw new IllegalArgumentException("signingKeyIssuer must not be blank");
        }
        requirePositive(attemptDeadline, "attemptDeadline");
        requirePositive(pollInterval, "pollInterval");
        requirePositive(eventRetention, "eventRetention");
        requirePositive(breakerDelay, "breakerDelay");
        requirePositive(idempotencyWindow, "idempotencyWindow");
        if (autoDisablePeriod.isNegative()) {
            throw new IllegalArgumentException(
                    "autoDisablePeriod must not be negative (Duration.ZERO turns auto-disable off), was "
                            + autoDisablePeriod);
        }
        if (autoDisableMinAttempts < 1) {
            throw new IllegalArgumentException(
                    "autoDisableMinAttempts must be at least 1, was " + autoDisableMinAttempts);
        }
        if (maxAttachmentBytes < 1) {
            throw new IllegalArgumentException("maxAttachmentBytes must be at least 1, was " + maxAttachmentBytes);
        }
        requirePositive(attachmentDeadline, "attachmentDeadline");
        if (deliveryBatchSize < 1 || deliveryThreads < 1) {
            throw new IllegalArgumentException("deliveryBatchSize and deliveryThreads must be at least 1");
        }
        EngineConfig config = new EngineConfig(
                clock,
                eventCatalog,
                entityHydrator,
                expressionLimits,
                configRefreshInterval,
                signingSecretBytes,
                signingRotationGrace,
                signingKeyIssuer,
                retrySchedule,
                secureProxyRouter,
                staticIpProxy,
                attemptDeadline,
                deliveryBatchSize,
                deliveryThreads,
                pollInterval,
                eventRetention,
                breakerFailureThreshold,
                breakerDelay,
                meterRegistry,
                idempotencyWindow,
                autoDisablePeriod,
                autoDisableMinAttempts,
                attachmentSource,
                maxAttachmentBytes,
                attachmentDeadline);
        LOG.info(
                "hookengine built: store={}, transport={}, {}",
                store.getClass().getName(),
                transport == null ? "none" : transport.getClass().getName(),
                config);
        return new WebhookEngine(store, transport, config, ambientSink);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
