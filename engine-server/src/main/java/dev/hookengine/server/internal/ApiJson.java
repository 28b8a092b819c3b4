package dev.hookengine.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the server reads request bodies and writes responses. The model records carry their own JSON
 * names and formats (as for the engine's mapper); what this adds is strictness on input, because a
 * REST client's mistake must be a 400 naming the field, not a silent guess:
 * <ul>
 *   <li>no scalar coercion: {@code "enabled": "yes"}, {@code "limit": "5"} and {@code "name": 5} are
 *       wrong types, not values to convert;</li>
 *   <li>unknown properties, duplicate keys and trailing content are rejected;</li>
 *   <li>enum values must be the spec's exact spelling;</li>
 *   <li>an integer field takes an integer only ({@code 2.5}, {@code 5.0} and {@code 1e308} are wrong
 *       types), and one out of its type's range ({@code 2147483648} for a 32-bit field) is refused
 *       naming the field and the range, not as malformed JSON; the engine then checks the field's own
 *       range ({@code limit: must be an integer from 1 to 25}).</li>
 * </ul>
 * Error messages name the JSON path and the expected type, never the value sent: it may be a secret.
 */
public final class ApiJson {

    private static final String OVER_READER_LIMIT =
            "exceeds a limit of the JSON reader (number length, string length or nesting depth)";

    private final ObjectMapper mapper;

    public ApiJson() {
        ObjectMapper built = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        // ALLOW_COERCION_OF_SCALARS does not cover numbers and booleans read as strings.
        built.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Nor a fraction read as an integer: "limit": 2.5 was read as 2.
        built.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        this.mapper = built;
    }

    /** The configured mapper; do not reconfigure it. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Reads {@code body} as {@code type}.
     *
     * @throws ApiError 400 naming what is wrong, when the body is not JSON or does not fit the type
     */
    public <T> T read(byte[] body, Class<T> type) {
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw ApiError.badRequest("the request body must be a JSON object, not null");
            }
            return value;
        } catch (IOException e) {
            throw translate(e, body);
        }
    }

    /** Reads {@code body} as a JSON tree, with the same strictness. */
    public JsonNode readTree(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw translate(e, body);
        }
    }

    /** Writes {@code value} as JSON bytes. */
    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write a response of " + value.getClass().getName(), e);
        }
    }

    private ApiError translate(IOException e, byte[] body) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return ApiError.badRequest("Invalid request body: " + path(unknown) + ": unknown property");
        }
        if (e instanceof InvalidFormatException invalid
                && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            return ApiError.badRequest("Invalid request body: " + path(invalid) + ": must be one of "
                    + enumValues(invalid.getTargetType()));
        }
        if (e instanceof MismatchedInputException mismatched) {
            return ApiError.badRequest(
                    "Invalid request body: " + path(mismatched) + ": " + expected(mismatched.getTargetType()));
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof RuntimeException) {
            // A record constructor refused the value (an ISO timestamp that does not parse, say).
            return ApiError.badRequest("Invalid request body: " + path(mapping) + ": invalid value");
        }
        if (e instanceof JsonMappingException mapping
                && mapping.getCause() instanceof InputCoercionException outOfRange) {
            // A number beyond its field's type: the parser's failure, which databind wraps with the path.
            return ApiError.badRequest(
                    "Invalid request body: " + path(mapping) + ": " + range(outOfRange.getTargetType()));
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof StreamConstraintsException) {
            return ApiError.badRequest("Invalid request body: " + path(mapping) + ": " + OVER_READER_LIMIT);
        }
        if (e instanceof StreamConstraintsException overLimit) {
            return ApiError.badRequest("Invalid request body: " + failurePath(body) + ": " + OVER_READER_LIMIT);
        }
        if (e instanceof JsonProcessingException processing) {
            return ApiError.badRequest("Malformed JSON in the request body"
                    + (processing.getLocation() == null
                            ? ""
                            : " at line " + processing.getLocation().getLineNr() + ", column "
                                    + processing.getLocation().getColumnNr()));
        }
        return ApiError.badRequest("Unreadable request body");
    }

    /** The JSON path of the failure, in the spec's names: {@code auth.basicAuthConfig.password}, {@code eventIds[2]}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(body)" : path.toString();
    }

    /**
     * The path at which the parser itself fails on {@code body}: {@code limit} for a number too long
     * to read. Such a failure comes from below databind, without a path, and a parser's limits carry
     * no parser; so the body is parsed again, token by token, and the path is where that stops.
     */
    private String failurePath(byte[] body) {
        JsonParser parser = null;
        try {
            parser = mapper.getFactory().createParser(body);
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token.isNumeric()) {
                    parser.getNumberValue();
                }
            }
            return "(body)";
        } catch (IOException stopped) {
            return parser == null ? "(body)" : path(parser.getParsingContext());
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // a parser over a byte array holds nothing to release
                }
            }
        }
    }

    /** {@code context}'s path in the spec's names: {@code retryPolicy.maxAttempts}, {@code eventIds[2]}. */
    private static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.getCurrentName() != null) {
                path.insert(0, "." + at.getCurrentName());
            } else if (at.inArray()) {
                path.insert(0, "[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        if (path.isEmpty()) {
            return "(body)";
        }
        return path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    private static String range(Class<?> type) {
        if (type == Integer.class || type == Integer.TYPE) {
            return "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == Long.TYPE) {
            return "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        return "number out of range";
    }

    private String expected(Class<?> type) {
        if (type == null) {
            return "wrong type";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be a boolean";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "must be a number";
        }
        if (type.isEnum()) {
            return "must be one of " + enumValues(type);
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type)) {
            return "must be an object";
        }
        return "wrong type";
    }

    /** The spec's spelling of each constant (their {@code @JsonValue}), as the mapper writes them. */
    private String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(constant -> mapper.convertValue(constant, String.class))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
