package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Conditions combined with AND (the default) or OR (spec: {@code WebhookConditionGroup}). At most
 * {@value #MAX_CONDITIONS} conditions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookConditionGroup(
        List<WebhookCondition> conditions,
        @JsonProperty("logical_operator") LogicalOperator logicalOperator) {

    /** The spec's {@code maxItems}. */
    public static final int MAX_CONDITIONS = 10;

    public WebhookConditionGroup {
        conditions = Models.listCopy(conditions);
    }
}
