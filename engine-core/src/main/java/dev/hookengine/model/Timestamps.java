package dev.hookengine.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The one place that decides how hookengine writes, reads and rounds timestamps.
 *
 * <p>Written in UTC with exactly three fraction digits, the spec's own form
 * ({@code 2021-04-27T12:01:13.000Z}). Read leniently: any ISO 8601 date-time with {@code Z} or a
 * numeric offset, with any number of fraction digits. The engine keeps every timestamp it creates at
 * millisecond precision ({@link #truncate}), so a timestamp handed out as a cursor reads back as the
 * very same instant.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int WRITTEN_LENGTH = "2021-04-27T12:01:13.000Z".length();

    private Timestamps() {}

    /** {@code instant} in the written form, such as {@code 2021-04-27T12:01:13.000Z}. */
    public static String format(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            return FORMAT.format(instant); // signed or five-digit years: the formatter's rules
        }
        // Written by hand: every stored event and config goes through here, and DateTimeFormatter
        // took several times as long (benchmarks/README.md, "Load harness").
        char[] text = new char[WRITTEN_LENGTH];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, utc.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, utc.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, utc.getHour(), 2);
        text[13] = ':';
        digits(text, 14, utc.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, utc.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, utc.getNano() / 1_000_000, 3);
        text[23] = 'Z';
        return new String(text);
    }

    /**
     * Parses an ISO 8601 date-time with a zone designator.
     *
     * @throws DateTimeParseException when {@code text} is not one
     */
    public static Instant parse(String text) {
        Instant written = parseWritten(text);
        return written != null ? written : OffsetDateTime.parse(text).toInstant();
    }

    /** The written form ({@link #format}) read by hand; {@code null} for anything else, which the JDK parses. */
    private static Instant parseWritten(String text) {
        if (text.length() != WRITTEN_LENGTH
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(19) != '.'
                || text.charAt(23) != 'Z') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int millis = number(text, 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException outOfRange) {
            return null; // such as month 13: the JDK's parser says what is wrong
        }
    }

    private static void digits(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number in {@code text} from {@code at}, {@code width} digits long; -1 if one is not a digit. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The current time of {@code clock} at the precision every store keeps: how the engine reads the time. */
    public static Instant now(Clock clock) {
        return truncate(clock.instant());
    }

    /** {@code instant} rounded down to the millisecond, the precision every store keeps. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    static final class Serializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }

    static final class Deserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getText();
            try {
                return parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(
                        Instant.class, text, "not an ISO 8601 date-time with offset, such as 2025-10-31T12:34:56Z");
            }
        }
    }
}
