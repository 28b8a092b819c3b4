package dev.hookengine.condition;

import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import java.util.EnumSet;
import java.util.Set;

/**
 * What each {@link ConditionOperation} needs: how many values, and which field types it is defined
 * for. The one table both validation and evaluation read.
 */
public final class Operations {

    /** How many {@code values} an operation takes. */
    public enum Arity {
        /** {@code is_empty}, {@code is_not_empty}: no values. */
        NONE,
        /** Exactly one value. */
        ONE,
        /** {@code any_of}, {@code none_of}: one or more values. */
        AT_LEAST_ONE
    }

    private static final Set<ConditionOperation> LENGTH = EnumSet.of(
            ConditionOperation.LENGTH_EQUALS, ConditionOperation.LENGTH_NOT_EQUALS,
            ConditionOperation.LENGTH_GREATER_THAN, ConditionOperation.LENGTH_LESS_THAN,
            ConditionOperation.LENGTH_GREATER_THAN_OR_EQUALS, ConditionOperation.LENGTH_LESS_THAN_OR_EQUALS);

    private static final Set<ConditionOperation> ORDERING = EnumSet.of(
            ConditionOperation.GREATER_THAN, ConditionOperation.LESS_THAN,
            ConditionOperation.GREATER_THAN_OR_EQUALS, ConditionOperation.LESS_THAN_OR_EQUALS);

    private Operations() {}

    public static Arity arity(ConditionOperation operation) {
        return switch (operation) {
            case IS_EMPTY, IS_NOT_EMPTY -> Arity.NONE;
            case ANY_OF, NONE_OF -> Arity.AT_LEAST_ONE;
            default -> Arity.ONE;
        };
    }

    /** Whether {@code operation} compares item counts; its value is then a non-negative integer whatever the field type. */
    public static boolean isLength(ConditionOperation operation) {
        return LENGTH.contains(operation);
    }

    /**
     * The field types {@code operation} is defined for. Ordering is undefined on booleans; prefix and
     * suffix tests only make sense on text. The {@code length_*} operations ignore the field type.
     */
    public static Set<FieldType> fieldTypes(ConditionOperation operation) {
        if (ORDERING.contains(operation)) {
            return EnumSet.of(FieldType.STRING, FieldType.NUMBER, FieldType.DATE, FieldType.DATETIME);
        }
        if (operation == ConditionOperation.STARTS_WITH || operation == ConditionOperation.ENDS_WITH) {
            return EnumSet.of(FieldType.STRING);
        }
        return EnumSet.allOf(FieldType.class);
    }
}
