package dev.hookengine.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.FieldType;
import dev.hookengine.model.WebhookCondition;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A compiled {@code field} + {@code operation} condition. Its values are parsed once, at compile
 * time; evaluation walks the payload tree without building intermediate collections.
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

    /** {@link #compareTo} result for a payload value the field type cannot read. */
    private static final int UNREADABLE = Integer.MIN_VALUE;

    private final String description;
    private final String[] path;
    /** Per step of {@link #path}: whether it is an array index; decided once, not per evaluation. */
    private final boolean[] indexSteps;
    /** Per value, for numbers: the value as a double, and as a long when it is a whole number that fits. */
    private final double[] doubles;
    private final long[] longs;
    private final boolean[] whole;
    /** Per value, for dates: {@code yyyymmdd} as an int, so that dates compare without allocating. */
    private final int[] dateKeys;
    private final ConditionOperation operation;
    private final FieldType type;
    private final boolean negated;
    private final Comparable<?>[] values;
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
        this.type = condition.fieldType() == null ? FieldType.STRING : condition.fieldType();
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
        this.values = lengthOperation || textOperation ? new Comparable<?>[0]
                : raw.stream().map(value -> FieldTypes.parse(type, value)).toArray(Comparable<?>[]::new);
        this.text = textOperation ? raw.get(0) : null;
        this.doubles = new double[values.length];
        this.longs = new long[values.length];
        this.whole = new boolean[values.length];
        this.dateKeys = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof BigDecimal number) {
                doubles[i] = number.doubleValue();
                whole[i] = number.signum() == 0 || number.stripTrailingZeros().scale() <= 0
                        && number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                        && number.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0;
                longs[i] = whole[i] ? number.longValue() : 0;
            } else if (values[i] instanceof LocalDate date) {
                dateKeys[i] = date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
            }
        }
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
                String actual = text(value);
                return actual != null && actual.contains(text);
            }
            case STARTS_WITH -> {
                String actual = text(value);
                return actual != null && actual.startsWith(text);
            }
            case ENDS_WITH -> {
                String actual = text(value);
                return actual != null && actual.endsWith(text);
            }
            case EQUALS, NOT_EQUALS, ANY_OF, NONE_OF -> {
                for (int i = 0; i < values.length; i++) {
                    if (compareTo(value, i) == 0) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                int order = compareTo(value, 0);
                if (order == UNREADABLE) {
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

    /**
     * The payload value compared with {@code values[i]}: negative, zero or positive, or
     * {@link #UNREADABLE}. Numbers and plain dates, the common cases, compare without allocating;
     * everything else goes through {@link #read}.
     */
    private int compareTo(JsonNode value, int i) {
        if (type == FieldType.NUMBER) {
            if (value.isInt() || value.isLong()) {
                long actual = value.longValue();
                if (whole[i]) {
                    return Long.compare(actual, longs[i]);
                }
                if (Math.abs(actual) < (1L << 53)) {
                    return compareDoubles(actual, doubles[i]);
                }
            } else if (value.isDouble() || value.isFloat()) {
                double actual = value.doubleValue();
                return Double.isFinite(actual) ? compareDoubles(actual, doubles[i]) : UNREADABLE;
            }
        } else if (type == FieldType.STRING) {
            String actual = text(value);
            return actual == null ? UNREADABLE : Integer.signum(actual.compareTo((String) values[i]));
        } else if (type == FieldType.DATE && value.isTextual() && value.textValue().length() == 10) {
            int key = dateKey(value.textValue());
            return key < 0 ? UNREADABLE : Integer.compare(key, dateKeys[i]);
        }
        Comparable<?> actual = read(value);
        return actual == null ? UNREADABLE : Integer.signum(compare(actual, values[i]));
    }

    private static int compareDoubles(double actual, double expected) {
        return actual < expected ? -1 : actual > expected ? 1 : 0;
    }

    /** {@code yyyy-MM-dd} as {@code yyyymmdd}, or -1 when it is not a valid date in that form. */
    private static int dateKey(String text) {
        if (text.charAt(4) != '-' || text.charAt(7) != '-') {
            return -1;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
            return -1;
        }
        return year * 10_000 + month * 100 + day;
    }

    private static int digits(String text, int from, int to) {
        int result = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable actual, Comparable expected) {
        return actual.compareTo(expected);
    }

    private static boolean isEmpty(JsonNode value) {
        return value.isNull() || value.isMissingNode()
                || (value.isTextual() && value.textValue().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }

    /** The value's text: a string as is, a number or boolean as its JSON text, else none. */
    private static String text(JsonNode value) {
        if (value instanceof TextNode textNode) {
            return textNode.textValue();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        return null;
    }

    /** The payload value read as the condition's field type, or null when it cannot be. */
    private Comparable<?> read(JsonNode value) {
        switch (type) {
            case STRING -> {
                return text(value);
            }
            case NUMBER -> {
                if (value.isNumber()) {
                    if (value.isFloatingPointNumber() && !value.isBigDecimal()) {
                        double number = value.doubleValue();
                        // 1e400 parses to Infinity, which no decimal holds: unreadable, not an exception
                        return Double.isFinite(number) ? BigDecimal.valueOf(number) : null;
                    }
                    return value.decimalValue();
                }
                return value.isTextual() ? parseOrNull(value.textValue()) : null;
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                return value.isTextual() ? parseOrNull(value.textValue()) : null;
            }
            case DATE -> {
                if (!value.isTextual()) {
                    return null;
                }
                String raw = value.textValue().strip();
                try {
                    if (raw.length() == 10) {
                        return LocalDate.parse(raw);
                    }
                    return hasOffset(raw) ? OffsetDateTime.parse(raw).toLocalDate() : LocalDateTime.parse(raw).toLocalDate();
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
            case DATETIME -> {
                if (value.isIntegralNumber()) {
                    return Instant.ofEpochMilli(value.longValue());
                }
                if (value.isNumber()) { // any JSON number is epoch millis, 1761904800000.0 included
                    double millis = value.doubleValue();
                    if (!Double.isFinite(millis)) {
                        return null;
                    }
                    long whole = (long) Math.floor(millis);
                    return Instant.ofEpochMilli(whole).plusNanos(Math.round((millis - whole) * 1_000_000));
                }
                if (!value.isTextual()) {
                    return null;
                }
                String raw = value.textValue().strip();
                try {
                    return raw.length() == 10 ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant()
                            : OffsetDateTime.parse(raw).toInstant();
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
            default -> throw new IllegalStateException("unexpected field type " + type);
        }
    }

    /** Whether an ISO date-time ends in a zone designator ({@code Z}, {@code +02:00}, {@code -0500}). */
    private static boolean hasOffset(String dateTime) {
        int time = dateTime.indexOf('T');
        return dateTime.endsWith("Z") || dateTime.endsWith("z")
                || (time > 0 && (dateTime.indexOf('+', time) > 0 || dateTime.indexOf('-', time) > 0));
    }

    private Comparable<?> parseOrNull(String raw) {
        try {
            return FieldTypes.parse(type, raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
