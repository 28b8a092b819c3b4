package dev.hookengine.internal;

import dev.hookengine.EngineConfig;
import dev.hookengine.delivery.TransportAttachmentSource;
import dev.hookengine.internal.config.ConfigDisabler;
import dev.hookengine.internal.config.ConfigIndex;
import dev.hookengine.internal.config.ConfigService;
import dev.hookengine.internal.config.FailingConfigSweep;
import dev.hookengine.internal.config.OrgVariables;
import dev.hookengine.internal.delivery.AttemptRunner;
import dev.hookengine.internal.delivery.ClaimLoop;
import dev.hookengine.internal.delivery.DeliverySettings;
import dev.hookengine.internal.delivery.DeliveryWorkers;
import dev.hookengine.internal.delivery.DestinationBreakers;
import dev.hookengine.internal.delivery.Exchange;
import dev.hookengine.internal.delivery.OAuthTokens;
import dev.hookengine.internal.delivery.SignedRequests;
import dev.hookengine.internal.event.Dispatcher;
import dev.hookengine.internal.event.EventRetention;
import dev.hookengine.internal.event.EventService;
import dev.hookengine.internal.event.Examples;
import dev.hookengine.internal.event.Redispatches;
import dev.hookengine.internal.signing.SigningService;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.WebhookStore;
import java.security.SecureRandom;

/**
 * The engine's parts, wired once: what {@code WebhookEngine}'s operations delegate to. The facade
 * holds the operations and their contracts; how the parts fit together is here, in one place.
 *
 * @param tokens the OAuth token exchange, {@code null} in an engine without a transport
 * @param claims the delivery loop, {@code null} in an engine without a transport (it only records)
 */
public record EngineParts(
        ConfigService configs,
        OrgVariables variables,
        SigningService signing,
        EventService events,
        Examples examples,
        EventRetention retention,
        FailingConfigSweep autoDisable,
        DeliveryWorkers workers,
        OAuthTokens tokens,
        ClaimLoop claims) {

    /** Builds every part over {@code store}; the delivery side only when there is a {@code transport}. */
    public static EngineParts wire(WebhookStore store, HttpTransport transport, EngineConfig config) {
        SecureRandom random = new SecureRandom();
        ConfigIndex index = new ConfigIndex(store, config.configRefreshInterval(), config.clock());
        ConfigService configs = new ConfigService(store, config, random, index);
        SigningService signing = new SigningService(
                store,
                config.clock(),
                random,
                config.signingRotationGrace(),
                config.signingKeyIssuer(),
                config.signingSecretBytes(),
                index::invalidate);
        EventRetention retention = new EventRetention(store, config.clock(), config.eventRetention());
        DeliveryWorkers workers = new DeliveryWorkers(config);
        DestinationBreakers breakers = new DestinationBreakers(
                config.breakerFailureThreshold(),
                config.breakerDelay(),
                DestinationBreakers.idlePeriod(config.lease()),
                config.clock());
        EngineMetrics metrics = new EngineMetrics(config.meterRegistry(), breakers::openCount);
        ConfigDisabler disabler = new ConfigDisabler(store, config.clock(), metrics, index::invalidate);
        OAuthTokens tokens = null;
        AttemptRunner attempts = null;
        ClaimLoop claims = null;
        if (transport != null) {
            DeliverySettings settings = DeliverySettings.of(config, "node-" + new Ids(random).next());
            tokens = new OAuthTokens(transport, config.clock(), config.attemptDeadline(), settings.routes());
            Exchange exchange = new Exchange(
                    transport,
                    new SignedRequests(store, signing, tokens, settings),
                    config.attachmentSource() != null
                            ? config.attachmentSource()
                            : new TransportAttachmentSource(transport),
                    breakers,
                    settings);
            Redispatches redispatches = new Redispatches(
                    store,
                    new Dispatcher(config.entityHydrator(), config.expressionLimits()),
                    config.entityHydrator(),
                    metrics,
                    config.retrySchedule(),
                    config.clock(),
                    workers::wake);
            attempts =
                    new AttemptRunner(store, index, exchange, metrics, settings, disabler, redispatches, workers::wake);
            claims = new ClaimLoop(store, attempts, workers.attemptThreads(), metrics, settings);
        }
        EventService events = new EventService(
                store,
                config,
                configs,
                index,
                new Dispatcher(config.entityHydrator(), config.expressionLimits()),
                attempts,
                metrics,
                workers::wake);
        return new EngineParts(
                configs,
                new OrgVariables(store),
                signing,
                events,
                new Examples(config, configs),
                retention,
                new FailingConfigSweep(store, config, disabler),
                workers,
                tokens,
                claims);
    }
}
