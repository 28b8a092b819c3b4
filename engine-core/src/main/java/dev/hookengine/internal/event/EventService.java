package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.ConflictException;
import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.EngineConfig;
import dev.hookengine.FieldError;
import dev.hookengine.NotFoundException;
import dev.hookengine.OutcomeCode;
import dev.hookengine.PublishResult;
import dev.hookengine.UnprocessableException;
import dev.hookengine.ValidationException;
import dev.hookengine.internal.EngineMetrics;
import dev.hookengine.internal.Json;
import dev.hookengine.internal.Violations;
import dev.hookengine.internal.config.CompiledConfig;
import dev.hookengine.internal.config.ConfigIndex;
import dev.hookengine.internal.config.ConfigService;
import dev.hookengine.internal.config.ConfigStatuses;
import dev.hookengine.internal.delivery.AttemptRunner;
import dev.hookengine.model.BatchReplayRequest;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventListResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.LegacyEventListResponse;
import dev.hookengine.model.ReapplyTransformReason;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.TriggerWebhookResp;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.EventSink;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The event log side of the engine: recording the events that publishing and triggers produce,
 * with their delivery jobs; reading, searching and replaying them.
 */
public final class EventService {

    private final WebhookStore store;
    private final EngineConfig engineConfig;
    private final ConfigService configs;
    private final ConfigIndex index;
    private final Dispatcher dispatcher;
    private final AttemptRunner attempts;
    private final EngineMetrics metrics;
    private final EventRecorder recorder;

    /**
     * @param index       the configs {@code publish} reaches
     * @param attempts    makes synchronous triggers' attempts; {@code null} in an engine without a transport
     * @param onJobQueued called when a job this node can take now was queued
     */
    public EventService(
            WebhookStore store,
            EngineConfig engineConfig,
            ConfigService configs,
            ConfigIndex index,
            Dispatcher dispatcher,
            AttemptRunner attempts,
            EngineMetrics metrics,
            Runnable onJobQueued) {
        this.store = store;
        this.engineConfig = engineConfig;
        this.configs = configs;
        this.index = index;
        this.dispatcher = dispatcher;
        this.attempts = attempts;
        this.metrics = metrics;
        this.recorder = new EventRecorder(store, metrics, onJobQueued, engineConfig.retrySchedule());
    }

    /**
     * {@code publish}: one dispatch per active config of the event's organization subscribed to its
     * name, each recorded as an event in {@code sink}.
     */
    public PublishResult publish(DomainEvent event, EventSink sink) {
        return publishAll(List.of(event), sink).get(0);
    }

    /**
     * {@code publish} of several events: each dispatched as {@link #publish} does, all their events
     * recorded in {@code sink} in one write.
     */
    public List<PublishResult> publishAll(List<DomainEvent> events, EventSink sink) {
        Dispatched dispatched = dispatch(events, now());
        List<WebhookEvent> recorded = recorder.record(dispatched.recordings(), sink);
        List<PublishResult> results = new ArrayList<>(events.size());
        int next = 0;
        for (List<Dispatch> dispatches : dispatched.perEvent()) {
            List<String> ids = new ArrayList<>(dispatches.size());
            for (int i = 0; i < dispatches.size(); i++) {
                ids.add(recorded.get(next++).eventId());
            }
            results.add(new PublishResult(dispatches, ids));
        }
        return results;
    }

