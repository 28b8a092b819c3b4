package dev.hookengine.condition;

import dev.hookengine.model.FieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * How a {@code field_type} reads a value. The one place that decides it, for condition values at
 * save time and for payload values at match time.
 *
 * <ul>
 *   <li>{@code string}: the text itself.</li>
 *   <li>{@code number}: a decimal ({@link BigDecimal}), so {@code 1.0} equals {@code 1}.</li>
 *   <li>{@code boolean}: {@code true} or {@code false}, any case.</li>
 *   <li>{@code date}: an ISO date ({@code 2025-10-31}), compared by day.</li>
 *   <li>{@code datetime}: an ISO date-time with offset ({@code 2025-10-31T12:34:56+02:00}), compared
 *       as an instant.</li>
 * </ul>
 */
public final class FieldTypes {

    private FieldTypes() {}

    /**
     * {@code text} read as {@code type}: a {@link String}, {@link BigDecimal}, {@link Boolean},
     * {@link LocalDate} or {@link Instant}.
     *
     * @throws IllegalArgumentException saying what was expected when {@code text} does not parse
     */
    public static Comparable<?> parse(FieldType type, String text) {
        FieldType effective = type == null ? FieldType.STRING : type;
        try {
            return switch (effective) {
                case STRING -> text;
                case NUMBER -> new BigDecimal(text.strip());
                case BOOLEAN -> parseBoolean(text);
                case DATE -> LocalDate.parse(text.strip());
                case DATETIME -> OffsetDateTime.parse(text.strip()).toInstant();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a " + effective.wireName() + " (" + expected(effective) + ")", e);
        }
    }

    private static Boolean parseBoolean(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        if (lower.equals("true")) {
            return Boolean.TRUE;
        }
        if (lower.equals("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean");
    }

    private static String expected(FieldType type) {
        return switch (type) {
            case STRING -> "any text";
            case NUMBER -> "a decimal number such as 42 or -1.5";
            case BOOLEAN -> "true or false";
            case DATE -> "an ISO date such as 2025-10-31";
            case DATETIME -> "an ISO date-time with offset such as 2025-10-31T12:34:56Z";
        };
    }
}
