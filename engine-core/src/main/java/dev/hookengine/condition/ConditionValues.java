package dev.hookengine.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hookengine.model.FieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The {@code values} of a field condition, read once by its {@code field_type}, and the comparison
 * of a payload value with each of them. Reading a payload value by the field type follows
 * {@link FieldCondition}'s semantics ("Reading values"): a value the type cannot read compares as
 * {@link #UNREADABLE}, which satisfies no comparison.
 *
 * <p>Kept apart from {@link FieldCondition}, which walks the payload and applies the operation, so
 * that how a type's values are read and ordered is in one place. Numbers and {@code yyyy-MM-dd}
 * dates, the common cases, are compared against forms prepared here at compile time, without
 * allocating per evaluation.
 */
final class ConditionValues {

    /** {@link #compare} result for a payload value the field type cannot read. */
    static final int UNREADABLE = Integer.MIN_VALUE;

    private final FieldType type;
    private final Comparable<?>[] values;
    /** Per value, for numbers: the value as a double, and as a long when it is a whole number that fits. */
    private final double[] doubles;

    private final long[] longs;
    private final boolean[] whole;
    /** Per value, for dates: {@code yyyymmdd} as an int, so that dates compare without allocating. */
    private final int[] dateKeys;

    /**
     * @throws IllegalArgumentException when a value is not of {@code type} (the config's validation
     *                                  refuses such a condition before it is stored)
     */
    ConditionValues(FieldType type, List<String> raw) {
        this.type = type;
        this.values = raw.stream().map(value -> FieldTypes.parse(type, value)).toArray(Comparable<?>[]::new);
        this.doubles = new double[values.length];
        this.longs = new long[values.length];
        this.whole = new boolean[values.length];
        this.dateKeys = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof BigDecimal number) {
                doubles[i] = number.doubleValue();
                whole[i] = number.signum() == 0
                        || number.stripTrailingZeros().scale() <= 0
                                && number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                                && number.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0;
                longs[i] = whole[i] ? number.longValue() : 0;
            } else if (values[i] instanceof LocalDate date) {
                dateKeys[i] = date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
            }
        }
    }

    /** How many values there are. */
    int size() {
        return values.length;
    }

    /**
     * The payload value compared with the {@code i}th value: negative, zero or positive, or
     * {@link #UNREADABLE}. Numbers and plain dates, the common cases, compare without allocating;
     * everything else goes through {@link #read}.
     */
    int compare(JsonNode value, int i) {
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
        } else if (type == FieldType.DATE
                && value.isTextual()
                && value.textValue().length() == 10) {
            int key = dateKey(value.textValue());
            return key < 0 ? UNREADABLE : Integer.compare(key, dateKeys[i]);
        }
        Comparable<?> actual = read(value);
        return actual == null ? UNREADABLE : Integer.signum(compareUnchecked(actual, values[i]));
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareUnchecked(Comparable actual, Comparable expected) {
        return actual.compareTo(expected);
    }

    /** The value's text: a string as is, a number or boolean as its JSON text, else none. */
    static String text(JsonNode value) {
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
                    return hasOffset(raw)
                            ? OffsetDateTime.parse(raw).toLocalDate()
                            : LocalDateTime.parse(raw).toLocalDate();
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
                    return raw.length() == 10
                            ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant()
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
        return dateTime.endsWith("Z")
                || dateTime.endsWith("z")
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
