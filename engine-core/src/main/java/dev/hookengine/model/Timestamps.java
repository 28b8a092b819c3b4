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
import java.time.Instant;
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

    private Timestamps() {
    }

    /** {@code instant} in the written form, such as {@code 2021-04-27T12:01:13.000Z}. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /**
     * Parses an ISO 8601 date-time with a zone designator.
     *
     * @throws DateTimeParseException when {@code text} is not one
     */
    public static Instant parse(String text) {
        return OffsetDateTime.parse(text).toInstant();
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
