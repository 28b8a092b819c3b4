package dev.hookengine.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A sensitive string: a password, an OAuth client secret, an API key value, a signing secret or a
 * private key.
 *
 * <p>It exists for two reasons. First, {@link #toString()} never shows the value, so a record that
 * holds a {@code Secret} can be logged or put in an exception message without leaking it (a plain
 * {@code String} component would be printed by the record's generated {@code toString}). Second, the
 * spec gives secret fields three states on update: omitted (keep the stored value), {@code null}
 * (clear it) and a string (set it). A record component of this type models them as Java {@code null}
 * (omitted), {@link #cleared()} (JSON {@code null}) and {@link #of(String)}.
 *
 * <p>JSON: a string reads as {@link #of(String)}, {@code null} as {@link #cleared()}, an absent
 * property as Java {@code null}; writing mirrors that. Serializing writes the real value: the engine
 * strips secrets from everything it returns before it gets that far.
 */
@JsonSerialize(using = Secret.Serializer.class)
@JsonDeserialize(using = Secret.Deserializer.class)
public final class Secret {

    private static final Secret CLEARED = new Secret(null);

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A secret with the given value. */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** The explicit request to clear a stored secret (JSON {@code null}). */
    public static Secret cleared() {
        return CLEARED;
    }

    /** Whether this is the request to clear, rather than a value. */
    public boolean isCleared() {
        return value == null;
    }

    /** The value, or empty when {@link #isCleared() cleared}. */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /**
     * The value itself. Call it only where the secret is used (signing, authenticating), never to
     * log or display it.
     *
     * @throws IllegalStateException when this is {@link #cleared()}
     */
    public String reveal() {
        if (value == null) {
            throw new IllegalStateException("a cleared secret has no value");
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    /** Never the value: {@code Secret[***]}, or {@code Secret[cleared]}. */
    @Override
    public String toString() {
        return value == null ? "Secret[cleared]" : "Secret[***]";
    }

    static final class Serializer extends JsonSerializer<Secret> {
        @Override
        public void serialize(Secret secret, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (secret.isCleared()) {
                gen.writeNull();
            } else {
                gen.writeString(secret.value);
            }
        }
    }

    static final class Deserializer extends JsonDeserializer<Secret> {
        @Override
        public Secret deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Secret) context.handleUnexpectedToken(Secret.class, parser);
            }
            return Secret.of(parser.getText());
        }

        @Override
        public Secret getNullValue(DeserializationContext context) {
            return CLEARED;
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }
}
