package dev.hookengine.condition;

import dev.hookengine.FieldError;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.transform.JsonataExpression;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks {@code filterConditions} when a config is saved, so that a config that is stored can always
 * be evaluated. Errors name the field path, such as {@code filterConditions.conditions[3].values[0]};
 * they are returned, for the caller to report with the rest of its request's errors.
 */
public final class ConditionValidator {

    /** The spec's {@code maxLength} of a condition's {@code jsonata_expression}. */
    public static final int MAX_EXPRESSION_LENGTH = 15_000;

    private ConditionValidator() {}

    /** Every problem of {@code group}, found at {@code path}; empty when there is none. */
    public static List<FieldError> validate(WebhookConditionGroup group, String path) {
        List<FieldError> violations = new ArrayList<>();
        List<WebhookCondition> conditions = group.conditions();
        if (conditions == null) {
            return violations;
        }
        if (conditions.size() > WebhookConditionGroup.MAX_CONDITIONS) {
            violations.add(new FieldError(
                    path + ".conditions",
                    "must have at most " + WebhookConditionGroup.MAX_CONDITIONS + " conditions, had "
                            + conditions.size()));
        }
        for (int i = 0; i < conditions.size(); i++) {
            String at = path + ".conditions[" + i + "]";
            WebhookCondition condition = conditions.get(i);
            if (condition == null) {
                violations.add(new FieldError(at, "must not be null"));
            } else {
                validate(condition, at, violations);
            }
        }
        return violations;
    }

    private static void validate(WebhookCondition condition, String at, List<FieldError> violations) {
        boolean classic = condition.field() != null || condition.operation() != null;
        if (condition.jsonataExpression() != null) {
            if (classic || condition.values() != null) {
                violations.add(new FieldError(
                        at, "has both jsonata_expression and field/operation/values; a condition is one or the other"));
                return;
            }
            String expression = condition.jsonataExpression();
            if (isPresent(at + ".jsonata_expression", expression, violations)) {
                if (expression.length() > MAX_EXPRESSION_LENGTH) {
                    violations.add(new FieldError(
                            at + ".jsonata_expression",
                            "must be at most " + MAX_EXPRESSION_LENGTH + " characters, was " + expression.length()));
                } else {
                    violations.addAll(compileErrors(at + ".jsonata_expression", expression));
                }
            }
            return;
        }
        if (!classic) {
            violations.add(new FieldError(at, "needs either field and operation, or jsonata_expression"));
            return;
        }
        if (isPresent(at + ".field", condition.field(), violations)) {
            try {
                FieldPath.parse(condition.field());
            } catch (IllegalArgumentException e) {
                violations.add(new FieldError(at + ".field", e.getMessage()));
            }
        }
        ConditionOperation operation = condition.operation();
        if (operation == null) {
            violations.add(new FieldError(at + ".operation", "is required"));
            return;
        }
        FieldType type = condition.fieldType() == null ? FieldType.STRING : condition.fieldType();
        boolean length = Operations.isLength(operation);
        if (!length && !Operations.fieldTypes(operation).contains(type)) {
            violations.add(new FieldError(
                    at + ".field_type",
                    operation.wireName() + " is not defined for field_type "
                            + type.wireName() + "; use one of "
                            + Operations.fieldTypes(operation).stream()
                                    .map(FieldType::wireName)
                                    .toList()));
        }
        validateValues(condition.values(), operation, type, length, at, violations);
    }

    private static void validateValues(
            List<String> values,
            ConditionOperation operation,
            FieldType type,
            boolean length,
            String at,
            List<FieldError> violations) {
        int count = values == null ? 0 : values.size();
        switch (Operations.arity(operation)) {
            case NONE -> {
                if (count > 0) {
                    violations.add(
                            new FieldError(at + ".values", operation.wireName() + " takes no values, got " + count));
                }
                return;
            }
            case ONE -> {
                if (count != 1) {
                    violations.add(new FieldError(
                            at + ".values", operation.wireName() + " takes exactly 1 value, got " + count));
                    if (count == 0) {
                        return;
                    }
                }
            }
            case AT_LEAST_ONE -> {
                if (count == 0) {
                    violations.add(
                            new FieldError(at + ".values", operation.wireName() + " takes at least 1 value, got 0"));
                    return;
                }
            }
        }
        for (int v = 0; v < values.size(); v++) {
            String valuePath = at + ".values[" + v + "]";
            String value = values.get(v);
            if (value == null) {
                violations.add(new FieldError(valuePath, "must not be null"));
            } else if (length) {
                if (!isNonNegativeInteger(value)) {
                    violations.add(new FieldError(
                            valuePath,
                            "'" + value + "' is not a non-negative integer, which " + operation.wireName()
                                    + " compares the item count with"));
                }
            } else {
                try {
                    FieldTypes.parse(type, value);
                } catch (IllegalArgumentException e) {
                    violations.add(new FieldError(valuePath, e.getMessage()));
                }
            }
        }
    }

    /** The error at {@code path} when {@code expression} is not valid JSONata, with the parser's reason; else none. */
    public static List<FieldError> compileErrors(String path, String expression) {
        try {
            JsonataExpression.compile(expression);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(new FieldError(path, e.getMessage()));
        }
    }

    /** Whether {@code value} is there and not blank; records at {@code path} why when it is not. */
    private static boolean isPresent(String path, String value, List<FieldError> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new FieldError(path, value == null ? "is required" : "must not be blank"));
            return false;
        }
        return true;
    }

    private static boolean isNonNegativeInteger(String value) {
        return !value.isEmpty() && value.length() <= 9 && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
