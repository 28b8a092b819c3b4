package dev.hookengine;

import dev.hookengine.internal.ConfigService;
import dev.hookengine.model.EventConfigEntry;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.spi.CatalogEvent;
import dev.hookengine.spi.EventCatalog;
import dev.hookengine.spi.WebhookStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
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
    private final ConfigService configs;

    private WebhookEngine(WebhookStore store, EngineConfig config) {
        this.config = config;
        this.configs = new ConfigService(store, config, new SecureRandom());
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

    /** Builds a {@link WebhookEngine}. Only the store is required. */
    public static final class Builder {

        /** Random bytes in a config's signing secret: 256 bits. */
        public static final int DEFAULT_SIGNING_SECRET_BYTES = 32;

        private WebhookStore store;
        private Clock clock = Clock.systemUTC();
        private EventCatalog eventCatalog = EventCatalog.EMPTY;
        private int signingSecretBytes = DEFAULT_SIGNING_SECRET_BYTES;

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

        /**
         * Random bytes in each new signing secret, {@value SigningSecrets#MIN_BYTES} to
         * {@value SigningSecrets#MAX_BYTES}; default {@value #DEFAULT_SIGNING_SECRET_BYTES}.
         */
        public Builder signingSecretBytes(int signingSecretBytes) {
            this.signingSecretBytes = signingSecretBytes;
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
            EngineConfig config = new EngineConfig(clock, eventCatalog, signingSecretBytes);
            LOG.info("hookengine built: store={}, clock={}, signingSecretBytes={}",
                    store.getClass().getName(), clock, signingSecretBytes);
            return new WebhookEngine(store, config);
        }
    }
}
