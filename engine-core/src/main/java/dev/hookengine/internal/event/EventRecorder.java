package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.Dispatch;
import dev.hookengine.OutcomeCode;
import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.internal.EngineMetrics;
import dev.hookengine.internal.GroupCommit;
import dev.hookengine.internal.Json;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.EventSink;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records dispatches as events: one event per dispatch, with its delivery job when there is something
 * to send. Events bound for the engine's own store go through a group commit, so that concurrent
 * publishes share the store's round trips and commits ({@link EventSink#appendEvents}); a sink bound
 * to the caller's transaction (the outbox) gets the caller's events in one call.
 */
final class EventRecorder {

    /** The most events one group commit carries, but a single caller's are never split. */
    private static final int MAX_GROUP = 256;

    /**
     * Reads an event's {@code metadata} as the model's {@link Metadata}, on every publish. Bound to its
     * type once: {@code treeToValue(node, Metadata.class)} resolved the type in Jackson's shared type
     * cache and looked up the root deserializer on each call, a quarter of the samples of this read in
     * the server's profile. Immutable, so shared by every engine and thread.
     */
    private static final ObjectReader METADATA = Json.MAPPER.readerFor(Metadata.class);

    private final WebhookStore store;
    private final GroupCommit<NewEvent> commits;
    private final EngineMetrics metrics;
    private final Runnable onJobQueued;

    private final RetrySchedule retrySchedule;

    /** @param retrySchedule when a dispatch whose hydration was unavailable is made again */
    EventRecorder(WebhookStore store, EngineMetrics metrics, Runnable onJobQueued, RetrySchedule retrySchedule) {
        this.store = store;
        this.retrySchedule = retrySchedule;
        this.commits = new GroupCommit<>(store::appendEvents, MAX_GROUP);
        this.metrics = metrics;
        this.onJobQueued = onJobQueued;
    }

    /** One dispatch to be recorded: to which config, of which event name, with the job due when. */
    record Recording(StoredConfig config, Dispatch dispatch, String eventName, Instant now, Instant dueAt) {}

    /**
     * Records every dispatch in {@code sink}, in one write, and returns the events as recorded, in order.
     *
     * @throws IllegalStateException on an event id collision (a random UUID: never in practice)
     */
    List<WebhookEvent> record(List<Recording> recordings, EventSink sink) {
        List<NewEvent> events = prepare(recordings);
        List<Boolean> appended = sink == store ? commits.write(events) : sink.appendEvents(events);
        if (appended.contains(false)) {
            throw new IllegalStateException("event id collision on a random UUID");
        }
        recorded(recordings, events, sink);
        return events.stream().map(NewEvent::event).toList();
    }

    /** The event, with its job when there is something to send, of each dispatch, in order; new ids. */
    List<NewEvent> prepare(List<Recording> recordings) {
        List<NewEvent> events = new ArrayList<>(recordings.size());
        for (Recording recording : recordings) {
            events.add(newEvent(recording));
        }
        return events;
    }

    /**
     * What follows once {@code events}, {@link #prepare}d from {@code recordings}, are written to
     * {@code sink}: they are counted, and this node's poller is woken for a job it can take now.
     */
    void recorded(List<Recording> recordings, List<NewEvent> events, EventSink sink) {
        boolean dueNow = false;
        for (int i = 0; i < events.size(); i++) {
            Recording recording = recordings.get(i);
            metrics.recorded(recording.dispatch());
            // the job's own due time: a redispatch waiting for its entity is due a retry delay later
            dueNow |= events.get(i).jobs().stream().anyMatch(job -> !job.dueAt().isAfter(recording.now()));
        }
        // Wake this node's poller for a job it can see and take now; an outbox sink's job becomes
        // visible only when the caller commits, and a synchronous trigger's job is due later.
        if (dueNow && sink == store) {
            onJobQueued.run();
        }
    }

    /** {@link #record} for one dispatch, in the engine's own store. */
    WebhookEvent record(Recording recording) {
        return record(List.of(recording), store).get(0);
    }

