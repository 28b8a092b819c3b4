package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.internal.EngineMetrics;
import dev.hookengine.internal.Json;
import dev.hookengine.internal.config.CompiledConfig;
import dev.hookengine.internal.delivery.Redispatcher;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.time.Clock;
import java.time.Instant;

/**
 * The dispatch, made again, of an event whose hydration was unavailable when it was published.
 *
 * <p>Why a new event: the store writes an event's payload once, when the event is recorded (an
 * attempt's outcome never changes it), and the payload is what a replay resends and what the event
 * log shows. So the waiting event, whose original payload is the event as published, ends
 * {@code skipped} with {@link OutcomeCode#REDISPATCHED} and a message naming the new event, which is
 * recorded with its payload and a job due at once, exactly as the publish would have recorded it. A
 * hydrator that still cannot answer leaves the waiting event {@code in_progress}, retried per the
 * config's {@code retryPolicy}; any other outcome of the dispatch (a final hydration error, a filter
 * that skips, a transform that fails) ends it with that outcome, as a publish would have.
 */
public final class Redispatches implements Redispatcher {

    private final Dispatcher dispatcher;
    private final EntityHydrator hydrator;
    private final EventRecorder recorder;
    private final Clock clock;

    public Redispatches(
            WebhookStore store,
            Dispatcher dispatcher,
            EntityHydrator hydrator,
            EngineMetrics metrics,
            RetrySchedule retrySchedule,
            Clock clock,
            Runnable onJobQueued) {
        this.dispatcher = dispatcher;
        this.hydrator = hydrator;
        this.recorder = new EventRecorder(store, metrics, onJobQueued, retrySchedule);
        this.clock = clock;
    }

    @Override
    public Result redispatch(StoredConfig config, WebhookEvent waiting) {
        ObjectNode source;
        try {
            JsonNode parsed = Json.MAPPER.readTree(waiting.originalPayload());
            source = (ObjectNode) parsed;
        } catch (Exception e) {
            return new Result(
                    EventStatus.FAILED,
                    OutcomeCode.HYDRATION_ERROR,
                    "the event as published could not be read back to dispatch it again");
        }
        String eventName = waiting.eventName() != null
                ? waiting.eventName()
                : config.config().eventName();
        DomainEvent event = new DomainEvent(waiting.orgId(), eventName, source);
        JsonNode correlation = source.path("metadata").path("correlation_id");
        EventPayloads payloads = new EventPayloads(
                event,
                hydrator,
                waiting.createdAt(),
                correlation.isTextual() ? correlation.textValue() : waiting.eventId());
        Dispatch dispatch = dispatcher.dispatch(payloads, CompiledConfig.compile(config));
        if (dispatch instanceof Dispatch.Deliver) {
            Instant now = Timestamps.now(clock);
            WebhookEvent recorded = recorder.record(new EventRecorder.Recording(config, dispatch, eventName, now, now));
            return new Result(
                    EventStatus.SKIPPED,
                    OutcomeCode.REDISPATCHED,
                    "hydrated on a retry; delivered as event " + recorded.eventId());
        }
        if (dispatch instanceof Dispatch.Skip skip) {
            return new Result(EventStatus.SKIPPED, OutcomeCode.SKIPPED, skip.reason());
        }
        Dispatch.Fail fail = (Dispatch.Fail) dispatch;
        OutcomeCode code = OutcomeCode.of(fail.code()).orElse(OutcomeCode.HYDRATION_ERROR);
        return new Result(
                code == OutcomeCode.HYDRATION_UNAVAILABLE ? EventStatus.IN_PROGRESS : EventStatus.FAILED,
                code,
                fail.message());
    }
}