    /**
     * {@code publish} with an idempotency key: dispatched as {@link #publish} does, then recorded in
     * the engine's store together with the key ({@link dev.hookengine.spi.EventStore#appendEventsOnce}),
     * not by group commit. When the organization used the key within the idempotency window, nothing
     * is recorded and the first publish's result is the answer, provided the event is the same.
     *
     * <p>Every caller gets the result as stored, read back, so that all results of one key are equal.
     * The dispatch runs before the store is asked: a retry costs its filters, transforms and
     * hydration, which the store's one write per keyed publish (no read before it) pays for.
     *
     * @throws ConflictException when the key was used within the window for another event
     */
    public PublishResult publishOnce(DomainEvent event, String key) {
        Instant now = now();
        Dispatched dispatched = dispatch(List.of(event), now);
        List<NewEvent> events = recorder.prepare(dispatched.recordings());
        PublishResult result = new PublishResult(
                dispatched.perEvent().get(0),
                events.stream().map(recorded -> recorded.event().eventId()).toList());
        String fingerprint = KeyedPublishes.fingerprint(event);
        String stored = KeyedPublishes.write(result);
        IdempotencyRecord record = new IdempotencyRecord(
                event.orgId(), key, fingerprint, stored, now, now.plus(engineConfig.idempotencyWindow()));
        Optional<IdempotencyRecord> first = store.appendEventsOnce(record, events);
        if (first.isEmpty()) {
            recorder.recorded(dispatched.recordings(), events, store);
            return KeyedPublishes.read(stored);
        }
        if (!first.get().fingerprint().equals(fingerprint)) {
            throw new ConflictException("Idempotency key already used for a different event (another event "
                    + "name or body) within the idempotency window of " + engineConfig.idempotencyWindow()
                    + "; nothing was published. A new event needs a new key.");
        }
        return KeyedPublishes.read(first.get().result());
    }

    /** The dispatches of each event, in order, and one recording per dispatch, all in one list. */
    private record Dispatched(List<List<Dispatch>> perEvent, List<EventRecorder.Recording> recordings) {}

    private Dispatched dispatch(List<DomainEvent> events, Instant now) {
        List<List<Dispatch>> dispatchesPerEvent = new ArrayList<>(events.size());
        List<EventRecorder.Recording> recordings = new ArrayList<>();
        for (DomainEvent event : events) {
            List<CompiledConfig> targets = pinned(index.activeConfigs(event.orgId(), event.eventName()), event);
            Timer.Sample timing = Timer.start();
            List<Dispatch> dispatches = dispatcher.dispatch(event, targets, now);
            timing.stop(metrics.dispatchTimer());
            dispatchesPerEvent.add(dispatches);
            for (int i = 0; i < dispatches.size(); i++) {
                recordings.add(new EventRecorder.Recording(
                        targets.get(i).stored(), dispatches.get(i), event.eventName(), now, now));
            }
        }
        return new Dispatched(dispatchesPerEvent, recordings);
    }

    /**
     * {@code targets}, each config without an {@code eventVersion} pinned at the version of
     * {@code event} when it has one ({@link ConfigService#pinEventVersion}). The pin is taken at
     * dispatch, the config's first delivery of a versioned event: the payload, and so its version, is
     * decided here, once, whatever happens to the attempts later.
     */
    private List<CompiledConfig> pinned(List<CompiledConfig> targets, DomainEvent event) {
        Optional<String> version = EventVersions.pinToTake(event);
        if (version.isEmpty()) {
            return targets;
        }
        List<CompiledConfig> pinned = new ArrayList<>(targets.size());
        for (CompiledConfig target : targets) {
            pinned.add(
                    target.config().eventVersion() != null
                            ? target
                            : target.withStored(configs.pinEventVersion(target.stored(), version.get())));
        }
        return pinned;
    }

