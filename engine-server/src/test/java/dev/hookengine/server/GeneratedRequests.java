package dev.hookengine.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Requests for one operation of the server's OpenAPI document, generated from its schemas and then
 * broken: values of the schema's types, then wrong types, missing and unknown fields, huge and deep
 * values, control characters, lone surrogates, duplicate keys, bytes that are not UTF-8, bodies cut
 * short, hostile path and query values, odd headers. Deterministic for a seed, so that a failure
 * found by a property names a request that can be made again.
 */
final class GeneratedRequests {

    /** One request, as {@link RawHttp} sends it. */
    record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        @Override
        public String toString() {
            String shown = body == null ? "(no body)" : new String(body, StandardCharsets.UTF_8);
            if (shown.length() > 400) {
                shown = shown.substring(0, 400) + "... (" + body.length + " bytes)";
            }
            String target = this.target.length() > 300 ? this.target.substring(0, 300) + "..." : this.target;
            return method + " " + target + " " + headers + " " + shown;
        }
    }

    /** An operation of the document: its method, path template, parameters and body schema. */
    record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Writes as deep as the generator nests, past Jackson's default of 1,000: the server must refuse those. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamWriteConstraints(
                    StreamWriteConstraints.builder().maxNestingDepth(100_000).build())
            .build());

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 6;

    /** Values a path segment or query parameter is given besides valid ones and random text. */
    private static final List<String> HOSTILE_RAW = List.of(
            "",
            "%00",
            "a%00b",
            "%zz",
            "%",
            "%C0%AE",
            "%FF%FE",
            "..",
            ".",
            "%2F",
            "%2e%2e",
            "%0D%0A",
            "%E2%80%AE",
            "%ED%A0%80",
            "%F0%9F%92%A9",
            "null",
            "-1",
            "0",
            "2147483648",
            "1e308",
            "true",
            "%20",
            "+",
            "*");

    private final JsonNode document;
    private final Map<String, String> validValues;
    private final String token;

    /**
     * @param validValues valid values for path and query parameters by name ({@code configId}, ...),
     *                    so that some requests reach the handler's own checks rather than a 404
     * @param token       a bearer token of the organization the requests act for
     */
    GeneratedRequests(JsonNode document, Map<String, String> validValues, String token) {
        this.document = document;
        this.validValues = validValues;
        this.token = token;
    }

    /** Every operation of the document. */
    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
                    if (!operation.getValue().isObject() || operation.getKey().equals("parameters")) {
                        return;
                    }
                    List<JsonNode> parameters = new ArrayList<>();
                    path.getValue().path("parameters").forEach(p -> parameters.add(resolve(p)));
                    operation.getValue().path("parameters").forEach(p -> parameters.add(resolve(p)));
                    JsonNode body = operation
                            .getValue()
                            .path("requestBody")
                            .path("content")
                            .path("application/json")
                            .path("schema");
                    operations.add(new Operation(
                            operation.getKey().toUpperCase(java.util.Locale.ROOT),
                            path.getKey(),
                            parameters,
                            body.isMissingNode() ? null : body));
                }));
        return operations;
    }

    /** A request for {@code operation}, valid or broken in a few ways, from {@code seed}. */
    Request request(Operation operation, long seed) {
        Random random = new Random(seed);
        String path = operation.path();
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : operation.parameters()) {
            String name = parameter.path("name").asText();
            String in = parameter.path("in").asText();
            if (in.equals("path")) {
                path = path.replace("{" + name + "}", pathOrQueryValue(name, parameter, random));
            } else if (in.equals("query") && random.nextInt(4) != 0) {
                int times = random.nextInt(10) == 0 ? 2 : 1; // a repeated parameter now and then
                for (int i = 0; i < times; i++) {
                    query.append(query.isEmpty() ? '?' : '&')
                            .append(name)
                            .append('=')
                            .append(pathOrQueryValue(name, parameter, random));
                }
            }
        }
        if (random.nextInt(15) == 0) {
            query.append(query.isEmpty() ? '?' : '&')
                    .append(randomWord(random))
                    .append('=')
                    .append(randomWord(random));
        }
        String method = random.nextInt(40) == 0
                ? pick(random, List.of("PATCH", "OPTIONS", "HEAD", "TRACE"))
                : operation.method();
        byte[] body = body(operation, random);
        return new Request(method, path + query, headers(random, body != null), body);
    }

    private String pathOrQueryValue(String name, JsonNode parameter, Random random) {
        int choice = random.nextInt(10);
        String valid = validValues.get(name);
        if (valid != null && choice < 5) {
            return valid;
        }
        if (choice < 7) {
            JsonNode value = value(resolve(parameter.path("schema")), random, 0);
            return encode(value.isTextual() ? value.asText() : value.toString());
        }
        if (choice < 9) {
            return pick(random, HOSTILE_RAW);
        }
        return encode(hostileText(random));
    }

    private List<Map.Entry<String, String>> headers(Random random, boolean hasBody) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int auth = random.nextInt(20);
        if (auth < 17) {
            headers.add(Map.entry("Authorization", "Bearer " + token));
        } else if (auth == 17) {
            headers.add(
                    Map.entry("Authorization", pick(random, List.of("Bearer", "Bearer ", "Basic abc", "bearer x y"))));
        } else if (auth == 18) {
            headers.add(Map.entry("Authorization", "Bearer " + randomWord(random) + "\u00e9\u00ff"));
        }
        if (hasBody) {
            int type = random.nextInt(12);
            if (type < 9) {
                headers.add(Map.entry("Content-Type", "application/json"));
            } else if (type == 9) {
                headers.add(Map.entry(
                        "Content-Type", pick(random, List.of("text/plain", "application/jsonx", "*/*", ";;"))));
            } else if (type == 10) {
                headers.add(Map.entry("Content-Type", "application/json; charset=utf-16"));
                headers.add(Map.entry("Content-Type", "application/json"));
            }
        }
        if (random.nextInt(10) == 0) {
            headers.add(Map.entry(
                    dev.hookengine.server.internal.ApiRoutes.MODIFY_PROTECTED_HEADER,
                    pick(random, List.of("true", "false", "yes", "", "TRUE"))));
        }
        if (random.nextInt(20) == 0) {
            headers.add(Map.entry("X-" + randomWord(random), "x".repeat(random.nextInt(4_000))));
        }
        return headers;
    }

    /** The body: none, valid for the schema, or broken as a tree or as bytes. */
    private byte[] body(Operation operation, Random random) {
        if (operation.bodySchema() == null) {
            return random.nextInt(20) == 0 ? bytes("{\"unexpected\": true}") : null;
        }
        if (random.nextInt(25) == 0) {
            return null;
        }
        JsonNode tree = value(resolve(operation.bodySchema()), random, 0);
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            tree = mutate(tree, random);
        }
        byte[] bytes = bytes(tree);
        int breakage = random.nextInt(14);
        return switch (breakage) {
            case 0 -> duplicateKey(tree, random);
            case 1 -> notUtf8(bytes, random);
            case 2 -> java.util.Arrays.copyOf(bytes, random.nextInt(Math.max(1, bytes.length)));
            case 3 -> bytes(pick(random, List.of("", " ", "null", "[]", "\"text\"", "42", "{", "}{", "\uFEFF{}")));
            case 4 -> bytes("[".repeat(5_000) + "]".repeat(5_000));
            default -> bytes;
        };
    }

    /** A value the schema allows (types, enums, required properties), small. */
    JsonNode value(JsonNode schema, Random random, int depth) {
        schema = resolve(schema);
        if (schema.has("allOf")) {
            ObjectNode merged = NODES.objectNode();
            for (JsonNode part : schema.get("allOf")) {
                JsonNode value = value(part, random, depth);
                if (value.isObject()) {
                    merged.setAll((ObjectNode) value);
                }
            }
            return merged;
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (schema.has(choice)) {
                JsonNode options = schema.get(choice);
                return value(options.get(random.nextInt(options.size())), random, depth);
            }
        }
        if (schema.has("enum")) {
            JsonNode options = schema.get("enum");
            return options.get(random.nextInt(options.size()));
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> object(schema, random, depth);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int items = depth >= MAX_DEPTH
                        ? 0
                        : Math.max(schema.path("minItems").asInt(0), random.nextInt(3));
                for (int i = 0; i < items; i++) {
                    array.add(value(schema.path("items"), random, depth + 1));
                }
                yield array;
            }
            case "integer" ->
                NODES.numberNode(schema.path("minimum").asLong(0)
                        + random.nextInt(Math.max(1, (int) Math.min(
                                100,
                                schema.path("maximum").asLong(100)
                                        - schema.path("minimum").asLong(0)
                                        + 1))));
            case "number" -> NODES.numberNode(random.nextDouble() * 100);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            default -> NODES.textNode(string(schema, random));
        };
    }

    private ObjectNode object(JsonNode schema, Random random, int depth) {
        ObjectNode object = NODES.objectNode();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        Iterator<Map.Entry<String, JsonNode>> properties =
                schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            if (required.contains(property.getKey()) || (depth < MAX_DEPTH && random.nextInt(3) == 0)) {
                String valid = validValues.get(property.getKey());
                object.set(
                        property.getKey(),
                        valid != null && random.nextBoolean()
                                ? NODES.textNode(valid)
                                : value(property.getValue(), random, depth + 1));
            }
        }
        JsonNode additional = schema.path("additionalProperties");
        if (additional.isObject() && depth < MAX_DEPTH && random.nextBoolean()) {
            object.set(randomWord(random), value(additional, random, depth + 1));
        }
        return object;
    }

    private String string(JsonNode schema, Random random) {
        String format = schema.path("format").asText("");
        return switch (format) {
            case "date-time" ->
                Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000))
                        .toString();
            case "uri", "url" -> "http://127.0.0.1:9/" + randomWord(random);
            default -> randomWord(random);
        };
    }

    /** One change to the tree: a node replaced by a value of another kind, removed, or a field added. */
    private JsonNode mutate(JsonNode tree, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(tree, containers);
        if (containers.isEmpty() || random.nextInt(10) == 0) {
            return wild(random);
        }
        JsonNode container = pick(random, containers);
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int what = random.nextInt(3);
            if (what == 0 && !names.isEmpty()) {
                object.remove(pick(random, names));
            } else if (what == 1 && !names.isEmpty()) {
                object.set(pick(random, names), wild(random));
            } else {
                object.set(random.nextBoolean() ? randomWord(random) : hostileText(random), wild(random));
            }
        } else if (container instanceof ArrayNode array) {
            if (!array.isEmpty() && random.nextBoolean()) {
                array.set(random.nextInt(array.size()), wild(random));
            } else {
                array.add(wild(random));
            }
        }
        return tree;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collectContainers(child, into));
        }
    }

    /** A value of any kind, often an extreme one. */
    private JsonNode wild(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(pick(random, List.of(1e308, -1e308, 4.9e-324, -0.0, 2147483648.0)));
            case 4 -> NODES.numberNode(new java.math.BigInteger("9".repeat(1 + random.nextInt(400))));
            case 5 -> NODES.textNode(hostileText(random));
            case 6 -> NODES.textNode("x".repeat(random.nextInt(12_000)));
            case 7 -> deep(random.nextInt(900), random.nextBoolean()); // Jackson writes at most 1,000 deep
            case 8 -> NODES.arrayNode().add(hostileText(random)).add(random.nextInt());
            case 9 -> NODES.objectNode().put(hostileText(random), hostileText(random));
            case 10 ->
                NODES.textNode(pick(
                        random,
                        List.of(
                                "{{ env.X }}",
                                "$string($)",
                                "((((((((1))))))))",
                                "[1..9999999]",
                                "http://169.254.169.254/",
                                "javascript:alert(1)",
                                "<script>x</script>",
                                "'; drop table x; --")));
            default -> NODES.textNode(randomWord(random));
        };
    }

    private static JsonNode deep(int depth, boolean arrays) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = arrays ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    /** Text with what breaks naive handling: control characters, NUL, lone surrogates, right-to-left marks. */
    private static String hostileText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(6);
            char next = switch (kind) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> (char) (0xD800 + random.nextInt(0x800)); // half a surrogate pair
                case 2 -> pick(random, List.of('\u0000', '\u007f', '\u202e', '\ufeff', '\uffff', '"', '\\', '/'));
                default -> (char) (0x20 + random.nextInt(0x5f));
            };
            text.append(next);
        }
        return text.toString();
    }

    private static String randomWord(Random random) {
        StringBuilder word = new StringBuilder();
        int length = 1 + random.nextInt(10);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    /** The tree with one key of an object in it written twice, which strict parsing refuses. */
    private static byte[] duplicateKey(JsonNode tree, Random random) {
        String json = new String(bytes(tree), StandardCharsets.UTF_8);
        if (!tree.isObject() || tree.isEmpty()) {
            return bytes("{\"a\": 1, \"a\": 2}");
        }
        String name = tree.fieldNames().next();
        return bytes("{" + MAPPER.valueToTree(name) + ": " + (random.nextBoolean() ? "null" : "1") + ", "
                + json.substring(1));
    }

    /** The bytes with one replaced by a byte that cannot appear in UTF-8. */
    private static byte[] notUtf8(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return new byte[] {(byte) 0xFF};
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(bytes.length);
        out.write(bytes, 0, at);
        out.writeBytes(random.nextBoolean() ? new byte[] {(byte) 0xFF} : new byte[] {(byte) 0xC3, (byte) 0x28});
        out.write(bytes, at + 1, bytes.length - at - 1);
        return out.toByteArray();
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            node = document.at(ref.substring(1));
        }
        return node;
    }

    private static String encode(String text) {
        // URLEncoder writes a lone surrogate as '?': fine, the raw cases cover broken encodings.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
