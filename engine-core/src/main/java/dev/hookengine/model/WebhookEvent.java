package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One delivery of one config: what was sent, to where, and how it ended (spec: {@code WebhookEvent}).
 * JSON names are the spec's, snake_case. {@code payload} is the body exactly as sent;
 * {@code original_payload} the input before the JSONata transform.
 *
 * @param eventId Unique id; also the {@code webhook-id} header, stable across retries.
 * @param orgId The organization.
 * @param webhookConfigId The config that produced the event.
 * @param url Receiver URL as configured (env references unresolved).
 * @param createdAt When the event was accepted; millisecond precision.
 * @param eventName The domain event name.
 * @param httpResponse Outcome of the last attempt.
 * @param metadata The payload's metadata.
 * @param status {@code in_progress} until it ends succeeded, failed or skipped.
 * @param httpMethod Method of the delivery request.
 * @param payload The body as sent.
 * @param originalPayload The input before the transform.
 * @param retryAttempt Retries that preceded the latest outcome; 0 for the first attempt.
 * @param canReapplyTransform Whether a replay can re-run the transform.
 * @param canReapplyTransformReason Why, or why not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookEvent(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("webhook_config_id") String webhookConfigId,
        String url,
        @JsonProperty("created_at") @IsoInstant Instant createdAt,
        @JsonProperty("event_name") String eventName,
        @JsonProperty("http_response") EventHttpResponse httpResponse,
        Metadata metadata,
        EventStatus status,
        @JsonProperty("http_method") HttpMethod httpMethod,
        String payload,
        @JsonProperty("original_payload") String originalPayload,
        @JsonProperty("retry_attempt") Integer retryAttempt,
        @JsonProperty("can_reapply_transform") Boolean canReapplyTransform,
        @JsonProperty("can_reapply_transform_reason") ReapplyTransformReason canReapplyTransformReason) {

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this one. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.eventId = eventId;
        builder.orgId = orgId;
        builder.webhookConfigId = webhookConfigId;
        builder.url = url;
        builder.createdAt = createdAt;
        builder.eventName = eventName;
        builder.httpResponse = httpResponse;
        builder.metadata = metadata;
        builder.status = status;
        builder.httpMethod = httpMethod;
        builder.payload = payload;
        builder.originalPayload = originalPayload;
        builder.retryAttempt = retryAttempt;
        builder.canReapplyTransform = canReapplyTransform;
        builder.canReapplyTransformReason = canReapplyTransformReason;
        return builder;
    }

    /** Builds a {@link WebhookEvent}. */
    public static final class Builder {
        private String eventId;
        private String orgId;
        private String webhookConfigId;
        private String url;
        private Instant createdAt;
        private String eventName;
        private EventHttpResponse httpResponse;
        private Metadata metadata;
        private EventStatus status;
        private HttpMethod httpMethod;
        private String payload;
        private String originalPayload;
        private Integer retryAttempt;
        private Boolean canReapplyTransform;
        private ReapplyTransformReason canReapplyTransformReason;

        private Builder() {}

        /** Unique id; also the {@code webhook-id} header, stable across retries. */
        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        /** The organization. */
        public Builder orgId(String orgId) {
            this.orgId = orgId;
            return this;
        }

        /** The config that produced the event. */
        public Builder webhookConfigId(String webhookConfigId) {
            this.webhookConfigId = webhookConfigId;
            return this;
        }

        /** Receiver URL as configured (env references unresolved). */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** When the event was accepted; millisecond precision. */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /** The domain event name. */
        public Builder eventName(String eventName) {
            this.eventName = eventName;
            return this;
        }

        /** Outcome of the last attempt. */
        public Builder httpResponse(EventHttpResponse httpResponse) {
            this.httpResponse = httpResponse;
            return this;
        }

        /** The payload's metadata. */
        public Builder metadata(Metadata metadata) {
            this.metadata = metadata;
            return this;
        }

        /** {@code in_progress} until it ends succeeded, failed or skipped. */
        public Builder status(EventStatus status) {
            this.status = status;
            return this;
        }

        /** Method of the delivery request. */
        public Builder httpMethod(HttpMethod httpMethod) {
            this.httpMethod = httpMethod;
            return this;
        }

        /** The body as sent. */
        public Builder payload(String payload) {
            this.payload = payload;
            return this;
        }

        /** The input before the transform. */
        public Builder originalPayload(String originalPayload) {
            this.originalPayload = originalPayload;
            return this;
        }

        /** Retries that preceded the latest outcome; 0 for the first attempt. */
        public Builder retryAttempt(Integer retryAttempt) {
            this.retryAttempt = retryAttempt;
            return this;
        }

        /** Whether a replay can re-run the transform. */
        public Builder canReapplyTransform(Boolean canReapplyTransform) {
            this.canReapplyTransform = canReapplyTransform;
            return this;
        }

        /** Why, or why not. */
        public Builder canReapplyTransformReason(ReapplyTransformReason canReapplyTransformReason) {
            this.canReapplyTransformReason = canReapplyTransformReason;
            return this;
        }

        public WebhookEvent build() {
            return new WebhookEvent(
                    eventId,
                    orgId,
                    webhookConfigId,
                    url,
                    createdAt,
                    eventName,
                    httpResponse,
                    metadata,
                    status,
                    httpMethod,
                    payload,
                    originalPayload,
                    retryAttempt,
                    canReapplyTransform,
                    canReapplyTransformReason);
        }
    }
}