    /** {@code triggerWebhook}: one config, filters applied; with {@code sync}, the first attempt happens here. */
    public TriggerWebhookResp trigger(String orgId, String configId, ExecutionPayload payload, boolean sync) {
        StoredConfig stored = configs.find(orgId, configId);
        WebhookConfig config = stored.config();
        if (ConfigStatuses.of(config) == ConfigStatus.INCOMPLETE) {
            String path = config.url() == null || config.url().isBlank() ? "url" : "auth";
            throw new ValidationException(
                    "trigger",
                    new FieldError(path, "webhook config '" + configId + "' is incomplete and cannot deliver"));
        }
        if (ConfigStatuses.of(config) == ConfigStatus.INACTIVE) {
            throw new ValidationException(
                    "trigger",
                    new FieldError(
                            "enabled",
                            "webhook config '" + configId + "' is disabled and sends nothing; enable it first"));
        }
        Instant now = now();
        ObjectNode body = Json.MAPPER.valueToTree(payload);
        DomainEvent event = new DomainEvent(orgId, config.eventName(), body);
        EventPayloads payloads = new EventPayloads(
                event, engineConfig.entityHydrator(), now, UUID.randomUUID().toString());
        CompiledConfig target =
                pinned(List.of(CompiledConfig.compile(stored)), event).get(0);
        stored = target.stored();
        Dispatch dispatch = dispatcher.dispatch(payloads, target);
        // A synchronous trigger's job is due only after a lease, so no worker takes it while this
        // call makes the attempt; if this node dies meanwhile, a worker delivers it later.
        Instant dueAt = sync ? now.plus(attempts.lease()) : now;
        WebhookEvent recorded =
                recorder.record(new EventRecorder.Recording(stored, dispatch, config.eventName(), now, dueAt));
        if (dispatch instanceof Dispatch.Skip skip) {
            return new TriggerWebhookResp(
                    null,
                    "skipped: " + skip.reason(),
                    null,
                    OutcomeCode.SKIPPED.code(),
                    null,
                    now,
                    now,
                    recorded.eventId());
        }
        if (dispatch instanceof Dispatch.Fail fail) {
            // The spec's status is succeeded or failed; an event that waits to be dispatched again (its
            // entity could not be read yet) says so, as a first attempt that will be retried does.
            String message = fail.message();
            if (recorded.status() == EventStatus.IN_PROGRESS) {
                message += stored.controls().paused()
                        ? "; the event waits in_progress and is dispatched again once the config is resumed"
                        : "; the event waits in_progress and is dispatched again on the retry schedule";
            }
            return new TriggerWebhookResp(
                    null, message, null, fail.code(), EventStatus.FAILED, now, now, recorded.eventId());
        }
        if (!sync) {
            return TriggerWebhookResp.queued(recorded.eventId());
        }
        String jobId = store.jobsOfEvent(orgId, recorded.eventId()).get(0).jobId();
        Optional<WebhookEvent> attempted = attempts.claimAndAttempt(orgId, jobId, now);
        WebhookEvent after = attempted.orElse(recorded);
        EventHttpResponse response = after.httpResponse();
        boolean retrying = after.status() == EventStatus.IN_PROGRESS;
        String message = response == null ? null : response.message();
        if (attempted.isEmpty()) {
            message = "not attempted yet: the config is paused, or an earlier event of its ordering lane is"
                    + " still queued; the delivery is queued";
        } else if (retrying && response == null) {
            message = "not attempted yet: the destination's circuit breaker is open; the delivery is queued";
        } else if (retrying) {
            message = (message == null ? "" : message + "; ") + "the first attempt failed, a retry is scheduled";
        }
        return new TriggerWebhookResp(
                response == null || response.statusCode() == null ? null : String.valueOf(response.statusCode()),
                message,
                response == null ? null : response.body(),
                response == null ? null : response.code(),
                after.status() == EventStatus.SUCCEEDED ? EventStatus.SUCCEEDED : EventStatus.FAILED,
                now,
                now(),
                after.eventId());
    }

    /** {@code getEventById}: the event, if it belongs to the config. */
    public WebhookEvent get(String orgId, String configId, String eventId) {
        ConfigService.requireOrg(orgId);
        WebhookEvent event = store.findEvent(orgId, eventId)
                .filter(found -> found.webhookConfigId().equals(configId))
                .orElseThrow(() -> new NotFoundException("webhook event", eventId));
        return withReapplyInfo(event, currentConfig(orgId, configId));
    }

