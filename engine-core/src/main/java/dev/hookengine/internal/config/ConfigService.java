package dev.hookengine.internal.config;

import dev.hookengine.ConflictException;
import dev.hookengine.EngineConfig;
import dev.hookengine.NotFoundException;
import dev.hookengine.ValidationException;
import dev.hookengine.WriteIntent;
import dev.hookengine.condition.ConditionValidator;
import dev.hookengine.internal.Ids;
import dev.hookengine.internal.Violations;
import dev.hookengine.internal.delivery.EgressRoutes;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Secret;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The config operations behind {@link dev.hookengine.WebhookEngine}: validation, defaults, secret
 * handling, status, protection and optimistic concurrency, over the store.
 */
public final class ConfigService {

    /** Attempts at a fresh id before giving up; a clash of 82-bit random ids is already unlikely. */
    private static final int ID_ATTEMPTS = 3;

    /** Compare-and-set rounds of a controls change before answering 409: each loses only to a write. */
    private static final int CONTROL_TRIES = 3;

    private static final String KIND = "webhook config";

    private final WebhookStore store;
    private final EngineConfig config;
    private final SecureRandom random;
    private final Ids ids;
    private final ConfigIndex index;
    private final EgressRoutes routes;

    public ConfigService(WebhookStore store, EngineConfig config, SecureRandom random, ConfigIndex index) {
        this.store = store;
        this.config = config;
        this.routes = EgressRoutes.of(config);
        this.random = random;
        this.ids = new Ids(random);
        this.index = index;
    }

