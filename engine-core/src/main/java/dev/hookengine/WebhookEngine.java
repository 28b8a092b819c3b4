package dev.hookengine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.internal.DeliveryService;
import dev.hookengine.internal.EnvReferences;
import dev.hookengine.internal.EngineMetrics;
import dev.hookengine.internal.EventService;
import dev.hookengine.internal.Ids;
import dev.hookengine.model.BatchReplayRequest;
import dev.hookengine.model.BatchReplayResponse;
import dev.hookengine.model.EventListResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.LegacyEventListResponse;
import dev.hookengine.model.ReplayRequest;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.TestOAuthResponse;
import dev.hookengine.model.TriggerWebhookResp;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import dev.hookengine.internal.CompiledConfig;
import dev.hookengine.internal.ConfigIndex;
import dev.hookengine.internal.ConfigService;
import dev.hookengine.internal.Dispatcher;
import dev.hookengine.internal.EventPayloads;
import dev.hookengine.internal.SigningService;
import dev.hookengine.model.EventConfigEntry;
import dev.hookengine.model.ExampleRequest;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.PublicKeyResponse;
import dev.hookengine.model.Secret;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.spi.EventCatalog;
import dev.hookengine.spi.EventSink;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.transform.ExpressionException;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.PayloadView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one Java method per operation of the webhooks API, each taking the caller's
 * organization first. Every operation sees and changes only that organization's data.
 *
 * <pre>{@code
 * WebhookEngine engine = WebhookEngine.builder()
 *     .store(new InMemoryWebhookStore())
 *     .build();
 * WebhookConfig created = engine.createConfig("org-1", WebhookConfig.builder()
 *     .name("CRM sync").eventName("customer_created").url("https://crm.example.com/hooks").build());
 * }</pre>
 *
 * <p>Thread-safe. Failures are {@link WebhookEngineException}s: {@link ValidationException} for bad
 * input, {@link NotFoundException}, {@link ConflictException}. None changes anything.
 */
