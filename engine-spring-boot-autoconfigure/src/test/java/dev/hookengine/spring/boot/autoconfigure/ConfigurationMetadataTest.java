package dev.hookengine.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The metadata that {@code spring-boot-configuration-processor} generates from {@link HookengineProperties}
 * (the file the jar ships, {@code META-INF/spring-configuration-metadata.json}): every property is listed,
 * each with its javadoc as description, so that IDEs complete and explain {@code hookengine.*}.
 */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyIsListedWithItsDescription() throws Exception {
        Map<String, String> described = new TreeMap<>();
        try (InputStream metadata =
                getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("the generated metadata").isNotNull();
            for (JsonNode property : new ObjectMapper().readTree(metadata).path("properties")) {
                described.put(
                        property.path("name").asText(),
                        property.path("description").asText(""));
            }
        }

        assertThat(described)
                .containsOnlyKeys(
                        "hookengine.store",
                        "hookengine.master-key",
                        "hookengine.deliver",
                        "hookengine.delivery-threads",
                        "hookengine.delivery-batch-size",
                        "hookengine.poll-interval",
                        "hookengine.attempt-deadline",
                        "hookengine.event-retention",
                        "hookengine.idempotency-window",
                        "hookengine.config-refresh-interval",
                        "hookengine.signing-key-issuer",
                        "hookengine.signing-rotation-grace",
                        "hookengine.auto-disable.period",
                        "hookengine.auto-disable.min-attempts",
                        "hookengine.circuit-breaker.failure-threshold",
                        "hookengine.circuit-breaker.delay",
                        "hookengine.jdbc.table-prefix",
                        "hookengine.jdbc.migrate",
                        "hookengine.jdbc.flyway",
                        "hookengine.http.allow-private-targets",
                        "hookengine.http.allow-addresses",
                        "hookengine.server.enabled",
                        "hookengine.server.host",
                        "hookengine.server.port");
        assertThat(described)
                .allSatisfy(
                        (name, description) -> assertThat(description).as(name).isNotBlank());
        assertThat(described.get("hookengine.delivery-threads"))
                .isEqualTo("Threads that make delivery attempts in parallel.");
    }
}
