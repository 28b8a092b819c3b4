package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription: which event, where to, how to authenticate, filter and shape it (spec:
 * {@code WebhookConfig}). JSON names are the spec's, camelCase; absent fields stay absent when
 * written back.
 *
 * <p>Build one with {@link #builder()}; derive a changed copy with {@link #toBuilder()}.
 *
 * @param id Short URL-safe id, assigned on create. Read-only.
 * @param name Display name. Required.
 * @param eventName The event this config subscribes to. Required.
 * @param eventVersion Pinned event catalog version, {@code MAJOR.MINOR}.
 * @param url Receiver URL; may hold {@code {{ env.NAME }}} references.
 * @param creationTime When the config was created. Read-only.
 * @param updatedTime When the config last changed. Read-only.
 * @param httpMethod Method of the delivery request; absent means POST.
 * @param enabled Whether the config delivers.
 * @param auth How to authenticate to the receiver.
 * @param filter The legacy filter.
 * @param payloadConfiguration What the payload includes, and custom headers.
 * @param enableStaticIP Send through the configured egress proxy.
 * @param isProtected Refuse update and delete unless the caller states intent.
 * @param secureProxy Send through a secure proxy; wins over {@code enableStaticIP}.
 * @param status Computed by the engine. Read-only.
 * @param jsonataExpression JSONata transform whose result is the body.
 * @param deliveryMode How file data is delivered.
 * @param multipartConfig Shape of a {@code binary_multipart} delivery.
 * @param retryPolicy Automatic retries of transient failures.
 * @param filterConditions Conditions the event must meet.
 * @param manifest Manifest ids that created or updated the config.
 * @param signingSecret {@code whsec_} secret for {@code v1} signatures; only in the create response.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookConfig(
        String id,
        String name,
        String eventName,
        String eventVersion,
        String url,
        @IsoInstant Instant creationTime,
        @IsoInstant Instant updatedTime,
        HttpMethod httpMethod,
        Boolean enabled,
        Auth auth,
        Filter filter,
        PayloadConfiguration payloadConfiguration,
        @JsonProperty("enableStaticIP") Boolean enableStaticIP,
        @JsonProperty("protected") Boolean isProtected,
        SecureProxy secureProxy,
        ConfigStatus status,
        String jsonataExpression,
        DeliveryMode deliveryMode,
        MultipartConfig multipartConfig,
        RetryPolicy retryPolicy,
        WebhookConditionGroup filterConditions,
        @JsonProperty("_manifest") List<String> manifest,
        Secret signingSecret) {

    public WebhookConfig {
        manifest = Models.listCopy(manifest);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this config. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.id = id;
        builder.name = name;
        builder.eventName = eventName;
        builder.eventVersion = eventVersion;
        builder.url = url;
        builder.creationTime = creationTime;
        builder.updatedTime = updatedTime;
        builder.httpMethod = httpMethod;
        builder.enabled = enabled;
        builder.auth = auth;
        builder.filter = filter;
        builder.payloadConfiguration = payloadConfiguration;
        builder.enableStaticIP = enableStaticIP;
        builder.isProtected = isProtected;
        builder.secureProxy = secureProxy;
        builder.status = status;
        builder.jsonataExpression = jsonataExpression;
        builder.deliveryMode = deliveryMode;
        builder.multipartConfig = multipartConfig;
        builder.retryPolicy = retryPolicy;
        builder.filterConditions = filterConditions;
        builder.manifest = manifest;
        builder.signingSecret = signingSecret;
        return builder;
    }

    /** Builds a {@link WebhookConfig}; every field is optional here, validation is the engine's. */
    public static final class Builder {
        private String id;
        private String name;
        private String eventName;
        private String eventVersion;
        private String url;
        private Instant creationTime;
        private Instant updatedTime;
        private HttpMethod httpMethod;
        private Boolean enabled;
        private Auth auth;
        private Filter filter;
        private PayloadConfiguration payloadConfiguration;
        private Boolean enableStaticIP;
        private Boolean isProtected;
        private SecureProxy secureProxy;
        private ConfigStatus status;
        private String jsonataExpression;
        private DeliveryMode deliveryMode;
        private MultipartConfig multipartConfig;
        private RetryPolicy retryPolicy;
        private WebhookConditionGroup filterConditions;
        private List<String> manifest;
        private Secret signingSecret;

        private Builder() {}

        /** Short URL-safe id, assigned on create. Read-only. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Display name. Required. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The event this config subscribes to. Required. */
        public Builder eventName(String eventName) {
            this.eventName = eventName;
            return this;
        }

        /** Pinned event catalog version, {@code MAJOR.MINOR}. */
        public Builder eventVersion(String eventVersion) {
            this.eventVersion = eventVersion;
            return this;
        }

        /** Receiver URL; may hold {@code {{ env.NAME }}} references. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** When the config was created. Read-only. */
        public Builder creationTime(Instant creationTime) {
            this.creationTime = creationTime;
            return this;
        }

        /** When the config last changed. Read-only. */
        public Builder updatedTime(Instant updatedTime) {
            this.updatedTime = updatedTime;
            return this;
        }

        /** Method of the delivery request; absent means POST. */
        public Builder httpMethod(HttpMethod httpMethod) {
            this.httpMethod = httpMethod;
            return this;
        }

        /** Whether the config delivers. */
        public Builder enabled(Boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** How to authenticate to the receiver. */
        public Builder auth(Auth auth) {
            this.auth = auth;
            return this;
        }

        /** The legacy filter. */
        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        /** What the payload includes, and custom headers. */
        public Builder payloadConfiguration(PayloadConfiguration payloadConfiguration) {
            this.payloadConfiguration = payloadConfiguration;
            return this;
        }

        /** Send through the configured egress proxy. */
        public Builder enableStaticIP(Boolean enableStaticIP) {
            this.enableStaticIP = enableStaticIP;
            return this;
        }

        /** Refuse update and delete unless the caller states intent. */
        public Builder isProtected(Boolean isProtected) {
            this.isProtected = isProtected;
            return this;
        }

        /** Send through a secure proxy; wins over {@code enableStaticIP}. */
        public Builder secureProxy(SecureProxy secureProxy) {
            this.secureProxy = secureProxy;
            return this;
        }

        /** Computed by the engine. Read-only. */
        public Builder status(ConfigStatus status) {
            this.status = status;
            return this;
        }

        /** JSONata transform whose result is the body. */
        public Builder jsonataExpression(String jsonataExpression) {
            this.jsonataExpression = jsonataExpression;
            return this;
        }

        /** How file data is delivered. */
        public Builder deliveryMode(DeliveryMode deliveryMode) {
            this.deliveryMode = deliveryMode;
            return this;
        }

        /** Shape of a {@code binary_multipart} delivery. */
        public Builder multipartConfig(MultipartConfig multipartConfig) {
            this.multipartConfig = multipartConfig;
            return this;
        }

        /** Automatic retries of transient failures. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        /** Conditions the event must meet. */
        public Builder filterConditions(WebhookConditionGroup filterConditions) {
            this.filterConditions = filterConditions;
            return this;
        }

        /** Manifest ids that created or updated the config. */
        public Builder manifest(List<String> manifest) {
            this.manifest = manifest;
            return this;
        }

        /** {@code whsec_} secret for {@code v1} signatures; only in the create response. */
        public Builder signingSecret(Secret signingSecret) {
            this.signingSecret = signingSecret;
            return this;
        }

        public WebhookConfig build() {
            return new WebhookConfig(
                    id,
                    name,
                    eventName,
                    eventVersion,
                    url,
                    creationTime,
                    updatedTime,
                    httpMethod,
                    enabled,
                    auth,
                    filter,
                    payloadConfiguration,
                    enableStaticIP,
                    isProtected,
                    secureProxy,
                    status,
                    jsonataExpression,
                    deliveryMode,
                    multipartConfig,
                    retryPolicy,
                    filterConditions,
                    manifest,
                    signingSecret);
        }
    }
}
