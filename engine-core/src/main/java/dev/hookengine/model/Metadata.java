package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What is known about the event that triggered a webhook (spec: {@code Metadata}). The engine fills
 * {@code webhook_id}, {@code webhook_name}, {@code organization_id}, {@code creation_timestamp} and
 * {@code correlation_id} when it builds a payload; properties the spec does not name are kept.
 *
 * @param action Action that triggered the event.
 * @param origin Origin of the event.
 * @param creationTimestamp Time of event creation, as the producer wrote it.
 * @param webhookId Id of the webhook config.
 * @param webhookName Name of the webhook config.
 * @param automationName Name of the automation that triggered the event.
 * @param organizationId The organization. Required by the spec.
 * @param userId User of a manually triggered event.
 * @param correlationId Id to track the event across systems.
 * @param executionId Automation execution id.
 * @param actionId Automation action id.
 * @param additionalProperties properties the spec does not name, kept as given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metadata(
        String action,
        String origin,
        @JsonProperty("creation_timestamp") String creationTimestamp,
        @JsonProperty("webhook_id") String webhookId,
        @JsonProperty("webhook_name") String webhookName,
        @JsonProperty("automation_name") String automationName,
        @JsonProperty("organization_id") String organizationId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("correlation_id") String correlationId,
        @JsonProperty("execution_id") String executionId,
        @JsonProperty("action_id") String actionId,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> additionalProperties) {

    public Metadata {
        additionalProperties = Models.orderedCopy(additionalProperties);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this one. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.action = action;
        builder.origin = origin;
        builder.creationTimestamp = creationTimestamp;
        builder.webhookId = webhookId;
        builder.webhookName = webhookName;
        builder.automationName = automationName;
        builder.organizationId = organizationId;
        builder.userId = userId;
        builder.correlationId = correlationId;
        builder.executionId = executionId;
        builder.actionId = actionId;
        builder.additionalProperties = additionalProperties;
        return builder;
    }

    /** Builds a {@link Metadata}. */
    public static final class Builder {
        private String action;
        private String origin;
        private String creationTimestamp;
        private String webhookId;
        private String webhookName;
        private String automationName;
        private String organizationId;
        private String userId;
        private String correlationId;
        private String executionId;
        private String actionId;
        private Map<String, JsonNode> additionalProperties;

        private Builder() {}

        /** Action that triggered the event. */
        public Builder action(String action) {
            this.action = action;
            return this;
        }

        /** Origin of the event. */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** Time of event creation, as the producer wrote it. */
        public Builder creationTimestamp(String creationTimestamp) {
            this.creationTimestamp = creationTimestamp;
            return this;
        }

        /** Id of the webhook config. */
        public Builder webhookId(String webhookId) {
            this.webhookId = webhookId;
            return this;
        }

        /** Name of the webhook config. */
        public Builder webhookName(String webhookName) {
            this.webhookName = webhookName;
            return this;
        }

        /** Name of the automation that triggered the event. */
        public Builder automationName(String automationName) {
            this.automationName = automationName;
            return this;
        }

        /** The organization. Required by the spec. */
        public Builder organizationId(String organizationId) {
            this.organizationId = organizationId;
            return this;
        }

        /** User of a manually triggered event. */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /** Id to track the event across systems. */
        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        /** Automation execution id. */
        public Builder executionId(String executionId) {
            this.executionId = executionId;
            return this;
        }

        /** Automation action id. */
        public Builder actionId(String actionId) {
            this.actionId = actionId;
            return this;
        }

        /** Properties the spec does not name, kept as given. */
        public Builder additionalProperties(Map<String, JsonNode> additionalProperties) {
            this.additionalProperties = additionalProperties;
            return this;
        }

        public Metadata build() {
            return new Metadata(
                    action,
                    origin,
                    creationTimestamp,
                    webhookId,
                    webhookName,
                    automationName,
                    organizationId,
                    userId,
                    correlationId,
                    executionId,
                    actionId,
                    additionalProperties);
        }
    }
}