    public WebhookConfig create(String orgId, WebhookConfig input) {
        requireOrg(orgId);
        ConfigValidator.validate(input);
        requireRoutes(orgId, input);
        Instant now = now();
        WebhookConfig.Builder builder = input.toBuilder()
                .creationTime(now)
                .updatedTime(now)
                .auth(ConfigSecrets.forCreate(input.auth()))
                .enabled(input.enabled() == null ? Boolean.TRUE : input.enabled())
                .retryPolicy(withDefaults(input.retryPolicy()))
                .signingSecret(Secret.of(SigningSecrets.generate(random, config.signingSecretBytes())));
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            WebhookConfig candidate = builder.id(ids.next()).status(null).build();
            WebhookConfig stored =
                    candidate.toBuilder().status(ConfigStatuses.of(candidate)).build();
            if (store.insertConfig(orgId, stored)) {
                index.invalidate(orgId);
                // The create response is the one place the signing secret is ever shown.
                return ConfigSecrets.redact(stored).toBuilder()
                        .signingSecret(stored.signingSecret())
                        .build();
            }
        }
        throw new IllegalStateException("could not find a free config id in " + ID_ATTEMPTS + " attempts");
    }

    /**
     * A config that asks for a proxy route ({@code secureProxy}, {@code enableStaticIP}) this engine
     * does not have is refused here, when it is saved, rather than failed at every delivery. Checked
     * after {@link ConfigValidator}, on a config that is otherwise valid.
     */
    private void requireRoutes(String orgId, WebhookConfig input) {
        routes.missingRoute(orgId, input).ifPresent(error -> {
            throw new ValidationException(KIND, error);
        });
    }

    public WebhookConfig get(String orgId, String configId) {
        return ConfigSecrets.redact(find(orgId, configId).config());
    }

    public List<WebhookConfig> list(String orgId, String eventName) {
        requireOrg(orgId);
        return store.listConfigs(orgId, eventName).stream()
                .map(stored -> ConfigSecrets.redact(stored.config()))
                .toList();
    }

    /** How often {@link #pinEventVersion} reads the config again after losing its compare-and-set. */
    private static final int PIN_TRIES = 5;

    /**
     * Backfills the {@code eventVersion} of a config that has none with {@code version}, the version
     * of the event about to be delivered to it (the spec: "backfilled lazily on first delivery"), by
     * the store's compare-and-set on the revision read. A lost race means someone else changed the
     * config: it is read again, and a pin found there is kept, never overwritten. The config's
     * {@code updatedTime} does not change: the engine, not a caller, wrote the pin.
     *
     * @return the config as stored with its pin; a config deleted meanwhile, or one that kept changing
     *         for {@value #PIN_TRIES} tries, comes back pinned at {@code version} for this delivery only
     */
    public StoredConfig pinEventVersion(StoredConfig read, String version) {
        StoredConfig current = read;
        for (int tries = 0; tries < PIN_TRIES; tries++) {
            if (current.config().eventVersion() != null) {
                return current;
            }
            WebhookConfig pinned =
                    current.config().toBuilder().eventVersion(version).build();
            Optional<StoredConfig> replaced = store.replaceConfig(current.orgId(), pinned, current.revision());
            if (replaced.isPresent()) {
                index.invalidate(current.orgId());
                return replaced.get();
            }
            Optional<StoredConfig> again = store.findConfig(current.orgId(), current.id());
            if (again.isEmpty()) {
                break;
            }
            current = again.get();
        }
        if (current.config().eventVersion() != null) {
            return current;
        }
        return new StoredConfig(
                current.orgId(),
                current.config().toBuilder().eventVersion(version).build(),
                current.revision(),
                current.retiredSecrets(),
                current.controls());
    }

    /**
     * Replaces a config (PUT semantics) with these exceptions: read-only fields come from the stored
     * config; omitted secrets, {@code retryPolicy}, {@code enabled}, {@code protected} and
     * {@code eventVersion} keep their stored values, so that a client that does not know a field cannot
     * reset it by accident (an omitted {@code eventVersion} would unpin the config, and its next event
     * would pin it again at whatever version is newest then).
     */
    public WebhookConfig update(String orgId, String configId, WebhookConfig input, WriteIntent intent) {
        StoredConfig existing = find(orgId, configId);
        requireIntent(existing, intent, "changed");
        ConfigValidator.validate(input);
        requireRoutes(orgId, input);
        WebhookConfig old = existing.config();
        Instant now = now();
        WebhookConfig candidate = input.toBuilder()
                .id(old.id())
                .creationTime(old.creationTime())
                .updatedTime(old.updatedTime() != null && old.updatedTime().isAfter(now) ? old.updatedTime() : now)
                .auth(ConfigSecrets.merge(input.auth(), old.auth()))
                .enabled(input.enabled() != null ? input.enabled() : old.enabled())
                .isProtected(input.isProtected() != null ? input.isProtected() : old.isProtected())
                .retryPolicy(input.retryPolicy() != null ? withDefaults(input.retryPolicy()) : old.retryPolicy())
                .eventVersion(input.eventVersion() != null ? input.eventVersion() : old.eventVersion())
                .signingSecret(old.signingSecret())
                .status(null)
                .build();
        WebhookConfig updated =
                candidate.toBuilder().status(ConfigStatuses.of(candidate)).build();
        return store.replaceConfig(orgId, updated, existing.revision())
                .map(stored -> {
                    index.invalidate(orgId);
                    if (Boolean.FALSE.equals(old.enabled()) && !Boolean.FALSE.equals(updated.enabled())) {
                        forgetDisabledReason(orgId, configId);
                    }
                    return ConfigSecrets.redact(stored.config());
                })
                .orElseThrow(() -> {
                    find(orgId, configId); // deleted meanwhile: NotFoundException
                    return new ConflictException(KIND + " '" + configId
                            + "' was changed by another request while this one was applied; read it again and retry");
                });
    }

    /**
     * Clears why the engine disabled a config that a caller has just enabled again: the controls show
     * a reason only while it holds. The store started the config's delivery health over with the
     * enable itself ({@code ConfigStore.replaceConfig}), so that no sweep disables it again for the
     * old failures. A reason the controls' compare-and-set keeps losing stays: the update itself
     * succeeded, and the reason is only shown.
     */
    private void forgetDisabledReason(String orgId, String configId) {
        try {
            changeControls(
                    orgId,
                    configId,
                    current -> current.disabledReason() == null ? current : current.withDisabled(null, null));
        } catch (ConflictException | NotFoundException e) {
            // changed or deleted meanwhile: nothing to answer the caller for
        }
    }

    /** The config's controls: its flow settings and delivery state. */
    public ConfigControls controls(String orgId, String configId) {
        return find(orgId, configId).controls();
    }

    /**
     * Sets the config's flow settings, its delivery state kept.
     *
     * @throws ValidationException naming the setting at fault; nothing changes then
     */
    public ConfigControls updateControls(String orgId, String configId, ConfigControls.Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Violations violations = new Violations();
        Integer perSecond = settings.maxDeliveriesPerSecond();
        if (perSecond != null && (perSecond < 1 || perSecond > ConfigControls.MAX_DELIVERIES_PER_SECOND)) {
            violations.add(
                    "maxDeliveriesPerSecond",
                    "must be from 1 to " + ConfigControls.MAX_DELIVERIES_PER_SECOND + ", or null for no limit");
        }
        String key = settings.ordering() == null ? null : settings.ordering().key();
        if (key != null) {
            if (key.isBlank()) {
                violations.add("ordering.key", "must not be blank; leave it null to deliver the config in one lane");
            } else if (key.length() > ConfigControls.MAX_ORDERING_KEY_SOURCE) {
                violations.maxLength("ordering.key", key, ConfigControls.MAX_ORDERING_KEY_SOURCE);
            } else {
                violations.addAll(ConditionValidator.compileErrors("ordering.key", key));
            }
        }
        violations.throwIfAny("controls");
        return changeControls(orgId, configId, current -> current.withSettings(perSecond, settings.ordering()));
    }

    /**
     * Pauses the config's deliveries: from now on its events are recorded and queued and nothing is
     * sent, on any node, until {@link #resume}. An attempt already under way finishes.
     */
    public ConfigControls pause(String orgId, String configId) {
        return changeControls(orgId, configId, current -> current.paused() ? current : current.withPause(now()));
    }

    /** Resumes a paused config: its waiting jobs go out, oldest first. */
    public ConfigControls resume(String orgId, String configId) {
        return changeControls(orgId, configId, current -> current.paused() ? current.withPause(null) : current);
    }

    /**
     * Applies {@code change} to the stored controls by compare-and-set, reading again when another
     * writer got in between: controls have no client-visible revision, so a lost race is retried here
     * rather than answered 409.
     */
    private ConfigControls changeControls(String orgId, String configId, UnaryOperator<ConfigControls> change) {
        for (int tries = 0; ; tries++) {
            StoredConfig existing = find(orgId, configId);
            ConfigControls wanted = change.apply(existing.controls());
            if (wanted.equals(existing.controls())) {
                return wanted;
            }
            Optional<StoredConfig> stored = store.replaceControls(orgId, configId, wanted, existing.revision(), now());
            if (stored.isPresent()) {
                index.invalidate(orgId);
                return stored.get().controls();
            }
            if (tries == CONTROL_TRIES) {
                throw new ConflictException(
                        KIND + " '" + configId + "' kept changing while its controls were set; try again");
            }
        }
    }

    public void delete(String orgId, String configId, WriteIntent intent) {
        StoredConfig existing = find(orgId, configId);
        requireIntent(existing, intent, "deleted");
        if (!store.deleteConfig(orgId, configId)) {
            throw new NotFoundException(KIND, configId);
        }
        index.invalidate(orgId);
    }

    /**
     * The stored config, secrets included: for the engine's own use, never to be returned as is.
     *
     * @throws NotFoundException when the organization has no config with this id
     */
    public StoredConfig find(String orgId, String configId) {
        requireOrg(orgId);
        Objects.requireNonNull(configId, "configId");
        return store.findConfig(orgId, configId).orElseThrow(() -> new NotFoundException(KIND, configId));
    }

    private static void requireIntent(StoredConfig existing, WriteIntent intent, String verb) {
        if (Boolean.TRUE.equals(existing.config().isProtected()) && intent != WriteIntent.MODIFY_PROTECTED) {
            throw new ConflictException(KIND + " '" + existing.id() + "' is protected and is not " + verb
                    + " unless the caller states that intent (WriteIntent.MODIFY_PROTECTED)");
        }
    }

    private static RetryPolicy withDefaults(RetryPolicy policy) {
        if (policy == null) {
            return RetryPolicy.DEFAULT;
        }
        return policy.maxAttempts() != null
                ? policy
                : new RetryPolicy(policy.enabled(), RetryPolicy.DEFAULT_MAX_ATTEMPTS);
    }

    private Instant now() {
        return Timestamps.now(config.clock());
    }

    /** Rejects a missing organization: every operation is scoped by one. */
    public static void requireOrg(String orgId) {
        if (orgId == null || orgId.isBlank()) {
            throw new IllegalArgumentException("orgId must not be blank");
        }
    }
}
