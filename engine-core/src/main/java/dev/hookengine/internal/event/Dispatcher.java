package dev.hookengine.internal.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.condition.Verdict;
import dev.hookengine.internal.Digests;
import dev.hookengine.internal.config.CompiledConfig;
import dev.hookengine.internal.config.FilePlan;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.transform.ExpressionException;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.PayloadView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Decides, for each config an event reaches, what it makes of the event: build the payload, apply
 * the filters, run the transform. Pure computation over the event and the compiled configs: nothing
 * here stores or sends anything.
 *
 * <p>A transform ({@code jsonataExpression}) must yield a JSON object, the body the receiver gets: the
 * spec describes payloads and examples ({@code ExampleResponse}) as objects, and a receiver of
 * Standard Webhooks expects one. When it yields nothing (undefined or {@code null}) the event is
 * skipped, which lets a transform filter; when it yields anything else (an array, a string, a number,
 * a boolean) the event fails with {@link OutcomeCode#JSONATA_EVALUATION_ERROR} and a message naming
 * what it yielded, and {@code getWebhookExample} refuses the same way (see {@link #transformedBody}).
 */
public final class Dispatcher {

    /**
     * The one lane of an ordered config's events without a key: all of them when the config's
     * ordering has no key expression, else those for which it yields nothing.
     */
    static final String KEYLESS_LANE = "";

    private final EntityHydrator hydrator;
    private final ExpressionLimits limits;

    public Dispatcher(EntityHydrator hydrator, ExpressionLimits limits) {
        this.hydrator = hydrator;
        this.limits = limits;
    }

    /** One dispatch per config, in the configs' order. */
    public List<Dispatch> dispatch(DomainEvent event, List<CompiledConfig> configs, Instant acceptedAt) {
        if (configs.isEmpty()) {
            return List.of();
        }
        EventPayloads payloads =
                new EventPayloads(event, hydrator, acceptedAt, UUID.randomUUID().toString());
        List<Dispatch> dispatches = new ArrayList<>(configs.size());
        for (CompiledConfig config : configs) {
            dispatches.add(dispatch(payloads, config));
        }
        return dispatches;
    }

    /** What {@code config} makes of the event behind {@code payloads}. */
    public Dispatch dispatch(EventPayloads payloads, CompiledConfig config) {
        String configId = config.stored().id();
        if (config.compileError() != null) {
            return new Dispatch.Fail(configId, null, OutcomeCode.INVALID_CONFIG.code(), config.compileError());
        }
        ObjectNode payload;
        try {
            payload = payloads.payloadFor(config.config());
        } catch (EventVersions.Unavailable e) {
            return new Dispatch.Fail(configId, null, OutcomeCode.EVENT_VERSION_UNAVAILABLE.code(), e.getMessage());
        } catch (EventPayloads.HydrationException e) {
            if (e.unavailable()) {
                // The event as published is what a later dispatch starts from: the recorder keeps it as
                // the event's original payload, and Redispatches builds the payload from it again.
                return new Dispatch.Fail(
                        configId, payloads.source(), OutcomeCode.HYDRATION_UNAVAILABLE.code(), e.getMessage());
            }
            return new Dispatch.Fail(configId, null, OutcomeCode.HYDRATION_ERROR.code(), e.getMessage());
        }
        return dispatch(payload, config);
    }

    /** What {@code config} makes of an already built payload: filters, then transform (a replay re-applies both). */
    public Dispatch dispatch(ObjectNode payload, CompiledConfig config) {
        String configId = config.stored().id();
        if (config.compileError() != null) {
            return new Dispatch.Fail(configId, payload, OutcomeCode.INVALID_CONFIG.code(), config.compileError());
        }
        PayloadView view = PayloadView.of(payload);
        try {
            Verdict verdict = config.filter().test(view, limits);
            if (!verdict.matched()) {
                return new Dispatch.Skip(configId, payload, verdict.reason());
            }
            if (config.transform() == null) {
                return withFiles(
                        config, view, new Dispatch.Deliver(configId, payload, payload, laneOf(config, view, limits)));
            }
            ObjectNode body = transformedBody(config, view, limits);
            if (body == null) {
                return new Dispatch.Skip(configId, payload, "jsonataExpression produced no output (undefined or null)");
            }
            return withFiles(config, view, new Dispatch.Deliver(configId, payload, body, laneOf(config, view, limits)));
        } catch (ExpressionException e) {
            return new Dispatch.Fail(configId, payload, e.code(), e.getMessage());
        }
    }

    /**
     * A resend of a body already delivered once (a replay that does not re-apply the transform), in the
     * lane {@code originalPayload} puts it in, as a first delivery would be.
     */
    public Dispatch resend(CompiledConfig config, ObjectNode originalPayload, JsonNode body) {
        String configId = config.stored().id();
        try {
            String lane = originalPayload == null
                    ? (config.ordered() ? KEYLESS_LANE : null)
                    : laneOf(config, PayloadView.of(originalPayload), limits);
            Dispatch.Deliver deliver = new Dispatch.Deliver(configId, originalPayload, body, lane);
            return originalPayload == null ? deliver : withFiles(config, PayloadView.of(originalPayload), deliver);
        } catch (ExpressionException e) {
            return new Dispatch.Fail(configId, originalPayload, e.code(), e.getMessage());
        }
    }

    /**
     * {@code deliver} as a file delivery of {@code config} makes it: skipped when {@code fileSource}
     * picks nothing, failed when it picks more than {@code single} allows ({@link FilePlan#pick}); as it
     * is for a plain JSON delivery. The attachments themselves are picked again and fetched when the
     * delivery is attempted.
     */
    private Dispatch withFiles(CompiledConfig config, PayloadView payload, Dispatch.Deliver deliver) {
        if (config.files() == null) {
            return deliver;
        }
        FilePlan.Pick pick = config.files().pick(payload, limits);
        if (pick instanceof FilePlan.NothingPicked nothing) {
            return new Dispatch.Skip(deliver.configId(), deliver.payload(), nothing.reason());
        }
        if (pick instanceof FilePlan.TooMany tooMany) {
            return new Dispatch.Fail(
                    deliver.configId(), deliver.payload(), OutcomeCode.TOO_MANY_ATTACHMENTS.code(), tooMany.message());
        }
        return deliver;
    }

    /**
     * The FIFO lane of a delivery of {@code config}: {@code null} when the config delivers in parallel;
     * {@link #KEYLESS_LANE} when it has no ordering key, or its key yields nothing (undefined or
     * {@code null}) for this payload; else the key's value: a string as it is, anything else as JSON
     * text. A value longer than {@link DeliveryJob#MAX_ORDERING_KEY_LENGTH}, or with a NUL in it,
     * becomes {@code sha256:} and its digest: one lane per value all the same, as text every store
     * keeps and indexes.
     *
     * @throws ExpressionException when the key fails or hits a bound; the event then fails, as for a
     *                             transform, rather than be delivered out of its lane
     */
    static String laneOf(CompiledConfig config, PayloadView view, ExpressionLimits limits) {
        if (!config.ordered()) {
            return null;
        }
        if (config.orderingKey() == null) {
            return KEYLESS_LANE;
        }
        JsonNode value;
        try {
            value = config.orderingKey().evaluate(view, limits);
        } catch (ExpressionException e) {
            throw new ExpressionException(e.outcomeCode(), "ordering key: " + e.getMessage(), e);
        }
        if (value == null || value.isNull() || value.isMissingNode()) {
            return KEYLESS_LANE;
        }
        String key = value.isTextual() ? value.textValue() : value.toString();
        // A NUL cannot be a text parameter on PostgreSQL: such a key, like an over-long one, is its digest.
        return key.length() <= DeliveryJob.MAX_ORDERING_KEY_LENGTH && key.indexOf('\u0000') < 0
                ? key
                : "sha256:" + Digests.sha256Hex(key);
    }

    /**
     * The body {@code config}'s transform makes of {@code view}, by the rule in this class's javadoc.
     *
     * @return the object, or {@code null} when the transform yields nothing (undefined or {@code null})
     * @throws ExpressionException when it fails or hits a bound, or yields something other than an
     *                             object ({@link OutcomeCode#JSONATA_EVALUATION_ERROR})
     */
    static ObjectNode transformedBody(CompiledConfig config, PayloadView view, ExpressionLimits limits) {
        JsonNode result = config.transform().evaluate(view, limits);
        if (result == null || result instanceof ObjectNode) {
            return (ObjectNode) result;
        }
        throw new ExpressionException(
                OutcomeCode.JSONATA_EVALUATION_ERROR,
                "jsonataExpression yielded " + describe(result) + "; a transform must yield a JSON object"
                        + " (or nothing, to skip the event)",
                null);
    }

    /** What kind of JSON {@code value} is, with an article, as a message names it. */
    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
