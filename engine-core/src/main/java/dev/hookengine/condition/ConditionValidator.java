package dev.hookengine.condition;

import dev.hookengine.internal.Violations;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.transform.JsonataExpression;
import java.util.List;

/**
 * Checks {@code filterConditions} when a config is saved, so that a config that is stored can always
 * be evaluated. Errors name the field path, such as {@code filterConditions.conditions[3].values[0]}.
 */
public final class ConditionValidator {

    /** The spec's {@code maxLength} of a condition's {@code jsonata_expression}. */
    public static final int MAX_EXPRESSION_LENGTH = 15_000;

    private ConditionValidator() {
    }

    /** Records every problem of {@code group}, found at {@code path}, in {@code violations}. */
    public static void validate(WebhookConditionGroup group, String path, Violations violations) {
        List<WebhookCondition> conditions = group.conditions();
        if (conditions == null) {
            return;
        }
        if (conditions.size() > WebhookConditionGroup.MAX_CONDITIONS) {
            violations.add(path + ".conditions", "must have at most " + WebhookConditionGroup.MAX_CONDITIONS
                    + " conditions, had " + conditions.size());
        }
        for (int i = 0; i < conditions.size(); i++) {
            String at = path + ".conditions[" + i + "]";
            WebhookCondition condition = conditions.get(i);
            if (condition == null) {
                violations.add(at, "must not be null");
            } else {
                validate(condition, at, violations);
            }
        }
    }

    private static void validate(WebhookCondition condition, String at, Violations violations) {
        boolean classic = condition.field() != null || condition.operation() != null;
        if (condition.jsonataExpression() != null) {
            if (classic || condition.values() != null) {
                violations.add(at, "has both jsonata_expression and field/operation/values; a condition is one or the other");
                return;
            }
            String expression = condition.jsonataExpression();
            if (violations.require(at + ".jsonata_expression", expression)) {
                if (expression.length() > MAX_EXPRESSION_LENGTH) {
                    violations.maxLength(at + ".jsonata_expression", expression, MAX_EXPRESSION_LENGTH);
                } else {
                    requireCompiles(at + ".jsonata_expression", expression, violations);
                }
            }
            return;
        }
        if (!classic) {
            violations.add(at, "needs either field and operation, or jsonata_expression");
            return;
        }
        if (violations.require(at + ".field", condition.field())) {
            try {
                FieldPath.parse(condition.field());
            } catch (IllegalArgumentException e) {
                violations.add(at + ".field", e.getMessage());
            }
        }
        ConditionOperation operation = condition.operation();
        if (!violations.require(at + ".operation", operation)) {
            return;
        }
        FieldType type = condition.fieldType() == null ? FieldType.STRING : condition.fieldType();
        boolean length = Operations.isLength(operation);
        if (!length && !Operations.fieldTypes(operation).contains(type)) {
            violations.add(at + ".field_type", operation.wireName() + " is not defined for field_type "
                    + type.wireName() + "; use one of " + Operations.fieldTypes(operation).stream()
                    .map(FieldType::wireName).toList());
        }
        validateValues(condition.values(), operation, type, length, at, violations);
    }

    private static void validateValues(List<String> values, ConditionOperation operation, FieldType type,
                                       boolean length, String at, Violations violations) {
        int count = values == null ? 0 : values.size();
        switch (Operations.arity(operation)) {
            case NONE -> {
                if (count > 0) {
                    violations.add(at + ".values", operation.wireName() + " takes no values, got " + count);
                }
                return;
            }
            case ONE -> {
                if (count != 1) {
                    violations.add(at + ".values", operation.wireName() + " takes exactly 1 value, got " + count);
                    if (count == 0) {
                        return;
                    }
                }
            }
            case AT_LEAST_ONE -> {
                if (count == 0) {
                    violations.add(at + ".values", operation.wireName() + " takes at least 1 value, got 0");
                    return;
                }
            }
        }
        for (int v = 0; v < values.size(); v++) {
            String valuePath = at + ".values[" + v + "]";
            String value = values.get(v);
            if (value == null) {
                violations.add(valuePath, "must not be null");
            } else if (length) {
                if (!isNonNegativeInteger(value)) {
                    violations.add(valuePath, "'" + value + "' is not a non-negative integer, which "
                            + operation.wireName() + " compares the item count with");
                }
            } else {
                try {
                    FieldTypes.parse(type, value);
                } catch (IllegalArgumentException e) {
                    violations.add(valuePath, e.getMessage());
                }
            }
        }
    }

    /** Records {@code path} when {@code expression} is not valid JSONata, with the parser's reason. */
    public static void requireCompiles(String path, String expression, Violations violations) {
        try {
            JsonataExpression.compile(expression);
        } catch (IllegalArgumentException e) {
            violations.add(path, e.getMessage());
        }
    }

    private static boolean isNonNegativeInteger(String value) {
        return !value.isEmpty() && value.length() <= 9 && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
