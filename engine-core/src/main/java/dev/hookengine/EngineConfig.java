package dev.hookengine;

import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.spi.AttachmentSource;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.spi.EventCatalog;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import dev.hookengine.transform.ExpressionLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The engine's settings, validated and frozen by {@link WebhookEngineBuilder#build()}. Its
 * {@code toString} is what the engine logs once at start; it holds no secrets.
 *
 * @param clock                 the time source of everything the engine timestamps or schedules
 * @param eventCatalog          the events configs can subscribe to
 * @param entityHydrator        provides full entities and relations for configs that ask for them
 * @param expressionLimits      bounds of every JSONata evaluation
 * @param configRefreshInterval how old the in-memory config index may get before a read reloads it
 * @param signingSecretBytes    random bytes in each new config's {@code whsec_} signing secret
 * @param signingRotationGrace  how long a rotated-out signing key or secret keeps signing
 * @param signingKeyIssuer      the {@code issuer} that {@code getPublicKey} reports
 * @param retrySchedule         when to retry a failed attempt
 * @param secureProxyRouter     routes {@code secureProxy} configs
 * @param staticIpProxy         the egress proxy of {@code enableStaticIP} configs, or {@code null}
 * @param attemptDeadline       hard deadline of one attempt
 * @param deliveryBatchSize     jobs claimed at once
 * @param deliveryThreads       threads making attempts in parallel
 * @param pollInterval          how often workers look for due jobs
 * @param eventRetention        how long ended events are kept
 * @param breakerFailureThreshold consecutive retryable failures that open a destination's breaker
 * @param breakerDelay          how long an open breaker holds its destination's jobs
 * @param meterRegistry         where the {@code hookengine.*} meters go
 * @param idempotencyWindow     how long a publish's idempotency key returns its first result
 * @param autoDisablePeriod     how long every delivery of a config must have failed before the engine
 *                              disables it; {@link Duration#ZERO}: never (auto-disable off)
 * @param autoDisableMinAttempts the failed attempts a config needs within that period to be disabled
 * @param attachmentSource      where file deliveries get their bytes; {@code null}: the default,
 *                              {@link dev.hookengine.delivery.TransportAttachmentSource} over the
 *                              engine's transport
 * @param maxAttachmentBytes    the most bytes of one attachment a file delivery sends; a larger one
 *                              fails the attempt with {@code ATTACHMENT_TOO_LARGE}
 * @param attachmentDeadline    how long opening and reading one attachment may take
 */
public record EngineConfig(
        Clock clock,
        EventCatalog eventCatalog,
        EntityHydrator entityHydrator,
        ExpressionLimits expressionLimits,
        Duration configRefreshInterval,
        int signingSecretBytes,
        Duration signingRotationGrace,
        String signingKeyIssuer,
        RetrySchedule retrySchedule,
        SecureProxyRouter secureProxyRouter,
        ProxyAddress staticIpProxy,
        Duration attemptDeadline,
        int deliveryBatchSize,
        int deliveryThreads,
        Duration pollInterval,
        Duration eventRetention,
        int breakerFailureThreshold,
        Duration breakerDelay,
        MeterRegistry meterRegistry,
        Duration idempotencyWindow,
        Duration autoDisablePeriod,
        int autoDisableMinAttempts,
        AttachmentSource attachmentSource,
        long maxAttachmentBytes,
        Duration attachmentDeadline) {

    public EngineConfig {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(eventCatalog, "eventCatalog");
        Objects.requireNonNull(entityHydrator, "entityHydrator");
        Objects.requireNonNull(expressionLimits, "expressionLimits");
        Objects.requireNonNull(configRefreshInterval, "configRefreshInterval");
        Objects.requireNonNull(signingRotationGrace, "signingRotationGrace");
        Objects.requireNonNull(signingKeyIssuer, "signingKeyIssuer");
        Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
        Objects.requireNonNull(autoDisablePeriod, "autoDisablePeriod");
        Objects.requireNonNull(attachmentDeadline, "attachmentDeadline");
    }

    /** Whether the engine disables configs whose deliveries keep failing: {@code autoDisablePeriod} is not zero. */
    public boolean autoDisables() {
        return !autoDisablePeriod.isZero();
    }

    /**
     * How long past an exchange's deadline the engine still waits for its transport to answer; the
     * Jetty transport ends every exchange within its deadline plus 2 s.
     */
    public static final Duration EXCHANGE_GRACE = Duration.ofSeconds(2);

    /**
     * How long a claim holds a job: two exchanges' worth, {@code 2 × (attemptDeadline + 2 s)} (34 s
     * with the default 15 s deadline). The first exchange starts right after the claim; a later one
     * in the same attempt (after a slow OAuth token request, or the resend after a 401) renews the
     * lease first when what is left would not cover it. A dead node's jobs come free one lease after
     * its last claim or renewal, and are taken over at the next poll of another node: the takeover
     * bound is {@code lease() + pollInterval()}.
     */
    public Duration lease() {
        return attemptDeadline.plus(EXCHANGE_GRACE).multipliedBy(2);
    }
}
