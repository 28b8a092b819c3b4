package dev.hookengine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.internal.CompiledConfig;
import dev.hookengine.internal.ConfigIndex;
import dev.hookengine.internal.ConfigService;
import dev.hookengine.internal.Dispatcher;
import dev.hookengine.internal.EventPayloads;
import dev.hookengine.internal.SigningService;
import dev.hookengine.model.EventConfigEntry;
import dev.hookengine.model.ExampleRequest;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.PublicKeyResponse;
import dev.hookengine.model.Secret;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.spi.EventCatalog;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.transform.ExpressionException;
import dev.hookengine.transform.ExpressionLimits;
import dev.hookengine.transform.PayloadView;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: one Java method per operation of the webhooks API, each taking the caller's
 * organization first. Every operation sees and changes only that organization's data.
 *
 * <pre>{@code
 * WebhookEngine engine = WebhookEngine.builder()
 *     .store(new InMemoryWebhookStore())
 *     .build();
 * WebhookConfig created = engine.createConfig("org-1", WebhookConfig.builder()
 *     .name("CRM sync").eventName("customer_created").url("https://crm.example.com/hooks").build());
 * }</pre>
 *
 * <p>Thread-safe. Failures are {@link WebhookEngineException}s: {@link ValidationException} for bad
 * input, {@link NotFoundException}, {@link ConflictException}. None changes anything.
 */
