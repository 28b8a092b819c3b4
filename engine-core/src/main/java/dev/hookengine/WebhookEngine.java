package dev.hookengine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.internal.EngineParts;
import dev.hookengine.internal.Violations;
import dev.hookengine.internal.config.ConfigService;
import dev.hookengine.internal.config.FailingConfigSweep;
import dev.hookengine.internal.config.OrgVariables;
import dev.hookengine.internal.delivery.ClaimLoop;
import dev.hookengine.internal.delivery.DeliveryWorkers;
import dev.hookengine.internal.delivery.OAuthTokens;
import dev.hookengine.internal.event.AttemptHistory;
import dev.hookengine.internal.event.DeliveryStatistics;
import dev.hookengine.internal.event.EventRetention;
import dev.hookengine.internal.event.EventService;
import dev.hookengine.internal.event.Examples;
import dev.hookengine.internal.signing.SigningService;
import dev.hookengine.model.BatchReplayRequest;
import dev.hookengine.model.BatchReplayResponse;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventConfigEntry;
import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventListResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExampleRequest;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.LegacyEventListResponse;
import dev.hookengine.model.PublicKeyResponse;
import dev.hookengine.model.ReplayRequest;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.Secret;
import dev.hookengine.model.TestOAuthResponse;
import dev.hookengine.model.TriggerWebhookResp;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.spi.EventCatalog;
import dev.hookengine.spi.EventSink;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

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
 *
 * <p><b>Text accepted.</b> Every identifier and name a method takes (the organization id, config and
 * event ids, event names, cursors, variable names, and a config's {@code eventName}) must not contain
 * a C0 control character (U+0000 to U+001F), DEL (U+007F) or an unpaired surrogate: each method
 * refuses one with a {@link ValidationException} naming the parameter ({@code orgId: must not contain
 * control characters}) before anything reaches the store, the same for every store. Such values are
 * kept in plain text columns, and PostgreSQL, for one, cannot keep a NUL. Everything the engine keeps
 * as JSON (config fields, payloads, event bodies) may hold any character.
 */
public final class WebhookEngine implements AutoCloseable {

    /** The subject of the edge's {@link ValidationException}s: {@code Invalid request: orgId: ...}. */
    private static final String REQUEST = "request";

    private final EngineConfig config;
    private final WebhookStore store;
    private final ConfigService configs;
    private final OrgVariables variables;
    private final SigningService signing;
    private final EventService events;
    private final Examples examples;
    private final EventRetention retention;
    private final FailingConfigSweep autoDisable;
    private final DeliveryWorkers workers;
    /** The delivery side: {@code null} in an engine without a transport, which only records. */
    private final OAuthTokens tokens;

    private final ClaimLoop claims;
    private final AttemptHistory attempts;
    private final DeliveryStatistics stats;
    /** Asked by the unkeyed publishes first; see {@link WebhookEngineBuilder#ambientSink}. */
    private final Supplier<Optional<EventSink>> ambientSink;

    WebhookEngine(
            WebhookStore store,
            HttpTransport transport,
            EngineConfig config,
            Supplier<Optional<EventSink>> ambientSink) {
        EngineParts parts = EngineParts.wire(store, transport, config);
        this.config = config;
        this.store = store;
        this.configs = parts.configs();
        this.variables = parts.variables();
        this.signing = parts.signing();
        this.events = parts.events();
        this.examples = parts.examples();
        this.retention = parts.retention();
        this.autoDisable = parts.autoDisable();
        this.workers = parts.workers();
        this.tokens = parts.tokens();
        this.claims = parts.claims();
        this.attempts = new AttemptHistory(store);
        this.stats = new DeliveryStatistics(store, parts.configs(), config.clock());
        this.ambientSink = ambientSink;
    }

    /** A builder with every setting at its default. */
    public static WebhookEngineBuilder builder() {
        return new WebhookEngineBuilder();
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
        identifiers("orgId", orgId)
                .identifier("eventName", config == null ? null : config.eventName())
                .throwIfAny(REQUEST);
        return configs.create(orgId, Objects.requireNonNull(config, "config"));
    }

    /**
     * The config's controls (a hookengine extension): its rate limit and ordering, whether it is
     * paused, and why the engine disabled it, if it did.
     *
     * @throws NotFoundException when the organization has no config with this id
     */
    public ConfigControls getControls(String orgId, String configId) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return configs.controls(orgId, configId);
    }

    /**
     * Sets the config's flow settings: {@code maxDeliveriesPerSecond} (1 to
     * {@value ConfigControls#MAX_DELIVERIES_PER_SECOND}, or {@code null} for no limit) and
     * {@code ordering}. Its pause and disable state stay as they are.
     *
     * @return the controls as stored
     * @throws ValidationException naming the setting at fault; nothing changes then
     * @throws NotFoundException   when the organization has no config with this id
     */
    public ConfigControls updateControls(String orgId, String configId, ConfigControls.Settings settings) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return configs.updateControls(orgId, configId, Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Pauses the config's deliveries, on every node sharing the store: its new events are recorded and
     * queued, its queued and retrying jobs wait, and nothing is sent until {@link #resumeConfig}. An
     * attempt already under way finishes. Pausing a paused config changes nothing.
     *
     * @return the controls as stored, {@code paused} set
     * @throws NotFoundException when the organization has no config with this id
     */
    public ConfigControls pauseConfig(String orgId, String configId) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return configs.pause(orgId, configId);
    }

    /**
     * Resumes a paused config: what waited goes out, oldest first, at the config's rate limit.
     * Resuming a config that is not paused changes nothing.
     *
     * @return the controls as stored
     * @throws NotFoundException when the organization has no config with this id
     */
    public ConfigControls resumeConfig(String orgId, String configId) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return configs.resume(orgId, configId);
    }

    /**
     * One config ({@code getConfig}), secrets redacted.
     *
     * @throws NotFoundException when the organization has no config with this id
     */
    public WebhookConfig getConfig(String orgId, String configId) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return configs.get(orgId, configId);
    }

    /**
     * The organization's configs, oldest first ({@code getConfigs}), secrets redacted.
     *
     * @param eventName only configs of this event, or all when {@code null}
     */
    public List<WebhookConfig> getConfigs(String orgId, String eventName) {
        identifiers("orgId", orgId).identifier("eventName", eventName).throwIfAny(REQUEST);
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
        identifiers("orgId", orgId)
                .identifier("configId", configId)
                .identifier("eventName", config == null ? null : config.eventName())
                .throwIfAny(REQUEST);
        return configs.update(
                orgId, configId, Objects.requireNonNull(config, "config"), Objects.requireNonNull(intent, "intent"));
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
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        configs.delete(orgId, configId, Objects.requireNonNull(intent, "intent"));
    }

    /** The events configs can subscribe to, from the {@link EventCatalog} ({@code getConfiguredEvents}). */
    public List<EventConfigEntry> getConfiguredEvents(String orgId) {
        identifiers("orgId", orgId).throwIfAny(REQUEST);
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
     * and reloaded once older than {@link WebhookEngineBuilder#configRefreshInterval}, so a change
     * made by another node is seen within about that interval plus one reload.
     *
     * <p>Every dispatch is recorded as an event (skipped and failed ones too); a delivery's event is
     * stored together with its job, which the workers (or {@link #deliverDue()}) send, sign and retry.
     * An engine without a transport only records: another node delivers.
     *
     * <p>When the engine was built with an {@link WebhookEngineBuilder#ambientSink} that answers a sink
     * for the calling thread (the caller is inside a managed transaction), the events are written there,
     * as by {@link #publish(DomainEvent, EventSink)}.
     */
    public PublishResult publish(DomainEvent event) {
        return publish(event, ambientOrStore());
    }

    /**
     * Tells the delivery workers that jobs may be due now, so that they claim them at once instead of
     * at their next poll: what a caller does once a transaction it published in through an
     * {@linkplain WebhookEngineBuilder#ambientSink ambient sink} has committed (the engine cannot see
     * that commit; its own publishes wake the workers themselves). Cheap and idempotent: wake-ups that
     * come while the workers are busy make one round. Does nothing in an engine that is not
     * delivering (not started, closed, or without a transport).
     */
    public void deliverSoon() {
        workers.wake();
    }

    /** The sink of the caller's ambient transaction ({@link WebhookEngineBuilder#ambientSink}), else the store. */
    private EventSink ambientOrStore() {
        return ambientSink.get().orElse(store);
    }

    /**
     * Publishes as {@link #publish(DomainEvent)} does, once per idempotency key: a caller that retries
     * a publish (after a timeout, a lost answer, a crash) passes the same key each time, and only the
     * first call publishes. Within {@link WebhookEngineBuilder#idempotencyWindow} (24 h by default)
     * of that first call, every later call with the key in the event's organization publishes nothing
     * and returns the first call's result: the same event ids and the same dispatches. Keys are per
     * organization. After the window the key is free again and publishes anew.
     *
     * <p>A key names one event: a later call with the key for a different event (another event name,
     * or another body, compared as JSON with properties in any order) throws a
     * {@link ConflictException} and publishes nothing, rather than return a result that is not that
     * event's. Only a publish that was recorded takes its key: a call that fails, with bad input or a
     * store that cannot be reached, leaves the key free for the retry.
     *
     * <p>This holds across nodes on one database: of concurrent calls with one key, on this engine or
     * on others sharing its store, exactly one records its events; the others wait for it and return
     * its result. The key's record and the events are written in one transaction, so a crash never
     * leaves a key without its events, nor events without their key. A keyed publish is one write of
     * its own, not shared with other publishes by group commit, and costs one more row.
     *
     * <p>There is no keyed form of {@link #publish(DomainEvent, EventSink)}: inside the caller's own
     * transaction (the outbox), that transaction is what makes the caller's write happen once, and
     * its business data would not be deduplicated by a key on the events. Nor of {@link #publishAll}:
     * a batch's events would each need a key, and a retry of part of a batch a decision per event.
     *
     * @param idempotencyKey the key: 1 to {@value dev.hookengine.spi.IdempotencyRecord#MAX_KEY_LENGTH}
     *                       characters, not blank, no control characters (see the class comment); a
     *                       random UUID per logical publish is a good one
     * @return the first publish's result, whichever call made it
     * @throws ValidationException naming {@code idempotencyKey} when the key is missing, blank, too long
     *                             or not identifier text
     * @throws ConflictException   when the key was used within the window for a different event
     */
    public PublishResult publish(DomainEvent event, String idempotencyKey) {
        Objects.requireNonNull(event, "event");
        Violations text = identifiers("orgId", event.orgId()).identifier("eventName", event.eventName());
        if (text.require("idempotencyKey", idempotencyKey)) {
            text.identifier("idempotencyKey", idempotencyKey)
                    .maxLength("idempotencyKey", idempotencyKey, IdempotencyRecord.MAX_KEY_LENGTH);
        }
        text.throwIfAny(REQUEST);
        return events.publishOnce(event, idempotencyKey);
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
        identifiers("orgId", event.orgId())
                .identifier("eventName", event.eventName())
                .throwIfAny(REQUEST);
        return events.publish(event, sink);
    }

    /**
     * Publishes several events at once, each as {@link #publish(DomainEvent)} does, and records all
     * their events in one write to the store: for a caller that has many events, the store's round
     * trips and commits are paid once for the batch.
     *
     * @return one result per event, in order
     */
    public List<PublishResult> publishAll(List<DomainEvent> events) {
        return publishAll(events, ambientOrStore());
    }

    /** {@link #publishAll(List)} inside a transaction of the caller's, as {@link #publish(DomainEvent, EventSink)}. */
    public List<PublishResult> publishAll(List<DomainEvent> events, EventSink sink) {
        Objects.requireNonNull(events, "events").forEach(event -> Objects.requireNonNull(event, "event"));
        Objects.requireNonNull(sink, "sink");
        Violations text = new Violations();
        for (int i = 0; i < events.size(); i++) {
            text.identifier("events[" + i + "].orgId", events.get(i).orgId())
                    .identifier("events[" + i + "].eventName", events.get(i).eventName());
        }
        text.throwIfAny(REQUEST);
        return this.events.publishAll(events, sink);
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
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
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
        identifiers("orgId", orgId)
                .identifier("configId", configId)
                .identifier("eventId", eventId)
                .throwIfAny(REQUEST);
        return events.get(orgId, configId, eventId);
    }

    /**
     * The attempts of one event of a config, oldest first (a hookengine extension): each attempt's
     * number, start, duration, the receiver's status, the {@link OutcomeCode}, the error, and the
     * first {@value dev.hookengine.spi.DeliveryAttempt#RESPONSE_EXCERPT_MAX_CHARS} characters at most
     * of the receiver's response body.
     *
     * @param limit  attempts a page holds at most, {@value AttemptPage#MIN_LIMIT} to
     *               {@value AttemptPage#MAX_LIMIT}; {@code null} for {@value AttemptPage#DEFAULT_LIMIT}
     * @param cursor the {@code next_cursor} of the previous page, or {@code null} for the first page
     * @throws NotFoundException   when the organization has no such event for this config
     * @throws ValidationException naming {@code limit} or {@code cursor} when they are wrong
     */
    public AttemptPage getEventAttempts(String orgId, String configId, String eventId, Integer limit, String cursor) {
        identifiers("orgId", orgId)
                .identifier("configId", configId)
                .identifier("eventId", eventId)
                .identifier("cursor", cursor)
                .throwIfAny(REQUEST);
        return attempts.page(orgId, configId, eventId, limit, cursor);
    }

    /**
     * A config's deliveries over time (a hookengine extension): its events created in
     * {@code [from, to)} counted by status per interval, and the durations of their attempts (median,
     * 95th percentile, longest), per interval and over the range. Every interval is listed, those
     * without events as zeros. An event counts in the interval it was created in, with its status as it
     * is now, and its attempts with it whenever they ran. What the web console charts; the work is
     * proportional to the range's events ({@link dev.hookengine.spi.EventStore#deliveryStats}).
     *
     * @param from     the start, inclusive, at most 31 days before {@code to}, from 1970; {@code null}
     *                 for 24 hours before {@code to}
     * @param to       the end, exclusive, before the year 10000; {@code null} for the millisecond after now on the engine's
     *                 clock (so that an event created now counts)
     * @param interval the length of an interval, a whole number of seconds, from a minute to 31 days, cutting
     *                 the range into at most {@value dev.hookengine.spi.StatsQuery#MAX_INTERVALS}
     *                 intervals; {@code null} for an hour
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ValidationException naming {@code from}, {@code to} or {@code interval} when they are wrong
     */
    public DeliveryStats getDeliveryStats(String orgId, String configId, Instant from, Instant to, Duration interval) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return stats.of(orgId, configId, from, to, interval);
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
        EventCursor cursor = options == null ? null : options.cursor();
        identifiers("orgId", orgId)
                .identifier("configId", configId)
                .identifier("event_id", options == null ? null : options.eventId())
                .identifier("cursor.event_id", cursor == null ? null : cursor.eventId())
                .throwIfAny(REQUEST);
        return events.search(orgId, configId, options);
    }

    /**
     * The deprecated v1 listing ({@code getWehookEvents}): 25 events a page, an opaque cursor.
     *
     * @throws NotFoundException when the organization has no config with this id
     */
    public LegacyEventListResponse getWebhookEvents(String orgId, String configId, EventStatus status, String cursor) {
        identifiers("orgId", orgId)
                .identifier("configId", configId)
                .identifier("cursor", cursor)
                .throwIfAny(REQUEST);
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
        identifiers("orgId", orgId)
                .identifier("configId", configId)
                .identifier("eventId", eventId)
                .throwIfAny(REQUEST);
        return events.replay(
                orgId, configId, eventId, request != null && Boolean.TRUE.equals(request.reapplyTransform()));
    }

    /**
     * Replays 1 to 100 events of a config ({@code batchReplayEvents}), each as {@link #replayEvent}
     * would: every listed event of this config that can be replayed, once, in the request's order.
     * An id that names no event of the config (unknown, another config's, expired by retention), or
     * an event without the payload the replay needs (an original one with {@code reapply_transform},
     * a delivered one without), is left out of the answer rather than failing the batch: the spec
     * answers 202 with the ids replayed, and keeps 404 for an unknown config.
     *
     * @return the ids of the events replayed (the ids asked for, not those of the new events)
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ValidationException when {@code eventIds} is missing, empty, over 100 or holds a null
     */
    public BatchReplayResponse batchReplayEvents(String orgId, String configId, BatchReplayRequest request) {
        Violations text = identifiers("orgId", orgId).identifier("configId", configId);
        List<String> eventIds = request == null || request.eventIds() == null ? List.of() : request.eventIds();
        for (int i = 0; i < eventIds.size(); i++) {
            text.identifier("eventIds[" + i + "]", eventIds.get(i));
        }
        text.throwIfAny(REQUEST);
        return new BatchReplayResponse(events.replayBatch(orgId, configId, request));
    }

    /**
     * Runs a config's OAuth token exchange alone ({@code testOAuth}), without sending the webhook.
     * The answer carries {@code expires_in} and {@code token_type}, never the token.
     *
     * @throws ValidationException when the config does not use OAuth client credentials
     */
    public TestOAuthResponse testOAuth(String orgId, String configId) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        requireTransport("an OAuth test");
        return tokens.test(store, configs.find(orgId, configId));
    }

    /**
     * Sets an organization variable, which {@code {{ env.NAME }}} references resolve to at send time.
     * Its value can never be read back.
     *
     * @throws ValidationException when the name is not a valid variable name
     */
    public void putVariable(String orgId, String name, String value) {
        identifiers("orgId", orgId).identifier("name", name).throwIfAny(REQUEST);
        variables.put(orgId, name, value);
    }

    /** Deletes an organization variable; {@code false} when there was none. */
    public boolean deleteVariable(String orgId, String name) {
        identifiers("orgId", orgId).identifier("name", name).throwIfAny(REQUEST);
        return variables.delete(orgId, name);
    }

    /** The names of the organization's variables, sorted; values are never returned. */
    public List<String> variableNames(String orgId) {
        identifiers("orgId", orgId).throwIfAny(REQUEST);
        return variables.names(orgId);
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
        return claims.deliverDue();
    }

    /**
     * Deletes, in bounded batches, ended events older than the retention
     * ({@link WebhookEngineBuilder#eventRetention}). The workers call it hourly.
     *
     * @return how many events were deleted
     */
    public int purgeExpiredEvents() {
        return retention.purge();
    }

    /**
     * Auto-disable, once: disables every enabled config whose deliveries have all failed for the
     * auto-disable period or longer, with at least its minimum of failed attempts
     * ({@link WebhookEngineBuilder#autoDisable}), on the engine's clock. The workers call it every
     * minute; it does nothing when auto-disable is off. Each disabled config shows the reason in its
     * controls ({@link #getControls}).
     *
     * @return how many configs this call disabled
     */
    public int disableFailingConfigs() {
        return autoDisable.sweep();
    }

    /**
     * Starts the delivery workers: due jobs are claimed every {@link WebhookEngineBuilder#pollInterval},
     * and at once when this engine queues a delivery, and expired events are purged hourly. A producer-only instance (one that only publishes) never calls it.
     *
     * @throws IllegalStateException when the engine has no transport, or is closed
     */
    public void start() {
        requireTransport("delivery workers");
        workers.start(claims::startDue, retention::purge, autoDisable::sweep);
    }

    /**
     * Stops claiming, lets attempts in flight finish (waiting up to the attempt deadline plus 5 s for
     * the poller, then as long again for the delivery threads), and stops the threads. Jobs not yet attempted stay queued; their leases expire and any node takes them. The
     * transport and the store belong to the caller and stay open.
     */
    public void close() {
        workers.close(claims == null ? () -> {} : claims::stop);
    }

    /**
     * Starts the edge check of one call's identifiers and names against the rule for identifier text
     * (see the class comment and {@link Violations#identifier}); the call adds its other ones and
     * throws.
     */
    private static Violations identifiers(String path, String value) {
        return new Violations().identifier(path, value);
    }

    private void requireTransport(String what) {
        if (claims == null) {
            throw new IllegalStateException(what + " needs a transport: builder().transport(...)");
        }
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
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return examples.example(orgId, configId, request);
    }

    /**
     * The organization's Ed25519 public key for verifying {@code v1a} signatures, as PEM
     * ({@code getPublicKey}). The key pair is made on first use; after a rotation this is the new key.
     *
     * @throws NotFoundException when the organization has no key and no config (the REST endpoint is
     *                           unauthenticated: it must not make keys for made-up organizations)
     */
    public PublicKeyResponse getPublicKey(String orgId) {
        identifiers("orgId", orgId).throwIfAny(REQUEST);
        return signing.publicKey(orgId);
    }

    /**
     * Makes a new Ed25519 key pair for the organization. Messages are signed with both the new and
     * the previous key for {@link WebhookEngineBuilder#signingRotationGrace} (default 24 h), then with
     * the new one only.
     *
     * @return the new public key
     */
    public PublicKeyResponse rotateSigningKey(String orgId) {
        identifiers("orgId", orgId).throwIfAny(REQUEST);
        return signing.rotateKey(orgId);
    }

    /**
     * Gives a config a new {@code whsec_} signing secret. Messages carry {@code v1} signatures with
     * both the new and the previous secret for {@link WebhookEngineBuilder#signingRotationGrace} (default 24 h),
     * then with the new one only.
     *
     * @return the new secret, shown this once
     * @throws NotFoundException when the organization has no config with this id
     */
    public Secret rotateSigningSecret(String orgId, String configId) {
        identifiers("orgId", orgId).identifier("configId", configId).throwIfAny(REQUEST);
        return signing.rotateSecret(orgId, configId);
    }
}
