package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.WebhookConfig;
import dev.hookengine.server.ApiServer.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSONata and header text built to hurt, over real HTTP, in {@link BadInputTest}'s manner: each is a
 * 400 with an {@code ErrorResp} naming the field (validated against the spec), nothing is logged as an
 * error (the server's log goes to standard error, which the test reads while it calls), and the
 * organization's configs and variables are what they were.
 */
class HostileExpressionInputTest {

    private final ApiServer api = new ApiServer();
    private String configId;
    private List<WebhookConfig> configsBefore;

    @BeforeEach
    void seed() {
        configId = api.createConfig("""
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com/hook"}""");
        configsBefore = api.engine.getConfigs(ApiServer.ORG_A, null);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @ParameterizedTest
    @MethodSource("dev.hookengine.testing.HostileExpressions#nestedTooDeeply")
    void aTransformOrConditionNestedTooDeeplyIs400NamingItsFieldAndLogsNothing(String source) {
        String transform = """
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com/hook",
                 "jsonataExpression": "%s"}""".formatted(source);
        String condition = """
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com/hook",
                 "filterConditions": {"conditions": [{"jsonata_expression": "%s"}]}}""".formatted(source);

        assertRefusedQuietly(() -> api.call("POST", "/v1/webhooks/configs", transform), "jsonataExpression: ");
        assertRefusedQuietly(
                () -> api.call("PUT", "/v1/webhooks/configs/" + configId, transform), "jsonataExpression: ");
        assertRefusedQuietly(
                () -> api.call("POST", "/v1/webhooks/configs", condition),
                "filterConditions.conditions[0].jsonata_expression: ");
        assertRefusedQuietly(
                () -> api.call("PUT", "/v1/webhooks/configs/" + configId, condition),
                "filterConditions.conditions[0].jsonata_expression: ");
        assertThat(api.engine.getConfigs(ApiServer.ORG_A, null)).isEqualTo(configsBefore);
    }

    @Test
    void anExampleWhoseTransformYieldsAHugeValueIs400Quickly() {
        String huge = api.createConfig("""
                {"name": "a", "eventName": "customer_created", "url": "https://a.example.com/hook",
                 "jsonataExpression": "{'items': [1..9999999]}"}""");
        long started = System.nanoTime();

        Response response = api.call("POST", "/v1/webhooks/configs/" + huge + "/example", "{}");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.message()).contains("jsonataExpression: ").contains("over the limit");
        assertThat(response.body().length()).isLessThan(1_000);
    }

    @Test
    void anExampleWhoseTransformYieldsNoObjectIs400NamingWhatItYielded() {
        for (String[] transform :
                new String[][] {{"[1, 2]", "an array"}, {"'text'", "a string"}, {"42", "a number"}, {"null", "nothing"}
                }) {
            String id = api.createConfig("""
                    {"name": "a", "eventName": "customer_created", "url": "https://a.example.com/hook",
                     "jsonataExpression": "%s"}""".formatted(transform[0]));

            Response response = api.call("POST", "/v1/webhooks/configs/" + id + "/example", "{}");

            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.message()).contains("jsonataExpression: ").contains(transform[1]);
        }
    }

    @Test
    void aVariableValueWithALineBreakIs400NamingTheValue() {
        assertRefusedQuietly(
                () -> api.call("PUT", "/v1/webhooks/variables/TOKEN", "{\"value\": \"a\\r\\nX-Injected: yes\"}"),
                "value: ");
        assertThat(api.engine.variableNames(ApiServer.ORG_A)).isEmpty();
    }

    /** The call is a 400 whose message has {@code messagePart}, and the server logged nothing while it ran. */
    private void assertRefusedQuietly(Supplier<Response> call, String messagePart) {
        PrintStream original = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Response response;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            response = call.get();
        } finally {
            System.setErr(original);
        }
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.message()).contains(messagePart).doesNotContain("X-Injected");
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .as("logged while refusing")
                .isEmpty();
    }
}