    private NewEvent newEvent(Recording recording) {
        StoredConfig stored = recording.config();
        Dispatch dispatch = recording.dispatch();
        WebhookConfig config = stored.config();
        String eventId = UUID.randomUUID().toString();
        WebhookEvent.Builder event = WebhookEvent.builder()
                .eventId(eventId)
                .orgId(stored.orgId())
                .webhookConfigId(config.id())
                .url(config.url())
                .createdAt(recording.now())
                .eventName(recording.eventName())
                .httpMethod(config.httpMethod() == null ? HttpMethod.POST : config.httpMethod())
                .retryAttempt(0);
        String original = dispatch.payload() == null ? null : dispatch.payload().toString();
        if (original != null) {
            event.metadata(metadataOf(dispatch.payload())).originalPayload(original);
        }
        List<DeliveryJob> jobs = List.of();
        if (dispatch instanceof Dispatch.Deliver deliver) {
            // Without a transform the body is the payload itself: serialize it once.
            String body = deliver.body() == dispatch.payload()
                    ? original
                    : deliver.body().toString();
            event.status(EventStatus.IN_PROGRESS).payload(body);
            jobs = List.of(new DeliveryJob(
                    UUID.randomUUID().toString(),
                    stored.orgId(),
                    eventId,
                    config.id(),
                    0,
                    // a paused config's job waits parked, out of the claims' way, until it is resumed
                    stored.controls().paused() ? DeliveryQueue.PARKED : recording.dueAt(),
                    recording.now(),
                    deliver.orderingKey()));
        } else if (dispatch instanceof Dispatch.Skip skip) {
            event.status(EventStatus.SKIPPED)
                    .httpResponse(new EventHttpResponse(null, skip.reason(), null, OutcomeCode.SKIPPED.code()));
        } else if (dispatch instanceof Dispatch.Fail fail && waitsForHydration(fail, config)) {
            // No payload yet: the job makes the dispatch again from the event as published (the
            // original payload), in the keyless lane of an ordered config, whose key needs the payload.
            event.status(EventStatus.IN_PROGRESS)
                    .httpResponse(new EventHttpResponse(
                            null, fail.message() + "; the dispatch is made again later", null, fail.code()));
            // From now, not from the recording's due time: a synchronous trigger's is a lease away, for
            // the attempt it makes at once, and this dispatch makes none.
            Instant dueAt = recording.now().plus(retrySchedule.delayBefore(1, Optional.empty()));
            jobs = List.of(new DeliveryJob(
                    UUID.randomUUID().toString(),
                    stored.orgId(),
                    eventId,
                    config.id(),
                    0,
                    stored.controls().paused() ? DeliveryQueue.PARKED : dueAt,
                    recording.now(),
                    stored.controls().ordering() == null ? null : Dispatcher.KEYLESS_LANE));
        } else if (dispatch instanceof Dispatch.Fail fail) {
            event.status(EventStatus.FAILED)
                    .httpResponse(new EventHttpResponse(null, fail.message(), null, fail.code()));
        }
        return new NewEvent(event.build(), jobs);
    }

    /**
     * Whether {@code fail} is a hydration that could not answer for now, of a config that retries: its
     * event waits {@code in_progress} for the dispatch to be made again ({@link Redispatches}).
     */
    private static boolean waitsForHydration(Dispatch.Fail fail, WebhookConfig config) {
        return OutcomeCode.HYDRATION_UNAVAILABLE.code().equals(fail.code())
                && fail.payload() != null
                && config.retryPolicy() != null
                && Boolean.TRUE.equals(config.retryPolicy().enabled());
    }

    private static Metadata metadataOf(ObjectNode payload) {
        JsonNode metadata = payload.get("metadata");
        if (metadata == null || !metadata.isObject()) {
            return null;
        }
        try {
            return METADATA.readValue(metadata);
        } catch (Exception unreadable) {
            return null; // the payload keeps it as sent; the event's typed copy is best effort
        }
    }
}
