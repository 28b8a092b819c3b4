package dev.hookengine.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generated JSON payloads for generated-input tests: objects shaped like events ({@code entity},
 * {@code metadata}, {@code items}), with values of every JSON type, including the awkward ones (big
 * and fractional numbers, dates, empty containers, {@code null}, unicode, keys with dots).
 */
public final class JsonPayloads {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Keys that generated field paths and expressions also use, so that they often find something. */
    public static final List<String> KEYS =
            List.of("a", "b", "entity", "metadata", "items", "status", "total", "qty", "sku", "0", "x.y", "odd key");

    private JsonPayloads() {}

    /** An object, a few levels deep. */
    public static Arbitrary<JsonNode> objects() {
        return Arbitraries.recursive(JsonPayloads::scalars, JsonPayloads::containers, 0, 4)
                .map(node -> {
                    if (node instanceof ObjectNode object) {
                        return object;
                    }
                    ObjectNode wrapped = NODES.objectNode();
                    wrapped.set("entity", node);
                    return wrapped;
                });
    }

    /** Any JSON scalar. */
    public static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigDecimals()
                        .between(new BigDecimal("-1e30"), new BigDecimal("1e30"))
                        .ofScale(5)
                        .map(NODES::numberNode),
                texts().map(NODES::textNode));
    }

    /** Text as payloads and condition values hold it: numbers, dates and booleans as text too. */
    public static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        " ",
                        "open",
                        "closed",
                        "OPEN",
                        "true",
                        "false",
                        "1",
                        "-1.5",
                        "1e3",
                        "NaN",
                        "Infinity",
                        "2026-03-01",
                        "2026-03-01T10:00:00Z",
                        "2026-03-01T10:00:00+02:00",
                        "2026-02-30",
                        "9999999999999999999999",
                        "a.b",
                        "é€😀"),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("ab.[]0 ").ofMaxLength(10));
    }

    private static Arbitrary<JsonNode> containers(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(4).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Arbitraries.maps(Arbitraries.of(KEYS), inner)
                .ofMaxSize(4)
                .map(fields -> {
                    ObjectNode object = NODES.objectNode();
                    fields.forEach(object::set);
                    return object;
                });
        return Arbitraries.oneOf(arrays, objects, objects);
    }
}
