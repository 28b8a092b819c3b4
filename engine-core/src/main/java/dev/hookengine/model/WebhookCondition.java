package dev.hookengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One condition of a {@link WebhookConditionGroup} (spec: {@code WebhookCondition}): either
 * {@code field} + {@code operation} (+ {@code values}), or a {@code jsonata_expression}, never both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookCondition(
        String field,
        ConditionOperation operation,
        List<String> values,
        @JsonProperty("field_type") FieldType fieldType,
        @JsonProperty("is_array_field") Boolean isArrayField,
        @JsonProperty("repeatable_item_op") Boolean repeatableItemOp,
        @JsonProperty("jsonata_expression") String jsonataExpression) {

    public WebhookCondition {
        values = Models.listCopy(values);
    }

    /** A classic field comparison with the default field type. */
    public static WebhookCondition of(String field, ConditionOperation operation, String... values) {
        return new WebhookCondition(field, operation, List.of(values), null, null, null, null);
    }

    /** A condition that holds when {@code expression} is truthy. */
    public static WebhookCondition jsonata(String expression) {
        return new WebhookCondition(null, null, null, null, null, null, expression);
    }
}
