package dev.hookengine.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.WebhookCondition;
import java.util.List;

/**
 * A compiled {@code field} + {@code operation} condition. Its values are parsed once, at compile
 * time; evaluation walks the payload tree without building intermediate collections. This class
 * resolves the field and applies the operation; {@link ConditionValues} reads a payload value by the
 * field type and compares it with the condition's values.
 *
 * <h2>Semantics</h2>
 * <p><b>Resolving the field.</b> The path ({@link FieldPath}) is walked from the payload's root. A
 * numeric step indexes an array; any other step on an array maps over its elements (the path
 * "runs through an array"), like JSONata's path semantics. A final value that is itself an array is
 * taken element by element. So a field resolves to zero or more values; it is <em>missing</em> when
 * the walk finds nothing. {@code is_array_field} needs no special handling: arrays are recognised
 * from the data, and a single value behaves like a one-element array.
 *
 * <p><b>Reading values.</b> Both sides are read by {@code field_type} ({@link FieldTypes}); a payload
 * value that cannot be read as the type (text in a number field, {@code null}, an object) never
 * satisfies a comparison. Payload values may also be JSON-native: a JSON number for {@code number},
 * a JSON boolean for {@code boolean}; for {@code string}, numbers and booleans compare by their JSON
 * text as Jackson writes it ({@code 1.10} reads as {@code "1.1"}). A {@code date} compares by day as
 * written (the date part of a date-time, in its own offset or without one);
 * a {@code datetime} compares as an instant, with a date-only value meaning midnight UTC and a JSON
 * number meaning epoch milliseconds (numbers beyond the range of {@code long} milliseconds are not
 * meaningful instants). Text comparisons are case-sensitive.
 *
 * <p><b>Operations.</b>
 * <ul>
 *   <li>{@code equals}, {@code any_of}, {@code contains}, {@code starts_with}, {@code ends_with} and
 *       the four orderings hold when <em>some</em> resolved value holds; a missing field, an empty
 *       array or {@code null} never holds. {@code contains}, {@code starts_with} and {@code ends_with}
 *       test the value's text, whatever the field type; on an array, {@code contains} therefore holds
 *       when some element contains the text (an element equal to it included).</li>
 *   <li>{@code not_equals}, {@code none_of} and {@code not_contains} hold when <em>no</em> resolved
 *       value holds the positive form: a missing field, an empty array and {@code null} satisfy them.</li>
 *   <li>{@code is_empty} holds when no resolved value is non-empty, where {@code null}, {@code ""},
 *       {@code []} and {@code {}} are empty (so a missing field is empty); emptiness is a property of
 *       the JSON value, whatever the field type. {@code is_not_empty} is its negation.</li>
 *   <li>{@code length_*} compare the item count with {@code values[0]}: an array counts its elements
 *       (all of them, through mapped paths), a missing field or {@code null} counts 0, any other
 *       single value counts 1.</li>
 * </ul>
 *
 * <p><b>Repeatable items.</b> With {@code repeatable_item_op}, the path is split at the first array
 * it maps over or ends at (the repeatable; an array it indexes into, as in {@code items.0.parts.x},
 * is stepped through), and the whole condition is evaluated once per item on the rest of the path; it holds when it holds for at least one item. So {@code items.status not_equals "done"}
 * holds when some item is not done, where without the flag it holds when no item is done. An empty
 * repeatable holds for no item. When the path reaches no array, the flag changes nothing.
 */
final class FieldCondition {

    private final String description;
    private final String[] path;
    /** Per step of {@link #path}: whether it is an array index; decided once, not per evaluation. */
    private final boolean[] indexSteps;

    private final ConditionOperation operation;
    private final boolean negated;
    /** What the comparing operations compare with; none for the text and length operations. */
    private final ConditionValues values;

    private final String text;
    private final long length;
    private final boolean repeatable;

    FieldCondition(WebhookCondition condition) {
        this.path = FieldPath.parse(condition.field()).segments().toArray(String[]::new);
        this.indexSteps = new boolean[path.length];
        for (int i = 0; i < path.length; i++) {
            indexSteps[i] = isIndex(path[i]);
        }
        this.operation = condition.operation();
        this.negated = switch (operation) {
            case NOT_EQUALS, NONE_OF, NOT_CONTAINS, IS_EMPTY -> true;
            default -> false;
        };
        List<String> raw = condition.values() == null ? List.of() : condition.values();
        boolean lengthOperation = Operations.isLength(operation);
        boolean textOperation = switch (operation) {
            case CONTAINS, NOT_CONTAINS, STARTS_WITH, ENDS_WITH -> true;
            default -> false;
        };
        FieldType type = condition.fieldType() == null ? FieldType.STRING : condition.fieldType();
        this.values = new ConditionValues(type, lengthOperation || textOperation ? List.of() : raw);
        this.text = textOperation ? raw.get(0) : null;
        this.length = lengthOperation ? Long.parseLong(raw.get(0)) : 0;
        this.repeatable = Boolean.TRUE.equals(condition.repeatableItemOp());
        this.description = condition.field() + " " + operation.wireName() + (raw.isEmpty() ? "" : " " + raw);
    }

    /** The condition as people write it, for skip reasons: {@code entity.status equals [open]}. */
    String description() {
        return description;
    }