    /** {@code getWebhookEventsV2}. */
    public EventListResponse search(String orgId, String configId, SearchOptions options) {
        ConfigService.requireOrg(orgId);
        Optional<WebhookConfig> config =
                Optional.of(configs.find(orgId, configId).config());
        SearchOptions search = options == null ? SearchOptions.firstPage() : options;
        List<FieldError> errors = new ArrayList<>();
        int limit = search.limit() == null ? SearchOptions.DEFAULT_LIMIT : search.limit();
        if (limit < SearchOptions.MIN_LIMIT || limit > SearchOptions.MAX_LIMIT) {
            errors.add(new FieldError(
                    "limit",
                    "must be an integer from " + SearchOptions.MIN_LIMIT + " to " + SearchOptions.MAX_LIMIT + ", was "
                            + limit));
        }
        if (search.status() == EventStatus.IN_PROGRESS) {
            errors.add(new FieldError("status", "must be succeeded, failed or skipped"));
        }
        if (search.cursor() != null
                && (search.cursor().createdAt() == null || search.cursor().eventId() == null)) {
            errors.add(new FieldError("cursor", "needs both created_at and event_id, as next_cursor gives them"));
        }
        Instant from = search.timestamp() == null ? null : search.timestamp().from();
        Instant to = search.timestamp() == null ? null : search.timestamp().to();
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new FieldError("timestamp.from", "must not be after timestamp.to"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("event search", errors);
        }
        EventPage page = store.searchEvents(
                orgId, new EventQuery(configId, search.status(), search.eventId(), from, to, search.cursor(), limit));
        return new EventListResponse(
                page.events().stream()
                        .map(event -> withReapplyInfo(event, config))
                        .toList(),
                page.nextCursor(),
                page.hasMore());
    }

