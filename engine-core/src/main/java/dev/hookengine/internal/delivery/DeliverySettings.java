package dev.hookengine.internal.delivery;

import dev.hookengine.EngineConfig;
import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import dev.hookengine.transform.ExpressionLimits;
import java.time.Clock;
import java.time.Duration;

/**
 * What the delivery classes read of the engine's settings, fixed when the engine is built: the
 * {@link EngineConfig} fields they use, the lease derived from the attempt deadline, and this node's
 * id. One value passed to each of them instead of a long list of constructor arguments.
 *
 * @param clock           the time source of claims, leases and recorded attempts
 * @param retrySchedule   when a retryable attempt is tried again
 * @param secureProxies   routes {@code secureProxy} configs
 * @param staticIpProxy   the egress proxy of {@code enableStaticIP} configs, or {@code null}
 * @param attemptDeadline hard deadline of one exchange with a receiver
 * @param lease           how long a claim holds a job: {@link dev.hookengine.EngineConfig#lease()}
 * @param threads         delivery threads, hence attempts in flight at most
 * @param batchSize       jobs claimed at once, never more than {@code threads}
 * @param nodeId          this engine's name in the claims it makes
 * @param expressionLimits   bounds of the JSONata a file delivery evaluates ({@code fileSource},
 *                           {@code extraFields})
 * @param maxAttachmentBytes the most bytes of one attachment a file delivery sends
 * @param attachmentDeadline how long opening and reading one attachment may take
 */
public record DeliverySettings(
        Clock clock,
        RetrySchedule retrySchedule,
        SecureProxyRouter secureProxies,
        ProxyAddress staticIpProxy,
        Duration attemptDeadline,
        Duration lease,
        int threads,
        int batchSize,
        String nodeId,
        ExpressionLimits expressionLimits,
        long maxAttachmentBytes,
        Duration attachmentDeadline) {

    /** The proxy routes of {@code secureProxy} and {@code enableStaticIP} configs. */
    public EgressRoutes routes() {
        return new EgressRoutes(secureProxies, staticIpProxy);
    }

    /** The settings of an engine built with {@code config}, for the node named {@code nodeId}. */
    public static DeliverySettings of(EngineConfig config, String nodeId) {
        // More jobs claimed than threads to run them would wait for a thread while their lease runs.
        return new DeliverySettings(
                config.clock(),
                config.retrySchedule(),
                config.secureProxyRouter(),
                config.staticIpProxy(),
                config.attemptDeadline(),
                config.lease(),
                config.deliveryThreads(),
                Math.min(config.deliveryBatchSize(), config.deliveryThreads()),
                nodeId,
                config.expressionLimits(),
                config.maxAttachmentBytes(),
                config.attachmentDeadline());
    }
}
