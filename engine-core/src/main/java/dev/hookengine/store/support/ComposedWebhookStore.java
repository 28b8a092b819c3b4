package dev.hookengine.store.support;

import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.EventStats;
import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.FailingConfig;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.RatePermit;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.SigningKeyStore;
import dev.hookengine.spi.StatsQuery;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.VariableStore;
import dev.hookengine.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link WebhookStore} assembled from one part per SPI interface, each call forwarded to the part
 * that answers it. A store that keeps each concern in a class of its own (as the in-memory and the
 * JDBC store do) extends it, hands it its parts, and keeps for itself only what is not the SPI's:
 * how it is built, closed, or bound to a caller's transaction.
 *
 * <p>It exists so that such a store is a short facade rather than forty forwarding methods. The
 * parts usually share one backing storage, which is what lets an event be appended with its jobs in
 * one write; this class adds no locking and no state of its own. It is as thread-safe as its parts.
 */
public abstract class ComposedWebhookStore implements WebhookStore {

    private final ConfigStore configs;
    private final EventStore events;
    private final DeliveryQueue queue;
    private final SigningKeyStore signingKeys;
    private final VariableStore variables;

    /** A store whose calls go to these parts; the same object may serve as several. */
    protected ComposedWebhookStore(
            ConfigStore configs,
            EventStore events,
            DeliveryQueue queue,
            SigningKeyStore signingKeys,
            VariableStore variables) {
        this.configs = Objects.requireNonNull(configs, "configs");
        this.events = Objects.requireNonNull(events, "events");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
        this.variables = Objects.requireNonNull(variables, "variables");
    }

    @Override
    public boolean insertConfig(String orgId, WebhookConfig config) {
        return configs.insertConfig(orgId, config);
    }

    @Override
    public Optional<StoredConfig> findConfig(String orgId, String configId) {
        return configs.findConfig(orgId, configId);
    }

    @Override
    public List<StoredConfig> listConfigs(String orgId, String eventName) {
        return configs.listConfigs(orgId, eventName);
    }

    @Override
    public Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision) {
        return configs.replaceConfig(orgId, config, expectedRevision);
    }

    @Override
    public Optional<StoredConfig> replaceControls(
            String orgId, String configId, ConfigControls controls, long expectedRevision, Instant now) {
        return configs.replaceControls(orgId, configId, controls, expectedRevision, now);
    }

    @Override
    public Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        return configs.rotateSigningSecret(orgId, configId, newSecret, previousExpiresAt, now);
    }

    @Override
    public boolean deleteConfig(String orgId, String configId) {
        return configs.deleteConfig(orgId, configId);
    }

    @Override
    public List<FailingConfig> failingConfigs(Instant failingSince, int minAttempts, int limit) {
        return configs.failingConfigs(failingSince, minAttempts, limit);
    }

    @Override
    public boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs) {
        return events.appendEvent(event, jobs);
    }

    @Override
    public List<Boolean> appendEvents(List<NewEvent> events) {
        return this.events.appendEvents(events);
    }

    @Override
    public Optional<WebhookEvent> findEvent(String orgId, String eventId) {
        return events.findEvent(orgId, eventId);
    }

    @Override
    public List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds) {
        return events.findEvents(orgId, eventIds);
    }

    @Override
    public EventPage searchEvents(String orgId, EventQuery query) {
        return events.searchEvents(orgId, query);
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String orgId, String eventId) {
        return events.attemptsOf(orgId, eventId);
    }

    @Override
    public EventStats deliveryStats(String orgId, StatsQuery query) {
        return events.deliveryStats(orgId, query);
    }

    @Override
    public int purgeEvents(Instant cutoff, int max) {
        return events.purgeEvents(cutoff, max);
    }

    @Override
    public Optional<IdempotencyRecord> appendEventsOnce(IdempotencyRecord record, List<NewEvent> events) {
        return this.events.appendEventsOnce(record, events);
    }

    @Override
    public int purgeIdempotencyRecords(Instant now, int max) {
        return events.purgeIdempotencyRecords(now, max);
    }

    @Override
    public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
        return queue.claim(now, max, lease, nodeId);
    }

    @Override
    public Optional<ClaimedJob> claimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId) {
        return queue.claimJob(orgId, jobId, now, lease, nodeId);
    }

    @Override
    public boolean complete(ClaimedJob claim) {
        return queue.complete(claim);
    }

    @Override
    public boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        return queue.reschedule(claim, attempt, dueAt);
    }

    @Override
    public boolean release(ClaimedJob claim) {
        return queue.release(claim);
    }

    @Override
    public Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease) {
        return queue.renewLease(claim, now, lease);
    }

    @Override
    public List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes) {
        return queue.recordOutcomes(outcomes);
    }

    @Override
    public List<DeliveryJob> jobsOfEvent(String orgId, String eventId) {
        return queue.jobsOfEvent(orgId, eventId);
    }

    @Override
    public QueueStats stats(Instant now) {
        return queue.stats(now);
    }

    @Override
    public RatePermit takePermit(String orgId, String configId, int perSecond, Instant now) {
        return queue.takePermit(orgId, configId, perSecond, now);
    }

    @Override
    public SigningKey insertKeyIfNoneCurrent(SigningKey candidate) {
        return signingKeys.insertKeyIfNoneCurrent(candidate);
    }

    @Override
    public List<SigningKey> activeKeys(String orgId, Instant now) {
        return signingKeys.activeKeys(orgId, now);
    }

    @Override
    public void rotateKey(SigningKey newKey, Instant previousExpiresAt) {
        signingKeys.rotateKey(newKey, previousExpiresAt);
    }

    @Override
    public int purgeExpiredKeys(Instant now) {
        return signingKeys.purgeExpiredKeys(now);
    }

    @Override
    public void putVariable(String orgId, String name, Secret value) {
        variables.putVariable(orgId, name, value);
    }

    @Override
    public Optional<Secret> findVariable(String orgId, String name) {
        return variables.findVariable(orgId, name);
    }

    @Override
    public boolean deleteVariable(String orgId, String name) {
        return variables.deleteVariable(orgId, name);
    }

    @Override
    public List<String> variableNames(String orgId) {
        return variables.variableNames(orgId);
    }
}