public final class WebhookEngine {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookEngine.class);

    private final EngineConfig config;
    private final ConfigIndex index;
    private final ConfigService configs;
    private final Dispatcher dispatcher;
    private final SigningService signing;

    private WebhookEngine(WebhookStore store, EngineConfig config) {
        SecureRandom random = new SecureRandom();
        this.config = config;
        this.index = new ConfigIndex(store, config.configRefreshInterval());
        this.configs = new ConfigService(store, config, random, index);
        this.dispatcher = new Dispatcher(config.entityHydrator(), config.expressionLimits());
        this.signing = new SigningService(store, config.clock(), random, config.signingRotationGrace(),
                config.signingKeyIssuer(), config.signingSecretBytes());
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings this engine was built with. */
    public EngineConfig config() {
        return config;
    }

    /**
     * Creates a config ({@code createConfig}). Read-only fields in {@code config} are ignored; the
     * engine assigns {@code id}, {@code creationTime}, {@code updatedTime}, {@code status}, and a new
     * {@code signingSecret}, which this response carries and no later one does. {@code enabled}
     * defaults to {@code true}, {@code retryPolicy} to enabled with 3 retries.
     *
     * @return the created config, secrets redacted but for {@code signingSecret}
     * @throws ValidationException naming every invalid field
     */
    public WebhookConfig createConfig(String orgId, WebhookConfig config) {
        return configs.create(orgId, Objects.requireNonNull(config, "config"));
    }

    /**
     * One config ({@code getConfig}), secrets redacted.
     *
     * @throws NotFoundException when the organization has no config with this id
     */
    public WebhookConfig getConfig(String orgId, String configId) {
        return configs.get(orgId, configId);
    }

    /**
     * The organization's configs, oldest first ({@code getConfigs}), secrets redacted.
     *
     * @param eventName only configs of this event, or all when {@code null}
     */
    public List<WebhookConfig> getConfigs(String orgId, String eventName) {
        return configs.list(orgId, eventName);
    }

    /** {@link #updateConfig(String, String, WebhookConfig, WriteIntent)} refusing protected configs. */
    public WebhookConfig updateConfig(String orgId, String configId, WebhookConfig config) {
        return updateConfig(orgId, configId, config, WriteIntent.DEFAULT);
    }

    /**
     * Replaces a config ({@code updateConfig}). Read-only fields come from the stored config. A secret
     * omitted from {@code config} keeps its stored value while the auth type stays the same, an
     * explicit {@code null} ({@link dev.hookengine.model.Secret#cleared()}) clears it. Omitted
     * {@code retryPolicy}, {@code enabled} and {@code protected} keep their stored values.
     *
     * @return the updated config, secrets redacted
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ConflictException   when the config is protected and {@code intent} is not
     *                             {@link WriteIntent#MODIFY_PROTECTED}, or it changed concurrently
     * @throws ValidationException naming every invalid field
     */
    public WebhookConfig updateConfig(String orgId, String configId, WebhookConfig config, WriteIntent intent) {
        return configs.update(orgId, configId, Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(intent, "intent"));
    }

    /** {@link #deleteConfig(String, String, WriteIntent)} refusing protected configs. */
    public void deleteConfig(String orgId, String configId) {
        deleteConfig(orgId, configId, WriteIntent.DEFAULT);
    }

    /**
     * Deletes a config ({@code deleteConfig}). Its events stay in the event log until retention
     * removes them.
     *
     * @throws NotFoundException when the organization has no config with this id
     * @throws ConflictException when the config is protected and {@code intent} is not
     *                           {@link WriteIntent#MODIFY_PROTECTED}
     */
    public void deleteConfig(String orgId, String configId, WriteIntent intent) {
        configs.delete(orgId, configId, Objects.requireNonNull(intent, "intent"));
    }

    /** The events configs can subscribe to, from the {@link EventCatalog} ({@code getConfiguredEvents}). */
    public List<EventConfigEntry> getConfiguredEvents(String orgId) {
        ConfigService.requireOrg(orgId);
        return config.eventCatalog().events(orgId).stream()
                .map(event -> new EventConfigEntry(event.eventName(), event.labelOrName()))
                .toList();
    }

    /**
     * Fans an event out to every enabled, active config of its organization subscribed to its name,
     * and says per config what it makes of the event: a body to deliver, a skip with its reason, or a
     * failure with its code ({@link Dispatch}). Filters and transforms run once per config, on a
     * payload built per {@code payloadConfiguration}; the {@link EntityHydrator} is called at most once
     * per event for what it provides.
     *
     * <p>Configs are read from an in-memory index, refreshed on every change made through this engine
     * and at least every {@link Builder#configRefreshInterval}.
     *
     * <p>Delivery is not part of this method yet: the bodies it returns are not sent. Durable delivery
     * with signatures and retries is the next stage of the pipeline (see the README's status).
     */
    public PublishResult publish(DomainEvent event) {
        Objects.requireNonNull(event, "event");
        List<CompiledConfig> targets = index.activeConfigs(event.orgId(), event.eventName());
        return new PublishResult(dispatcher.dispatch(event, targets, now()));
    }

    /**
     * An example of what the config's receiver gets ({@code getWebhookExample}): a payload built from
     * the {@link EventCatalog}'s example entity for the config's event (an empty entity when the
     * catalog has none), with the metadata filled in and the config's {@code payloadConfiguration}
     * applied, then passed through its transform when it has one. Filters are not applied: an example
     * is shown whatever the config would let through.
     *
     * @return the payload, or the transform's result; a JSON object unless the transform makes something else
     * @throws NotFoundException   when the organization has no config with this id
     * @throws ValidationException at {@code jsonataExpression} when the transform fails on the example
     */
    public JsonNode getWebhookExample(String orgId, String configId, ExampleRequest request) {
        StoredConfig stored = configs.find(orgId, configId);
        WebhookConfig webhook = stored.config();
        ObjectNode entity = config.eventCatalog().find(orgId, webhook.eventName())
                .map(CatalogEvent::exampleEntity)
                .orElseGet(JsonNodeFactory.instance::objectNode);
        Metadata.Builder metadata = Metadata.builder().action("example").origin("hookengine");
        if (request != null && request.automationId() != null) {
            metadata.additionalProperties(Map.of("automation_id",
                    JsonNodeFactory.instance.textNode(request.automationId())));
        }
        DomainEvent example = DomainEvent.builder(orgId, webhook.eventName())
                .metadata(metadata.build())
                .entity(entity)
                .build();
        EventPayloads payloads = new EventPayloads(example, config.entityHydrator(), now(), UUID.randomUUID().toString());
        CompiledConfig compiled = CompiledConfig.compile(stored);
        if (compiled.compileError() != null) {
            throw new ValidationException("webhook config", new FieldError("jsonataExpression", compiled.compileError()));
        }
        ObjectNode payload = payloads.payloadFor(webhook);
        if (compiled.transform() == null) {
            return payload;
        }
        try {
            JsonNode body = compiled.transform().evaluate(PayloadView.of(payload),
                    config.expressionLimits());
            return body == null ? JsonNodeFactory.instance.nullNode() : body;
        } catch (ExpressionException e) {
            throw new ValidationException("webhook config",
                    new FieldError("jsonataExpression", "fails on the example payload: " + e.getMessage()));
        }
    }

    /**
     * The organization's Ed25519 public key for verifying {@code v1a} signatures, as PEM
     * ({@code getPublicKey}). The key pair is made on first use; after a rotation this is the new key.
     *
     * @throws NotFoundException when the organization has no key and no config (the REST endpoint is
     *                           unauthenticated: it must not make keys for made-up organizations)
     */
    public PublicKeyResponse getPublicKey(String orgId) {
        return signing.publicKey(orgId);
    }

    /**
     * Makes a new Ed25519 key pair for the organization. Messages are signed with both the new and
     * the previous key for {@link Builder#signingRotationGrace} (default 24 h), then with the new one only.
     *
     * @return the new public key
     */
    public PublicKeyResponse rotateSigningKey(String orgId) {
        return signing.rotateKey(orgId);
    }

    /**
     * Gives a config a new {@code whsec_} signing secret. Messages carry {@code v1} signatures with
     * both the new and the previous secret for {@link Builder#signingRotationGrace} (default 24 h),
     * then with the new one only.
     *
     * @return the new secret, shown this once
     * @throws NotFoundException when the organization has no config with this id
     */
    public Secret rotateSigningSecret(String orgId, String configId) {
        return signing.rotateSecret(orgId, configId);
    }

    private Instant now() {
        return Timestamps.truncate(config.clock().instant());
    }

    /** Builds a {@link WebhookEngine}. Only the store is required. */
    public static final class Builder {

        /** Random bytes in a config's signing secret: 256 bits. */
        public static final int DEFAULT_SIGNING_SECRET_BYTES = 32;
        /** Longest time a config change made by another node on the same store goes unseen by publish. */
        public static final Duration DEFAULT_CONFIG_REFRESH_INTERVAL = Duration.ofSeconds(5);
        /** Bounds of every JSONata evaluation (conditions and transforms). */
        public static final ExpressionLimits DEFAULT_EXPRESSION_LIMITS = ExpressionLimits.DEFAULT;
        /** How long a rotated-out key or secret keeps signing beside the new one. */
        public static final Duration DEFAULT_SIGNING_ROTATION_GRACE = Duration.ofHours(24);
        /** The {@code issuer} that {@code getPublicKey} reports. */
        public static final String DEFAULT_SIGNING_KEY_ISSUER = "hookengine";

        private WebhookStore store;
        private Clock clock = Clock.systemUTC();
        private EventCatalog eventCatalog = EventCatalog.EMPTY;
        private EntityHydrator entityHydrator = EntityHydrator.PASS_THROUGH;
        private ExpressionLimits expressionLimits = DEFAULT_EXPRESSION_LIMITS;
        private Duration configRefreshInterval = DEFAULT_CONFIG_REFRESH_INTERVAL;
        private int signingSecretBytes = DEFAULT_SIGNING_SECRET_BYTES;
        private Duration signingRotationGrace = DEFAULT_SIGNING_ROTATION_GRACE;
        private String signingKeyIssuer = DEFAULT_SIGNING_KEY_ISSUER;

        private Builder() {
        }

        /** Where configs, events, the queue, keys and variables live. Required. */
        public Builder store(WebhookStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The time source; default {@link Clock#systemUTC()}. Tests pass a controllable clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The events configs can subscribe to; default none. */
        public Builder eventCatalog(EventCatalog eventCatalog) {
            this.eventCatalog = Objects.requireNonNull(eventCatalog, "eventCatalog");
            return this;
        }

        /** Convenience for a fixed catalog. */
        public Builder eventCatalog(List<CatalogEvent> events) {
            return eventCatalog(EventCatalog.of(events));
        }

        /** Provides full entities and relations for configs that ask for them; default {@link EntityHydrator#PASS_THROUGH}. */
        public Builder entityHydrator(EntityHydrator entityHydrator) {
            this.entityHydrator = Objects.requireNonNull(entityHydrator, "entityHydrator");
            return this;
        }

        /** Bounds of every JSONata evaluation; default {@link #DEFAULT_EXPRESSION_LIMITS}. */
        public Builder expressionLimits(ExpressionLimits expressionLimits) {
            this.expressionLimits = Objects.requireNonNull(expressionLimits, "expressionLimits");
            return this;
        }

        /**
         * How often the in-memory config index is reloaded from the store, bounding how long a change
         * made by another node goes unseen; default {@link #DEFAULT_CONFIG_REFRESH_INTERVAL}. Changes made
         * through this engine are seen at once.
         */
        public Builder configRefreshInterval(Duration configRefreshInterval) {
            this.configRefreshInterval = Objects.requireNonNull(configRefreshInterval, "configRefreshInterval");
            return this;
        }

        /**
         * Random bytes in each new signing secret, {@value SigningSecrets#MIN_BYTES} to
         * {@value SigningSecrets#MAX_BYTES}; default {@value #DEFAULT_SIGNING_SECRET_BYTES}.
         */
        public Builder signingSecretBytes(int signingSecretBytes) {
            this.signingSecretBytes = signingSecretBytes;
            return this;
        }

        /** How long a rotated-out key or secret keeps signing; default {@link #DEFAULT_SIGNING_ROTATION_GRACE}. */
        public Builder signingRotationGrace(Duration signingRotationGrace) {
            this.signingRotationGrace = Objects.requireNonNull(signingRotationGrace, "signingRotationGrace");
            return this;
        }

        /** The {@code issuer} that {@code getPublicKey} reports; default {@link #DEFAULT_SIGNING_KEY_ISSUER}. */
        public Builder signingKeyIssuer(String signingKeyIssuer) {
            this.signingKeyIssuer = Objects.requireNonNull(signingKeyIssuer, "signingKeyIssuer");
            return this;
        }

        /**
         * Validates the settings and builds the engine.
         *
         * @throws IllegalStateException when no store was given
         * @throws IllegalArgumentException when a setting is out of range
         */
        public WebhookEngine build() {
            if (store == null) {
                throw new IllegalStateException("a WebhookEngine needs a store: builder().store(...)");
            }
            if (signingSecretBytes < SigningSecrets.MIN_BYTES || signingSecretBytes > SigningSecrets.MAX_BYTES) {
                throw new IllegalArgumentException("signingSecretBytes must be " + SigningSecrets.MIN_BYTES + " to "
                        + SigningSecrets.MAX_BYTES + ", was " + signingSecretBytes);
            }
            if (configRefreshInterval.isNegative()) {
                throw new IllegalArgumentException("configRefreshInterval must not be negative, was " + configRefreshInterval);
            }
            if (signingRotationGrace.isNegative()) {
                throw new IllegalArgumentException("signingRotationGrace must not be negative, was " + signingRotationGrace);
            }
            if (signingKeyIssuer.isBlank()) {
                throw new IllegalArgumentException("signingKeyIssuer must not be blank");
            }
            EngineConfig config = new EngineConfig(clock, eventCatalog, entityHydrator, expressionLimits,
                    configRefreshInterval, signingSecretBytes, signingRotationGrace, signingKeyIssuer);
            LOG.info("hookengine built: store={}, {}", store.getClass().getName(), config);
            return new WebhookEngine(store, config);
        }
    }
}