    boolean test(JsonNode root) {
        return repeatable ? testRepeatable(root, 0) : testFrom(root, 0);
    }

    /** The whole condition on the part of the path from {@code step} on, starting at {@code node}. */
    private boolean testFrom(JsonNode node, int step) {
        if (Operations.isLength(operation)) {
            return compareLength(count(node, step));
        }
        return anyValue(node, step) != negated;
    }

    private boolean testRepeatable(JsonNode node, int step) {
        JsonNode current = node;
        int i = step;
        while (true) {
            if (current instanceof ArrayNode && (i == path.length || !indexSteps[i])) {
                for (int n = 0, size = current.size(); n < size; n++) {
                    JsonNode item = current.get(n);
                    if (testFrom(item, i)) {
                        return true;
                    }
                }
                return false;
            }
            if (i == path.length) {
                return testFrom(current, i);
            }
            JsonNode next = child(current, i);
            if (next == null) {
                return testFrom(node, step);
            }
            current = next;
            i++;
        }
    }

    /** Whether the path leads to anything below {@code root}, even to {@code null}. */
    boolean resolves(JsonNode root) {
        return resolves(root, 0);
    }

    private boolean resolves(JsonNode node, int step) {
        if (step == path.length) {
            return true;
        }
        if (node instanceof ArrayNode && !indexSteps[step]) {
            for (int n = 0, size = node.size(); n < size; n++) {
                JsonNode element = node.get(n);
                if (resolves(element, step)) {
                    return true;
                }
            }
            return false;
        }
        JsonNode next = child(node, step);
        return next != null && resolves(next, step + 1);
    }

    /** Whether some value at {@code path[step..]} below {@code node} holds the positive form. */
    private boolean anyValue(JsonNode node, int step) {
        if (step == path.length) {
            if (node instanceof ArrayNode) {
                for (int n = 0, size = node.size(); n < size; n++) {
                    JsonNode element = node.get(n);
                    if (holds(element)) {
                        return true;
                    }
                }
                return false;
            }
            return holds(node);
        }
        if (node instanceof ArrayNode && !indexSteps[step]) {
            for (int n = 0, size = node.size(); n < size; n++) {
                JsonNode element = node.get(n);
                if (anyValue(element, step)) {
                    return true;
                }
            }
            return false;
        }
        JsonNode next = child(node, step);
        return next != null && anyValue(next, step + 1);
    }

    private long count(JsonNode node, int step) {
        if (step == path.length) {
            return node instanceof ArrayNode ? node.size() : node.isNull() ? 0 : 1;
        }
        if (node instanceof ArrayNode && !indexSteps[step]) {
            long total = 0;
            for (int n = 0, size = node.size(); n < size; n++) {
                JsonNode element = node.get(n);
                total += count(element, step);
            }
            return total;
        }
        JsonNode next = child(node, step);
        return next == null ? 0 : count(next, step + 1);
    }

    private JsonNode child(JsonNode node, int step) {
        if (node instanceof ObjectNode) {
            return node.get(path[step]);
        }
        if (node instanceof ArrayNode && indexSteps[step]) {
            return path[step].length() > 9 ? null : node.get(Integer.parseInt(path[step]));
        }
        return null;
    }

    private static boolean isIndex(String step) {
        for (int i = 0; i < step.length(); i++) {
            char c = step.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !step.isEmpty();
    }

    /** The positive form of the operation on one value. */
    private boolean holds(JsonNode value) {
        switch (operation) {
            case IS_EMPTY, IS_NOT_EMPTY -> {
                return !isEmpty(value); // the positive form: a non-empty value exists
            }
            case CONTAINS, NOT_CONTAINS -> {
                String actual = ConditionValues.text(value);
                return actual != null && actual.contains(text);
            }
            case STARTS_WITH -> {
                String actual = ConditionValues.text(value);
                return actual != null && actual.startsWith(text);
            }
            case ENDS_WITH -> {
                String actual = ConditionValues.text(value);
                return actual != null && actual.endsWith(text);
            }
            case EQUALS, NOT_EQUALS, ANY_OF, NONE_OF -> {
                for (int i = 0; i < values.size(); i++) {
                    if (values.compare(value, i) == 0) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                int order = values.compare(value, 0);
                if (order == ConditionValues.UNREADABLE) {
                    return false;
                }
                return switch (operation) {
                    case GREATER_THAN -> order > 0;
                    case LESS_THAN -> order < 0;
                    case GREATER_THAN_OR_EQUALS -> order >= 0;
                    case LESS_THAN_OR_EQUALS -> order <= 0;
                    default -> throw new IllegalStateException("unexpected operation " + operation);
                };
            }
        }
    }

    private boolean compareLength(long count) {
        return switch (operation) {
            case LENGTH_EQUALS -> count == length;
            case LENGTH_NOT_EQUALS -> count != length;
            case LENGTH_GREATER_THAN -> count > length;
            case LENGTH_LESS_THAN -> count < length;
            case LENGTH_GREATER_THAN_OR_EQUALS -> count >= length;
            case LENGTH_LESS_THAN_OR_EQUALS -> count <= length;
            default -> throw new IllegalStateException("not a length operation: " + operation);
        };
    }

    private static boolean isEmpty(JsonNode value) {
        return value.isNull()
                || value.isMissingNode()
                || (value.isTextual() && value.textValue().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }
}
