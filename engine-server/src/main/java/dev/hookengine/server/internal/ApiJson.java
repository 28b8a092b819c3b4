package dev.hookengine.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 *   <li>enum values must be the spec's exact spelling.</li>
 * </ul>
 * Error messages name the JSON path and the expected type, never the value sent: it may be a secret.
 */
public final class ApiJson {

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
            throw translate(e);
        }
    }

    /** Reads {@code body} as a JSON tree, with the same strictness. */
    public JsonNode readTree(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw translate(e);
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

    private ApiError translate(IOException e) {
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
