package dev.hookengine.store.tck;

import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link WebhookStore} that forwards every call to another one. Tests override the methods they
 * need to observe or disturb (a concurrent write landing between a read and a write, a store failing
 * at one step) while the real store does the rest.
 */
public class ForwardingWebhookStore implements WebhookStore {

    private final WebhookStore delegate;

    public ForwardingWebhookStore(WebhookStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store calls are forwarded to. */
    protected WebhookStore delegate() {
        return delegate;
    }

    @Override
    public boolean insertConfig(String orgId, WebhookConfig config) {
        return delegate.insertConfig(orgId, config);
    }

    @Override
    public Optional<StoredConfig> findConfig(String orgId, String configId) {
        return delegate.findConfig(orgId, configId);
    }

    @Override
    public List<StoredConfig> listConfigs(String orgId, String eventName) {
        return delegate.listConfigs(orgId, eventName);
    }

    @Override
    public Optional<StoredConfig> replaceConfig(String orgId, WebhookConfig config, long expectedRevision) {
        return delegate.replaceConfig(orgId, config, expectedRevision);
    }

    @Override
    public Optional<StoredConfig> rotateSigningSecret(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        return delegate.rotateSigningSecret(orgId, configId, newSecret, previousExpiresAt, now);
    }

    @Override
    public boolean deleteConfig(String orgId, String configId) {
        return delegate.deleteConfig(orgId, configId);
    }

    @Override
    public boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs) {
        return delegate.appendEvent(event, jobs);
    }

    @Override
    public Optional<WebhookEvent> findEvent(String orgId, String eventId) {
        return delegate.findEvent(orgId, eventId);
    }

    @Override
    public List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds) {
        return delegate.findEvents(orgId, eventIds);
    }

    @Override
    public EventPage searchEvents(String orgId, EventQuery query) {
        return delegate.searchEvents(orgId, query);
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String orgId, String eventId) {
        return delegate.attemptsOf(orgId, eventId);
    }

    @Override
    public int purgeEvents(Instant cutoff, int max) {
        return delegate.purgeEvents(cutoff, max);
    }

    @Override
    public List<ClaimedJob> claim(Instant now, int max, Duration lease, String nodeId) {
        return delegate.claim(now, max, lease, nodeId);
    }

    @Override
    public Optional<ClaimedJob> claimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId) {
        return delegate.claimJob(orgId, jobId, now, lease, nodeId);
    }

    @Override
    public boolean complete(ClaimedJob claim) {
        return delegate.complete(claim);
    }

    @Override
    public List<Boolean> recordOutcomes(List<AttemptOutcome> outcomes) {
        return delegate.recordOutcomes(outcomes);
    }

    @Override
    public boolean reschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        return delegate.reschedule(claim, attempt, dueAt);
    }

    @Override
    public boolean release(ClaimedJob claim) {
        return delegate.release(claim);
    }

    @Override
    public Optional<ClaimedJob> renewLease(ClaimedJob claim, Instant now, Duration lease) {
        return delegate.renewLease(claim, now, lease);
    }

    @Override
    public List<DeliveryJob> jobsOfEvent(String orgId, String eventId) {
        return delegate.jobsOfEvent(orgId, eventId);
    }

    @Override
    public QueueStats stats(Instant now) {
        return delegate.stats(now);
    }

    @Override
    public SigningKey insertKeyIfNoneCurrent(SigningKey candidate) {
        return delegate.insertKeyIfNoneCurrent(candidate);
    }

    @Override
    public List<SigningKey> activeKeys(String orgId, Instant now) {
        return delegate.activeKeys(orgId, now);
    }

    @Override
    public void rotateKey(SigningKey newKey, Instant previousExpiresAt) {
        delegate.rotateKey(newKey, previousExpiresAt);
    }

    @Override
    public int purgeExpiredKeys(Instant now) {
        return delegate.purgeExpiredKeys(now);
    }

    @Override
    public void putVariable(String orgId, String name, Secret value) {
        delegate.putVariable(orgId, name, value);
    }

    @Override
    public Optional<Secret> findVariable(String orgId, String name) {
        return delegate.findVariable(orgId, name);
    }

    @Override
    public boolean deleteVariable(String orgId, String name) {
        return delegate.deleteVariable(orgId, name);
    }

    @Override
    public List<String> variableNames(String orgId) {
        return delegate.variableNames(orgId);
    }
}
