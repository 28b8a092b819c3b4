package dev.hookengine.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code example} of the spec parses into its record and writes back to equivalent JSON.
 *
 * <p>Two kinds of example are checked: a schema's own {@code example}, used as it is, and one
 * document per schema assembled from the examples of its properties (following {@code $ref}s and
 * inline objects, so that nested records are covered too). "Equivalent" is JSON equality with one
 * allowance: two strings that are the same instant in ISO 8601 ({@code 2025-10-31T12:34:56Z} and
 * {@code 2025-10-31T12:34:56.000Z}) are equal, because the model writes every timestamp in one form.
 * Absent fields must stay absent: key sets are compared exactly.
 */
class SpecExamplesRoundTripTest {

    /** Record type of every schema in {@code components.schemas}. */
    private static final Map<String, TypeReference<?>> RECORD_OF_SCHEMA = new LinkedHashMap<>();

    static {
        RECORD_OF_SCHEMA.put("PublicKeyResponse", new TypeReference<PublicKeyResponse>() {});
        RECORD_OF_SCHEMA.put("SearchOptions", new TypeReference<SearchOptions>() {});
        RECORD_OF_SCHEMA.put("EventListResponse", new TypeReference<EventListResponse>() {});
        RECORD_OF_SCHEMA.put("HttpMethod", new TypeReference<HttpMethod>() {});
        RECORD_OF_SCHEMA.put("AuthType", new TypeReference<AuthType>() {});
        RECORD_OF_SCHEMA.put("Filter", new TypeReference<Filter>() {});
        RECORD_OF_SCHEMA.put("WebhookCondition", new TypeReference<WebhookCondition>() {});
        RECORD_OF_SCHEMA.put("WebhookConditionGroup", new TypeReference<WebhookConditionGroup>() {});
        RECORD_OF_SCHEMA.put("Auth", new TypeReference<Auth>() {});
        RECORD_OF_SCHEMA.put("BasicAuthConfig", new TypeReference<BasicAuthConfig>() {});
        RECORD_OF_SCHEMA.put("OAuthConfig", new TypeReference<OAuthConfig>() {});
        RECORD_OF_SCHEMA.put("ApiKeyConfig", new TypeReference<ApiKeyConfig>() {});
        RECORD_OF_SCHEMA.put("WebhookConfig", new TypeReference<WebhookConfig>() {});
        RECORD_OF_SCHEMA.put("EventConfigResp", new TypeReference<List<EventConfigEntry>>() {});
        RECORD_OF_SCHEMA.put("EventConfigEntry", new TypeReference<EventConfigEntry>() {});
        RECORD_OF_SCHEMA.put("ErrorResp", new TypeReference<ErrorResp>() {});
        RECORD_OF_SCHEMA.put("TriggerWebhookResp", new TypeReference<TriggerWebhookResp>() {});
        RECORD_OF_SCHEMA.put("PayloadConfiguration", new TypeReference<PayloadConfiguration>() {});
        RECORD_OF_SCHEMA.put("CustomHeader", new TypeReference<Map<String, String>>() {});
        RECORD_OF_SCHEMA.put("CustomOAuthParameter", new TypeReference<CustomOAuthParameter>() {});
        RECORD_OF_SCHEMA.put("Metadata", new TypeReference<Metadata>() {});
        RECORD_OF_SCHEMA.put("ExecutionPayload", new TypeReference<ExecutionPayload>() {});
        RECORD_OF_SCHEMA.put("WebhookEvent", new TypeReference<WebhookEvent>() {});
        RECORD_OF_SCHEMA.put("ExampleRequest", new TypeReference<ExampleRequest>() {});
        RECORD_OF_SCHEMA.put("ExampleResponse", new TypeReference<ExampleResponse>() {});
        RECORD_OF_SCHEMA.put("TestOAuthResponse", new TypeReference<TestOAuthResponse>() {});
        RECORD_OF_SCHEMA.put("ReplayRequest", new TypeReference<ReplayRequest>() {});
        RECORD_OF_SCHEMA.put("BatchReplayRequest", new TypeReference<BatchReplayRequest>() {});
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode spec;

    @BeforeAll
    static void loadSpec() throws Exception {
        spec = MAPPER.readTree(Files.readString(specPath()));
    }

    static Path specPath() {
        Path path = Path.of(System.getProperty("hookengine.root", ".."), "spec", "webhooks.openapi.json");
        assertThat(path)
                .as("the spec; set -Dhookengine.root to the repository root")
                .exists();
        return path;
    }

    @Test
    void everySchemaOfTheSpecHasARecord() {
        Set<String> schemas = new HashSet<>();
        spec.path("components").path("schemas").fieldNames().forEachRemaining(schemas::add);
        assertThat(RECORD_OF_SCHEMA.keySet()).containsExactlyInAnyOrderElementsOf(schemas);
    }

    @TestFactory
    Stream<DynamicTest> schemaExamplesRoundTrip() {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode schemas = spec.path("components").path("schemas");
        RECORD_OF_SCHEMA.forEach((name, type) -> {
            JsonNode schema = schemas.path(name);
            if (schema.has("example")) {
                tests.add(
                        DynamicTest.dynamicTest(name + " example", () -> assertRoundTrip(schema.get("example"), type)));
            }
            JsonNode assembled = assemble(schema, new HashSet<>());
            if (assembled != null) {
                tests.add(DynamicTest.dynamicTest(
                        name + " property examples " + assembled, () -> assertRoundTrip(assembled, type)));
            }
        });
        assertThat(tests).as("examples found in the spec").hasSizeGreaterThanOrEqualTo(12);
        return tests.stream();
    }

    @Test
    void enumParameterExamplesParse() {
        // The v1 event listing's status parameter is the one parameter example of an enum type.
        JsonNode status = spec.path("paths")
                .path("/v1/webhooks/configs/{configId}/events")
                .path("get")
                .path("parameters")
                .get(1);
        assertThat(status.path("name").asText()).isEqualTo("status");
        assertRoundTrip(status.get("example"), new TypeReference<EventStatus>() {});
    }

    @Test
    void secretFieldsKeepTheirThreeStates() throws Exception {
        BasicAuthConfig omitted = MAPPER.readValue("{\"username\":\"u\"}", BasicAuthConfig.class);
        BasicAuthConfig cleared = MAPPER.readValue("{\"username\":\"u\",\"password\":null}", BasicAuthConfig.class);
        BasicAuthConfig set = MAPPER.readValue("{\"username\":\"u\",\"password\":\"p@ss\"}", BasicAuthConfig.class);

        assertThat(omitted.password()).isNull();
        assertThat(cleared.password()).isEqualTo(Secret.cleared());
        assertThat(set.password()).isEqualTo(Secret.of("p@ss"));
        assertThat(MAPPER.writeValueAsString(omitted)).isEqualTo("{\"username\":\"u\"}");
        assertThat(MAPPER.writeValueAsString(cleared)).isEqualTo("{\"username\":\"u\",\"password\":null}");
        assertThat(set.toString()).doesNotContain("p@ss").contains("***");
    }

    @Test
    void lastPageWritesNextCursorAsNull() throws Exception {
        EventListResponse last = new EventListResponse(List.of(), null, false);
        assertThat(MAPPER.writeValueAsString(last)).isEqualTo("{\"data\":[],\"next_cursor\":null,\"has_more\":false}");
    }

    @Test
    void executionPayloadKeepsUnnamedProperties() throws Exception {
        String json = "{\"metadata\":{\"organization_id\":\"o1\",\"custom\":1},"
                + "\"entity\":{\"_id\":\"e1\",\"n\":[1,2]},\"relations\":[],\"z\":null}";
        ExecutionPayload payload = MAPPER.readValue(json, ExecutionPayload.class);
        assertThat(payload.metadata().organizationId()).isEqualTo("o1");
        assertThat(payload.additionalProperties()).containsOnlyKeys("entity", "relations", "z");
        assertThat(payload.metadata().additionalProperties()).containsOnlyKeys("custom");
        // Equal as JSON, not as text: Jackson 2 hands creator any-setters their properties in
        // reverse order (databind#5353, fixed only in Jackson 3.2).
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(payload))).isEqualTo(MAPPER.readTree(json));
    }

    private static void assertRoundTrip(JsonNode example, TypeReference<?> type) {
        try {
            JavaType javaType = MAPPER.getTypeFactory().constructType(type);
            Object parsed = MAPPER.readerFor(javaType).readValue(example);
            JsonNode written = MAPPER.valueToTree(parsed);
            assertThat(equivalent(example, written))
                    .as("%s%n  read:    %s%n  written: %s", javaType, example, written)
                    .isTrue();
        } catch (Exception e) {
            throw new AssertionError("cannot read " + example + " as " + type.getType(), e);
        }
    }

    /** A document made of the property examples of {@code schema}, or null when it has none. */
    private static JsonNode assemble(JsonNode schema, Set<String> refsSeen) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!refsSeen.add(ref)) {
                return null;
            }
            JsonNode target = spec.at(ref.substring(1));
            JsonNode result = target.has("example") ? target.get("example") : assemble(target, refsSeen);
            refsSeen.remove(ref);
            return result;
        }
        if (schema.has("example")) {
            return schema.get("example");
        }
        if ("array".equals(schema.path("type").asText()) && schema.has("items")) {
            JsonNode item = assemble(schema.get("items"), refsSeen);
            if (item == null) {
                return null;
            }
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            array.add(item);
            return array;
        }
        JsonNode properties = schema.path("properties");
        if (properties.isMissingNode()) {
            return null;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        properties.fields().forEachRemaining(property -> {
            JsonNode value = assemble(property.getValue(), refsSeen);
            if (value != null) {
                object.set(property.getKey(), value);
            }
        });
        return object.isEmpty() ? null : object;
    }

    private static boolean equivalent(JsonNode expected, JsonNode actual) {
        if (expected.isObject() && actual.isObject()) {
            Set<String> expectedKeys = new HashSet<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            Set<String> actualKeys = new HashSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            if (!expectedKeys.equals(actualKeys)) {
                return false;
            }
            for (String key : expectedKeys) {
                if (!equivalent(expected.get(key), actual.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            Iterator<JsonNode> left = expected.elements();
            Iterator<JsonNode> right = actual.elements();
            while (left.hasNext()) {
                if (!equivalent(left.next(), right.next())) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isTextual() && actual.isTextual() && !expected.equals(actual)) {
            return sameInstant(expected.asText(), actual.asText());
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    private static boolean sameInstant(String left, String right) {
        try {
            return Timestamps.parse(left).equals(Timestamps.parse(right));
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