    /** The deprecated v1 listing: 25 events a page, an opaque base64 cursor. */
    public LegacyEventListResponse legacyList(String orgId, String configId, EventStatus status, String cursor) {
        ConfigService.requireOrg(orgId);
        Optional<WebhookConfig> config =
                Optional.of(configs.find(orgId, configId).config());
        EventCursor after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), EventCursor.class);
            } catch (Exception e) {
                throw notACursor();
            }
            // The cursor is opaque to the caller, but its insides reach the store like any event id.
            if (!Violations.isIdentifierText(after.eventId())) {
                throw notACursor();
            }
        }
        EventPage page = store.searchEvents(
                orgId, new EventQuery(configId, status, null, null, null, after, SearchOptions.MAX_LIMIT));
        String next = null;
        if (page.nextCursor() != null) {
            try {
                next = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(Json.MAPPER.writeValueAsBytes(page.nextCursor()));
            } catch (Exception e) {
                throw new IllegalStateException("a cursor always serializes", e);
            }
        }
        return new LegacyEventListResponse(
                page.events().stream().map(e -> withReapplyInfo(e, config)).toList(), next);
    }

    private static ValidationException notACursor() {
        return new ValidationException("event listing", new FieldError("cursor", "is not a cursor this API gave out"));
    }

    /**
     * {@code replayEvent}: a new event for the same config. Without {@code reapply}, the delivered
     * payload is sent again as it was; with it, the original payload goes through the config as it is
     * now (filters and transform).
     *
     * @return the new event's id
     */
    public String replay(String orgId, String configId, String eventId, boolean reapply) {
        StoredConfig stored = configs.find(orgId, configId);
        WebhookEvent original = store.findEvent(orgId, eventId)
                .filter(found -> found.webhookConfigId().equals(configId))
                .orElseThrow(() -> new NotFoundException("webhook event", eventId));
        return replay(stored, original, reapply);
    }

    /**
     * {@code batchReplayEvents}: replays each listed event of the config that can be replayed, once,
     * in the request's order, and returns their ids. An id that names no event of this config (unknown,
     * another config's, expired), or an event without the payload the replay needs (an original one to
     * re-apply the transform to; a delivered one to resend), is left out of the answer, not an error:
     * the caller compares the answer with its list. The config must exist.
     */
    public List<String> replayBatch(String orgId, String configId, BatchReplayRequest request) {
        StoredConfig stored = configs.find(orgId, configId);
        List<String> ids = request == null ? null : request.eventIds();
        if (ids == null || ids.isEmpty() || ids.size() > BatchReplayRequest.MAX_EVENTS) {
            throw new ValidationException(
                    "batch replay",
                    new FieldError("eventIds", "must hold 1 to 100 event ids, had " + (ids == null ? 0 : ids.size())));
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null) {
                throw new ValidationException(
                        "batch replay", new FieldError("eventIds[" + i + "]", "must not be null"));
            }
        }
        boolean reapply = Boolean.TRUE.equals(request.reapplyTransform());
        List<String> replayed = new ArrayList<>(ids.size());
        for (String id : new LinkedHashSet<>(ids)) {
            Optional<WebhookEvent> original = store.findEvent(orgId, id)
                    .filter(found -> found.webhookConfigId().equals(configId))
                    .filter(found -> (reapply ? found.originalPayload() : found.payload()) != null);
            if (original.isPresent()) {
                replay(stored, original.get(), reapply);
                replayed.add(id);
            }
        }
        return List.copyOf(replayed);
    }

    private String replay(StoredConfig stored, WebhookEvent original, boolean reapply) {
        Instant now = now();
        Dispatch dispatch;
        if (reapply) {
            if (original.originalPayload() == null) {
                throw new UnprocessableException(
                        "event '" + original.eventId() + "' has no original payload to re-apply the transform to");
            }
            ObjectNode payload;
            try {
                payload = (ObjectNode) Json.MAPPER.readTree(original.originalPayload());
            } catch (Exception e) {
                throw new UnprocessableException(
                        "the original payload of event '" + original.eventId() + "' is unreadable");
            }
            dispatch = dispatcher.dispatch(payload, CompiledConfig.compile(stored));
        } else {
            if (original.payload() == null) {
                throw new UnprocessableException(
                        "event '" + original.eventId() + "' was never delivered: nothing to resend");
            }
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(original.payload());
            } catch (Exception e) {
                throw new UnprocessableException("the payload of event '" + original.eventId() + "' is unreadable");
            }
            ObjectNode originalPayload = null;
            try {
                JsonNode parsed =
                        original.originalPayload() == null ? null : Json.MAPPER.readTree(original.originalPayload());
                originalPayload = parsed instanceof ObjectNode object ? object : null;
            } catch (Exception ignored) {
                // the resend does not need it
            }
            dispatch = dispatcher.resend(CompiledConfig.compile(stored), originalPayload, body);
        }
        String eventName = original.eventName() != null
                ? original.eventName()
                : stored.config().eventName();
        return recorder.record(new EventRecorder.Recording(stored, dispatch, eventName, now, now))
                .eventId();
    }

    private Optional<WebhookConfig> currentConfig(String orgId, String configId) {
        return store.findConfig(orgId, configId).map(StoredConfig::config);
    }

    /** The event with {@code can_reapply_transform} and its reason, judged against the config as it is now. */
    private static WebhookEvent withReapplyInfo(WebhookEvent event, Optional<WebhookConfig> config) {
        boolean transform = config.map(WebhookConfig::jsonataExpression)
                .filter(expression -> !expression.isBlank())
                .isPresent();
        ReapplyTransformReason reason = !transform
                ? ReapplyTransformReason.NO_TRANSFORM_CONFIGURED
                : event.originalPayload() == null
                        ? ReapplyTransformReason.NO_ORIGINAL_SOURCE
                        : ReapplyTransformReason.AVAILABLE;
        return event.toBuilder()
                .canReapplyTransform(reason == ReapplyTransformReason.AVAILABLE)
                .canReapplyTransformReason(reason)
                .build();
    }

    private Instant now() {
        return Timestamps.now(engineConfig.clock());
    }
}
