package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * How deliveries of one webhook config flow: a hookengine extension, not a schema of the webhooks
 * spec, so that a client generated from the spec never sees it in a config. The REST server serves it
 * at {@code /v1/webhooks/configs/{configId}/controls}.
 *
 * <p>Two settings, which a caller sets ({@code PUT .../controls}), and the config's delivery state,
 * which the engine sets:
 *
 * @param maxDeliveriesPerSecond the most attempts the engine starts for this config in any one second,
 *                               across every node on the store; jobs over it wait. {@code null}: no limit
 * @param ordering               FIFO delivery, per ordering key; {@code null}: none (attempts run in parallel)
 * @param paused                 whether deliveries are held ({@code POST .../pause}): new events are
 *                               recorded and queued, nothing is sent, until {@code POST .../resume}
 * @param pausedAt               when it was paused; {@code null} when it is not
 * @param disabledReason         why the engine disabled the config ({@code enabled: false}), when it did:
 *                               a 410 Gone from the receiver, or every delivery failing for the
 *                               auto-disable period; {@code null} when the engine did not disable it
 * @param disabledAt             when the engine disabled it; {@code null} with {@code disabledReason}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ConfigControls(
        Integer maxDeliveriesPerSecond,
        Ordering ordering,
        boolean paused,
        @IsoInstant Instant pausedAt,
        String disabledReason,
        @IsoInstant Instant disabledAt) {

    /** What every config starts with: no limit, no ordering, not paused, not disabled by the engine. */
    public static final ConfigControls NONE = new ConfigControls(null, null, false, null, null, null);

    /** The highest {@code maxDeliveriesPerSecond} accepted. */
    public static final int MAX_DELIVERIES_PER_SECOND = 10_000;

    /** The longest {@link Ordering#key()} expression accepted: a key is a path or a short expression. */
    public static final int MAX_ORDERING_KEY_SOURCE = 1_024;

    /**
     * FIFO delivery: events of one ordering key are delivered one at a time, in the order they were
     * published; a failing event holds back only the later events of its own key, until it succeeds
     * or its retries are exhausted. Keys proceed in parallel.
     *
     * @param key a JSONata expression over the event's payload (as built for the config, before its
     *            transform) whose value names the key (a path such as {@code entity._id} is one);
     *            {@code null}: the whole config is one key. An event for which it yields nothing goes
     *            with the other keyless events of the config; one for which it fails fails, like one
     *            whose transform fails, rather than be delivered out of its lane. A string value is the
     *            key as it is; any other value, its JSON text
     */
    public record Ordering(String key) {}

    /**
     * The two settings a caller sets ({@code PUT .../controls}); the delivery state is the engine's.
     *
     * @param maxDeliveriesPerSecond see {@link ConfigControls#maxDeliveriesPerSecond()}
     * @param ordering               see {@link ConfigControls#ordering()}
     */
    public record Settings(Integer maxDeliveriesPerSecond, Ordering ordering) {}

    /** These controls with other settings, the delivery state kept. */
    public ConfigControls withSettings(Integer maxDeliveriesPerSecond, Ordering ordering) {
        return new ConfigControls(maxDeliveriesPerSecond, ordering, paused, pausedAt, disabledReason, disabledAt);
    }

    /** These controls paused since {@code at}, or resumed when {@code at} is {@code null}. */
    public ConfigControls withPause(Instant at) {
        return new ConfigControls(maxDeliveriesPerSecond, ordering, at != null, at, disabledReason, disabledAt);
    }

    /** These controls with the reason the engine disabled the config, or without when {@code reason} is null. */
    public ConfigControls withDisabled(String reason, Instant at) {
        return new ConfigControls(
                maxDeliveriesPerSecond, ordering, paused, pausedAt, reason, reason == null ? null : at);
    }
}