public final class WebhookEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookEngine.class);
    private static final int PURGE_BATCH = 1_000;

    private final EngineConfig config;
    private final ConfigIndex index;
    private final ConfigService configs;
    private final Dispatcher dispatcher;
    private final SigningService signing;
    private final WebhookStore store;
    private final HttpTransport transport;
    private final DeliveryService delivery;
    private final EventService events;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Permits wake the poller before its interval ends; see {@link #wakeWorkers()}. */
    private final Semaphore wakeUp = new Semaphore(0);
    private final EngineMetrics metrics;

    private WebhookEngine(WebhookStore store, HttpTransport transport, EngineConfig config) {
        SecureRandom random = new SecureRandom();
        String nodeId = "node-" + new Ids(random).next();
        this.config = config;
        this.store = store;
        this.transport = transport;
        this.index = new ConfigIndex(store, config.configRefreshInterval());
        this.configs = new ConfigService(store, config, random, index);
        this.dispatcher = new Dispatcher(config.entityHydrator(), config.expressionLimits());
        this.signing = new SigningService(store, config.clock(), random, config.signingRotationGrace(),
                config.signingKeyIssuer(), config.signingSecretBytes());
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.deliveryThreads(), runnable -> {
            Thread thread = new Thread(runnable, "hookengine-delivery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Two threads: the poller's loop runs for as long as the engine, the hourly purge beside it.
        AtomicInteger background = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "hookengine-poller-" + background.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<DeliveryService> deliveryRef = new AtomicReference<>();
        this.metrics = new EngineMetrics(config.meterRegistry(),
                () -> deliveryRef.get() == null ? 0 : deliveryRef.get().openBreakers());
        this.delivery = transport == null ? null : new DeliveryService(store, index, transport, signing, config.clock(),
                config.retrySchedule(), config.secureProxyRouter(), config.staticIpProxy(), config.attemptDeadline(),
                config.deliveryThreads(), config.deliveryBatchSize(), nodeId, this::invalidateAll, workers, metrics,
                config.breakerFailureThreshold(), config.breakerDelay());
        deliveryRef.set(delivery);
        this.events = new EventService(store, config.clock(), dispatcher, config.entityHydrator(), configs, delivery,
                nodeId, metrics, this::wakeWorkers);
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings this engine was built with. */
    public EngineConfig config() {
        return config;
    }

    /**
     * Creates a config ({@code createConfig}). Read-only fields in {@code config} are ignored; the
     * engine assigns {@code id}, {@code creationTime}, {@code updatedTime}, {@code status}, and a new
     * {@code signingSecret}, which this response carries and no later one does. {@code enabled}
     * defaults to {@code true}, {@code retryPolicy} to enabled with 3 retries.
     *
     * @return the created config, secrets redacted but for {@code signingSecret}
     * @throws ValidationException naming every invalid field
     */
    public WebhookConfig createConfig(String orgId, WebhookConfig config) {
        return configs.create(orgId, Objects.requireNonNull(config, "config"));
    }

    /**
     * One config ({@code getConfig}), secrets redacted.
     *
     * @throws NotFoundException when the organization has no config with this id
     */
    public WebhookConfig getConfig(String orgId, String configId) {
        return configs.get(orgId, configId);
    }

    /**
     * The organization's configs, oldest first ({@code getConfigs}), secrets redacted.
     *
     * @param eventName only configs of this event, or all when {@code null}
     */
    public List<WebhookConfig> getConfigs(String orgId, String eventName) {
        return configs.list(orgId, eventName);
    }

    /** {@link #updateConfig(String, String, WebhookConfig, WriteIntent)} refusing protected configs. */
    public WebhookConfig updateConfig(String orgId, String configId, WebhookConfig config) {
        return updateConfig(orgId, configId, config, WriteIntent.DEFAULT);
    }

    /**
     * Replaces a config ({@code updateConfig}). Read-only fields come from the stored config. A secret
     * omitted from {@code config} keeps its stored value while the auth type stays the same, an
     * explicit {@code null} ({@link dev.hookengine.model.Secret#cleared()}) clears it. Omitted
     * {@code retryPolicy}, {@code enabled} and {@code protected} keep their stored values.
     *
     * @return the updated config, secrets redacted
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ConflictException   when the config is protected and {@code intent} is not
     *                             {@link WriteIntent#MODIFY_PROTECTED}, or it changed concurrently
     * @throws ValidationException naming every invalid field
     */
    public WebhookConfig updateConfig(String orgId, String configId, WebhookConfig config, WriteIntent intent) {
        return configs.update(orgId, configId, Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(intent, "intent"));
    }

    /** {@link #deleteConfig(String, String, WriteIntent)} refusing protected configs. */
    public void deleteConfig(String orgId, String configId) {
        deleteConfig(orgId, configId, WriteIntent.DEFAULT);
    }

    /**
     * Deletes a config ({@code deleteConfig}). Its events stay in the event log until retention
     * removes them.
     *
     * @throws NotFoundException when the organization has no config with this id
     * @throws ConflictException when the config is protected and {@code intent} is not
     *                           {@link WriteIntent#MODIFY_PROTECTED}
     */
    public void deleteConfig(String orgId, String configId, WriteIntent intent) {
        configs.delete(orgId, configId, Objects.requireNonNull(intent, "intent"));
    }

    /** The events configs can subscribe to, from the {@link EventCatalog} ({@code getConfiguredEvents}). */
    public List<EventConfigEntry> getConfiguredEvents(String orgId) {
        ConfigService.requireOrg(orgId);
        return config.eventCatalog().events(orgId).stream()
                .map(event -> new EventConfigEntry(event.eventName(), event.labelOrName()))
                .toList();
    }

    /**
     * Fans an event out to every enabled, active config of its organization subscribed to its name,
     * and says per config what it makes of the event: a body to deliver, a skip with its reason, or a
     * failure with its code ({@link Dispatch}). Filters and transforms run once per config, on a
     * payload built per {@code payloadConfiguration}; the {@link EntityHydrator} is called at most once
     * per event for what it provides.
     *
     * <p>Configs are read from an in-memory index, refreshed on every change made through this engine
     * and at least every {@link Builder#configRefreshInterval}.
     *
     * <p>Every dispatch is recorded as an event (skipped and failed ones too); a delivery's event is
     * stored together with its job, which the workers (or {@link #deliverDue()}) send, sign and retry.
     * An engine without a transport only records: another node delivers.
     */
    public PublishResult publish(DomainEvent event) {
        return publish(event, store);
    }

    /**
     * Publishes inside a transaction of the caller's: the transactional outbox. Works like
     * {@link #publish(DomainEvent)}, but writes the events and their delivery jobs to {@code sink},
     * typically the engine's JDBC store bound to the caller's open transaction:
     *
     * <pre>{@code
     * connection.setAutoCommit(false);
     * insertOrder(connection, order);                                   // the caller's business data
     * engine.publish(orderCreated, store.inTransaction(connection));     // the webhook events, same transaction
     * connection.commit();                                              // both exist, or neither
     * }</pre>
     *
     * The events exist, and are delivered, exactly when that transaction commits; a rollback leaves no
     * event and no delivery. Nothing is committed or rolled back here. Workers pick the jobs up on
     * their next round after the commit. The counters of recorded events count the publish either way.
     *
     * @param sink where the events and jobs are written; it must write to the engine's store's storage
     *             (see {@link EventSink})
     */
    public PublishResult publish(DomainEvent event, EventSink sink) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(sink, "sink");
        Instant now = now();
        List<CompiledConfig> targets = index.activeConfigs(event.orgId(), event.eventName());
        Timer.Sample timing = Timer.start();
        List<Dispatch> dispatches = dispatcher.dispatch(event, targets, now);
        timing.stop(metrics.dispatchTimer());
        return new PublishResult(dispatches, events.record(targets, dispatches, event.eventName(), now, sink));
    }

    /**
     * Triggers one config with a payload ({@code triggerWebhook}); its filters and transform apply.
     * The event is recorded, with its delivery job, before anything is sent. Without {@code sync} the
     * call returns the event id at once; with it, the first attempt is made inside the call and its
     * outcome returned, and any retry after it is durable like any other. A payload the config's
     * filters do not let through is recorded as skipped, and the answer says so (code {@code SKIPPED}).
     *
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ValidationException when the config is incomplete and cannot deliver
     * @throws IllegalStateException with {@code sync}, when the engine has no transport
     */
    public TriggerWebhookResp triggerWebhook(String orgId, String configId, ExecutionPayload payload, boolean sync) {
        Objects.requireNonNull(payload, "payload");
        if (sync) {
            requireTransport("a synchronous trigger");
        }
        return events.trigger(orgId, configId, payload, sync);
    }

    /**
     * One event of a config ({@code getEventById}), with {@code can_reapply_transform} judged against
     * the config as it is now.
     *
     * @throws NotFoundException when the organization has no such event for this config
     */
    public WebhookEvent getEventById(String orgId, String configId, String eventId) {
        return events.get(orgId, configId, eventId);
    }

    /**
     * A config's events, newest first ({@code getWebhookEventsV2}): {@code limit} 1 to 25 (default 25),
     * filters by {@code status}, {@code event_id} and {@code timestamp} range (inclusive), and a keyset
     * {@code cursor}; {@code next_cursor} is null on the last page.
     *
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ValidationException naming each invalid option
     */
    public EventListResponse getWebhookEventsV2(String orgId, String configId, SearchOptions options) {
        return events.search(orgId, configId, options);
    }

    /**
     * The deprecated v1 listing ({@code getWehookEvents}): 25 events a page, an opaque cursor.
     *
     * @throws NotFoundException when the organization has no config with this id
     */
    public LegacyEventListResponse getWebhookEvents(String orgId, String configId, EventStatus status, String cursor) {
        return events.legacyList(orgId, configId, status, cursor);
    }

    /**
     * Replays an event as a new event ({@code replayEvent}). Without {@code reapply_transform} the
     * delivered payload is sent again verbatim; with it, the original payload goes through the config's
     * filters and transform as they are now.
     *
     * @return the new event's id
     * @throws NotFoundException      when the organization has no config or no such event of it
     * @throws UnprocessableException with {@code reapply_transform}, when the event has no original payload
     */
    public String replayEvent(String orgId, String configId, String eventId, ReplayRequest request) {
        return events.replay(orgId, configId, eventId, request != null && Boolean.TRUE.equals(request.reapplyTransform()));
    }

    /**
     * Replays 1 to 100 events of a config ({@code batchReplayEvents}), all or none: an unknown id, or
     * one without an original payload when re-applying, replays nothing.
     *
     * @return the ids of the events replayed
     */
    public BatchReplayResponse batchReplayEvents(String orgId, String configId, BatchReplayRequest request) {
        return new BatchReplayResponse(events.replayBatch(orgId, configId, request));
    }

    /**
     * Runs a config's OAuth token exchange alone ({@code testOAuth}), without sending the webhook.
     * The answer carries {@code expires_in} and {@code token_type}, never the token.
     *
     * @throws ValidationException when the config does not use OAuth client credentials
     */
    public TestOAuthResponse testOAuth(String orgId, String configId) {
        requireTransport("an OAuth test");
        return events.testOAuth(orgId, configId);
    }

    /**
     * Sets an organization variable, which {@code {{ env.NAME }}} references resolve to at send time.
     * Its value can never be read back.
     *
     * @throws ValidationException when the name is not a valid variable name
     */
    public void putVariable(String orgId, String name, String value) {
        ConfigService.requireOrg(orgId);
        if (!EnvReferences.isValidName(name)) {
            throw new ValidationException("variable", new FieldError("name",
                    "must be a letter or underscore followed by letters, digits or underscores, at most 128"));
        }
        if (value == null) {
            throw new ValidationException("variable", new FieldError("value", "is required"));
        }
        store.putVariable(orgId, name, Secret.of(value));
    }

    /** Deletes an organization variable; {@code false} when there was none. */
    public boolean deleteVariable(String orgId, String name) {
        ConfigService.requireOrg(orgId);
        return store.deleteVariable(orgId, name);
    }

    /** The names of the organization's variables, sorted; values are never returned. */
    public List<String> variableNames(String orgId) {
        ConfigService.requireOrg(orgId);
        return store.variableNames(orgId);
    }

    /**
     * Claims and delivers every job due now, in this thread's call (attempts run on the delivery
     * threads), and returns when they have ended. An embedder may drive delivery with it from its own
     * scheduler instead of starting workers; the workers started by {@link #start()} do the same
     * without waiting for the attempts they start.
     *
     * @return the number of jobs claimed (each attempted, or released when the engine is closing)
     * @throws IllegalStateException when the engine has no transport
     */
    public int deliverDue() {
        requireTransport("delivery");
        return delivery.deliverDue();
    }

    /**
     * Deletes, in bounded batches, ended events older than the retention ({@link Builder#eventRetention}).
     * The workers call it hourly.
     *
     * @return how many events were deleted
     */
    public int purgeExpiredEvents() {
        Instant cutoff = now().minus(config.eventRetention());
        int total = 0;
        int deleted;
        do {
            deleted = store.purgeEvents(cutoff, PURGE_BATCH);
            total += deleted;
        } while (deleted == PURGE_BATCH);
        store.purgeExpiredKeys(now());
        return total;
    }

    /**
     * Starts the delivery workers: due jobs are claimed every {@link Builder#pollInterval}, and at
     * once when this engine queues a delivery, and expired events are purged hourly. A producer-only instance (one that only publishes) never calls it.
     *
     * @throws IllegalStateException when the engine has no transport, or is closed
     */
    public void start() {
        requireTransport("delivery workers");
        if (closed.get()) {
            throw new IllegalStateException("a closed engine cannot start again");
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        long poll = config.pollInterval().toMillis();
        scheduler.execute(this::pollUntilClosed);
        scheduler.scheduleWithFixedDelay(this::purgeQuietly, 1, 60, TimeUnit.MINUTES);
        LOG.info("hookengine delivery workers started: {} threads, polling every {} ms", config.deliveryThreads(), poll);
    }

    /**
     * Stops claiming, lets attempts in flight finish (waiting up to the attempt deadline plus 5 s for
     * the poller, then as long again for the delivery threads), and stops the threads. Jobs not yet attempted stay queued; their leases expire and any node takes them. The
     * transport and the store belong to the caller and stay open.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (delivery != null) {
            delivery.stop();
        }
        wakeUp.release(); // the poller leaves its wait and sees the engine closed
        scheduler.shutdown();
        workers.shutdown();
        try {
            long wait = config.attemptDeadline().toMillis() + 5_000;
            if (!scheduler.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
            if (!workers.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The poller: delivers what is due, then waits for the poll interval or for a wake-up from a
     * delivery queued on this node, whichever comes first, until the engine closes.
     */
    private void pollUntilClosed() {
        long poll = config.pollInterval().toMillis();
        while (!closed.get()) {
            deliverQuietly();
            try {
                wakeUp.tryAcquire(poll, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits(); // one round serves every wake-up that came meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Wakes the poller, if it waits: a job was queued here and may be due now. */
    private void wakeWorkers() {
        if (started.get() && wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void deliverQuietly() {
        try {
            delivery.startDue();
        } catch (RuntimeException e) {
            LOG.warn("a delivery round failed; the next one retries", e);
        }
    }

    private void purgeQuietly() {
        try {
            purgeExpiredEvents();
        } catch (RuntimeException e) {
            LOG.warn("purging expired events failed; the next round retries", e);
        }
    }

    private void requireTransport(String what) {
        if (transport == null) {
            throw new IllegalStateException(what + " needs a transport: builder().transport(...)");
        }
    }

    private void invalidateAll() {
        index.invalidateAll();
    }

    /**
     * An example of what the config's receiver gets ({@code getWebhookExample}): a payload built from
     * the {@link EventCatalog}'s example entity for the config's event (an empty entity when the
     * catalog has none), with the metadata filled in and the config's {@code payloadConfiguration}
     * applied, then passed through its transform when it has one. Filters are not applied: an example
     * is shown whatever the config would let through.
     *
     * @return the payload, or the transform's result; a JSON object unless the transform makes something else
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ValidationException at {@code jsonataExpression} when the transform fails on the example
     */
    public JsonNode getWebhookExample(String orgId, String configId, ExampleRequest request) {
        StoredConfig stored = configs.find(orgId, configId);
        WebhookConfig webhook = stored.config();
        ObjectNode entity = config.eventCatalog().find(orgId, webhook.eventName())
                .map(CatalogEvent::exampleEntity)
                .orElseGet(JsonNodeFactory.instance::objectNode);
        DomainEvent.Builder event = DomainEvent.builder(orgId, webhook.eventName())
                .metadata(Metadata.builder().action("example").origin("hookengine").build())
                .entity(entity);
        if (request != null && request.automationId() != null) {
            // Beside metadata, not in it: the spec's Metadata has no such property, and clients
            // generated from it reject properties it does not name; ExampleResponse allows any.
            event.property("automation_id", JsonNodeFactory.instance.textNode(request.automationId()));
        }
        DomainEvent example = event.build();
        EventPayloads payloads = new EventPayloads(example, config.entityHydrator(), now(), UUID.randomUUID().toString());
        CompiledConfig compiled = CompiledConfig.compile(stored);
        if (compiled.compileError() != null) {
            throw new ValidationException("webhook config", new FieldError("jsonataExpression", compiled.compileError()));
        }
        ObjectNode payload = payloads.payloadFor(webhook);
        if (compiled.transform() == null) {
            return payload;
        }
        try {
            JsonNode body = compiled.transform().evaluate(PayloadView.of(payload),
                    config.expressionLimits());
            return body == null ? JsonNodeFactory.instance.nullNode() : body;
        } catch (ExpressionException e) {
            throw new ValidationException("webhook config",
                    new FieldError("jsonataExpression", "fails on the example payload: " + e.getMessage()));
        }
    }

    /**
     * The organization's Ed25519 public key for verifying {@code v1a} signatures, as PEM
     * ({@code getPublicKey}). The key pair is made on first use; after a rotation this is the new key.
     *
     * @throws NotFoundException when the organization has no key and no config (the REST endpoint is
     *                           unauthenticated: it must not make keys for made-up organizations)
     */
    public PublicKeyResponse getPublicKey(String orgId) {
        return signing.publicKey(orgId);
    }

    /**
     * Makes a new Ed25519 key pair for the organization. Messages are signed with both the new and
     * the previous key for {@link Builder#signingRotationGrace} (default 24 h), then with the new one only.
     *
     * @return the new public key
     */
    public PublicKeyResponse rotateSigningKey(String orgId) {
        return signing.rotateKey(orgId);
    }

    /**
     * Gives a config a new {@code whsec_} signing secret. Messages carry {@code v1} signatures with
     * both the new and the previous secret for {@link Builder#signingRotationGrace} (default 24 h),
     * then with the new one only.
     *
     * @return the new secret, shown this once
     * @throws NotFoundException when the organization has no config with this id
     */
    public Secret rotateSigningSecret(String orgId, String configId) {
        return signing.rotateSecret(orgId, configId);
    }

    private Instant now() {
        return Timestamps.now(config.clock());
    }

    /** Builds a {@link WebhookEngine}. Only the store is required. */
    public static final class Builder {

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

        private Builder() {
        }

        /** Where configs, events, the queue, keys and variables live. Required. */
        public Builder store(WebhookStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The time source; default {@link Clock#systemUTC()}. Tests pass a controllable clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The events configs can subscribe to; default none. */
        public Builder eventCatalog(EventCatalog eventCatalog) {
            this.eventCatalog = Objects.requireNonNull(eventCatalog, "eventCatalog");
            return this;
        }

        /** Convenience for a fixed catalog. */
        public Builder eventCatalog(List<CatalogEvent> events) {
            return eventCatalog(EventCatalog.of(events));
        }

        /** Provides full entities and relations for configs that ask for them; default {@link EntityHydrator#PASS_THROUGH}. */
        public Builder entityHydrator(EntityHydrator entityHydrator) {
            this.entityHydrator = Objects.requireNonNull(entityHydrator, "entityHydrator");
            return this;
        }

        /** Bounds of every JSONata evaluation; default {@link #DEFAULT_EXPRESSION_LIMITS}. */
        public Builder expressionLimits(ExpressionLimits expressionLimits) {
            this.expressionLimits = Objects.requireNonNull(expressionLimits, "expressionLimits");
            return this;
        }

        /**
         * How often the in-memory config index is reloaded from the store, bounding how long a change
         * made by another node goes unseen; default {@link #DEFAULT_CONFIG_REFRESH_INTERVAL}. Changes made
         * through this engine are seen at once.
         */
        public Builder configRefreshInterval(Duration configRefreshInterval) {
            this.configRefreshInterval = Objects.requireNonNull(configRefreshInterval, "configRefreshInterval");
            return this;
        }

        /**
         * Random bytes in each new signing secret, {@value SigningSecrets#MIN_BYTES} to
         * {@value SigningSecrets#MAX_BYTES}; default {@value #DEFAULT_SIGNING_SECRET_BYTES}.
         */
        public Builder signingSecretBytes(int signingSecretBytes) {
            this.signingSecretBytes = signingSecretBytes;
            return this;
        }

        /** How long a rotated-out key or secret keeps signing; default {@link #DEFAULT_SIGNING_ROTATION_GRACE}. */
        public Builder signingRotationGrace(Duration signingRotationGrace) {
            this.signingRotationGrace = Objects.requireNonNull(signingRotationGrace, "signingRotationGrace");
            return this;
        }

        /** The {@code issuer} that {@code getPublicKey} reports; default {@link #DEFAULT_SIGNING_KEY_ISSUER}. */
        public Builder signingKeyIssuer(String signingKeyIssuer) {
            this.signingKeyIssuer = Objects.requireNonNull(signingKeyIssuer, "signingKeyIssuer");
            return this;
        }

        /**
         * Sends deliveries and OAuth token requests ({@code engine-http}'s {@code JettyHttpTransport}).
         * Required for {@link WebhookEngine#start()}, synchronous triggers and OAuth tests; an engine
         * that only publishes needs none. The caller owns it and closes it after the engine.
         */
        public Builder transport(HttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** When to retry; default {@link RetrySchedule#standard()}. */
        public Builder retrySchedule(RetrySchedule retrySchedule) {
            this.retrySchedule = Objects.requireNonNull(retrySchedule, "retrySchedule");
            return this;
        }

        /** Routes {@code secureProxy} configs; default none (such deliveries fail clearly). */
        public Builder secureProxyRouter(SecureProxyRouter secureProxyRouter) {
            this.secureProxyRouter = Objects.requireNonNull(secureProxyRouter, "secureProxyRouter");
            return this;
        }

        /** The egress proxy with the static IP that {@code enableStaticIP} configs go through; default none. */
        public Builder staticIpProxy(ProxyAddress staticIpProxy) {
            this.staticIpProxy = Objects.requireNonNull(staticIpProxy, "staticIpProxy");
            return this;
        }

        /**
         * Hard deadline of one exchange with a receiver; default {@link #DEFAULT_ATTEMPT_DEADLINE}. It
         * also sets how long a claim holds a job, {@code 2 × (attemptDeadline + 2 s)} (34 s by
         * default), which bounds how long a dead node's jobs wait before another node takes them.
         */
        public Builder attemptDeadline(Duration attemptDeadline) {
            this.attemptDeadline = Objects.requireNonNull(attemptDeadline, "attemptDeadline");
            return this;
        }

        /**
         * Jobs claimed at once, at most {@link #deliveryThreads} (more would wait for a thread while
         * their lease runs); default {@value #DEFAULT_DELIVERY_BATCH_SIZE}.
         */
        public Builder deliveryBatchSize(int deliveryBatchSize) {
            this.deliveryBatchSize = deliveryBatchSize;
            return this;
        }

        /** Threads making attempts in parallel; default {@value #DEFAULT_DELIVERY_THREADS}. */
        public Builder deliveryThreads(int deliveryThreads) {
            this.deliveryThreads = deliveryThreads;
            return this;
        }

        /** How often workers look for due jobs; default {@link #DEFAULT_POLL_INTERVAL}. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /** How long ended events are kept; default {@link #DEFAULT_EVENT_RETENTION}. */
        public Builder eventRetention(Duration eventRetention) {
            this.eventRetention = Objects.requireNonNull(eventRetention, "eventRetention");
            return this;
        }

        /**
         * Where the engine's {@code hookengine.*} meters go; default none (a registry nothing reads).
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * Each destination's circuit breaker: it opens after {@code failureThreshold} consecutive
         * retryable failures and holds that destination's jobs for {@code delay}; defaults
         * {@value #DEFAULT_BREAKER_FAILURE_THRESHOLD} and {@link #DEFAULT_BREAKER_DELAY}.
         */
        public Builder circuitBreaker(int failureThreshold, Duration delay) {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
            }
            this.breakerFailureThreshold = failureThreshold;
            this.breakerDelay = Objects.requireNonNull(delay, "delay");
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
                throw new IllegalArgumentException("configRefreshInterval must not be negative, was " + configRefreshInterval);
            }
            if (signingRotationGrace.isNegative()) {
                throw new IllegalArgumentException("signingRotationGrace must not be negative, was " + signingRotationGrace);
            }
            if (signingKeyIssuer.isBlank()) {
                throw new IllegalArgumentException("signingKeyIssuer must not be blank");
            }
            requirePositive(attemptDeadline, "attemptDeadline");
            requirePositive(pollInterval, "pollInterval");
            requirePositive(eventRetention, "eventRetention");
            requirePositive(breakerDelay, "breakerDelay");
            if (deliveryBatchSize < 1 || deliveryThreads < 1) {
                throw new IllegalArgumentException("deliveryBatchSize and deliveryThreads must be at least 1");
            }
            EngineConfig config = new EngineConfig(clock, eventCatalog, entityHydrator, expressionLimits,
                    configRefreshInterval, signingSecretBytes, signingRotationGrace, signingKeyIssuer, retrySchedule,
                    secureProxyRouter, staticIpProxy, attemptDeadline, deliveryBatchSize, deliveryThreads, pollInterval,
                    eventRetention, breakerFailureThreshold, breakerDelay, meterRegistry);
            LOG.info("hookengine built: store={}, transport={}, {}", store.getClass().getName(),
                    transport == null ? "none" : transport.getClass().getName(), config);
            return new WebhookEngine(store, transport, config);
        }

        private static void requirePositive(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
        }
    }
}
