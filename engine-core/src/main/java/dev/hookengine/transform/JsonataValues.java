package dev.hookengine.transform;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Jackson trees and the plain Java values JSONata works on: objects as
 * {@link LinkedHashMap}s (order kept), arrays as {@link ArrayList}s, JSON {@code null} as Java
 * {@code null}, numbers as {@link Integer}, {@link Long} or {@link Double}.
 */
final class JsonataValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonataValues() {}

    static Object fromJson(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    map.put(field.getKey(), fromJson(field.getValue()));
                }
                return map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(fromJson(element));
                }
                return list;
            }
            case STRING -> {
                return node.textValue();
            }
            case BOOLEAN -> {
                return node.booleanValue();
            }
            case NUMBER -> {
                if (node.isInt()) {
                    return node.intValue();
                }
                if (node.isLong()) {
                    return node.longValue();
                }
                return node.doubleValue();
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * The deepest result {@link #toJson} converts: half of the nesting Jackson reads and writes by
     * default (1,000), so that a result can always be stored, sent and read back.
     */
    static final int MAX_RESULT_NESTING = 500;

    /**
     * A JSONata result as JSON. Whole doubles become integers ({@code 2.0} is written {@code 2}, as
     * JSONata itself prints it); functions, which have no JSON form, become {@code null}.
     *
     * @param maxBytes the most bytes the result's JSON text may take (compact, as Jackson writes it),
     *                 counted as the conversion goes, so that it stops
     *                 as soon as the result is too large instead of after converting all of it
     * @throws ResultTooLarge when the result takes more than {@code maxBytes}, or nests deeper than
     *                        {@value #MAX_RESULT_NESTING} levels
     */
    static JsonNode toJson(Object value, long maxBytes) {
        return new Conversion(maxBytes).toJson(value, 0);
    }

    /** A result too large or too deep to convert; the message says which bound. */
    static final class ResultTooLarge extends RuntimeException {
        ResultTooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** One conversion, with what is left of its budget. Confined to the converting thread. */
    private static final class Conversion {
        private final long maxBytes;
        private long spent;

        Conversion(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        JsonNode toJson(Object value, int depth) {
            if (value == null || value == Jsonata.NULL_VALUE) {
                spend(4);
                return NODES.nullNode();
            }
            if (value instanceof Map<?, ?> map) {
                ObjectNode object = NODES.objectNode();
                nest(depth, 2 + map.size());
                map.forEach((key, element) -> {
                    String name = String.valueOf(key);
                    spend(jsonTextLength(name) + 3L);
                    object.set(name, toJson(element, depth + 1));
                });
                return object;
            }
            if (value instanceof List<?> list) {
                nest(depth, 2 + list.size());
                ArrayNode array = NODES.arrayNode(list.size());
                list.forEach(element -> array.add(toJson(element, depth + 1)));
                return array;
            }
            if (value instanceof String text) {
                spend(jsonTextLength(text) + 2L);
                return NODES.textNode(text);
            }
            if (value instanceof Boolean bool) {
                spend(5);
                return NODES.booleanNode(bool);
            }
            JsonNode number = number(value);
            spend(number.isNull() ? 4 : number.asText().length());
            return number;
        }

        /** Enters a container at {@code depth} whose brackets and separators take {@code bytes}. */
        private void nest(int depth, long bytes) {
            if (depth >= MAX_RESULT_NESTING) {
                throw new ResultTooLarge("the result nests deeper than " + MAX_RESULT_NESTING + " levels");
            }
            spend(bytes);
        }

        private void spend(long bytes) {
            spent += bytes;
            if (spent > maxBytes) {
                throw new ResultTooLarge("the result is larger than the limit of " + maxBytes + " bytes as JSON");
            }
        }
    }

    private static JsonNode number(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return integral(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                return integral((long) d);
            }
            return NODES.numberNode(d);
        }
        return NODES.nullNode();
    }

    /**
     * The bytes {@code text} takes inside a JSON string as Jackson writes it: UTF-8, with {@code "},
     * {@code \\} and control characters escaped. Counted without encoding it.
     */
    private static long jsonTextLength(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a surrogate pair is 4 bytes for 2 chars
            } else if (c >= 0x80) {
                bytes += 1;
            } else if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                bytes += 1;
            } else if (c < 0x20) {
                bytes += 5; // written as a six-byte u-escape
            }
        }
        return bytes;
    }

    /** The smallest integer node, as Jackson itself reads JSON: an int when it fits. */
    private static JsonNode integral(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }
}
