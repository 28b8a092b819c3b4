package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.FieldError;
import dev.hookengine.OutcomeCode;
import dev.hookengine.ValidationException;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.CustomOAuthParameter;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExampleRequest;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.ParameterLocation;
import dev.hookengine.model.PayloadConfiguration;
import dev.hookengine.model.ReplayRequest;
import dev.hookengine.model.Secret;
import dev.hookengine.model.TriggerWebhookResp;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configs that try to hurt: transforms that yield huge values or no object, and header values that
 * carry a line break once their variables are resolved. Each is refused where it is found, with its
 * outcome code, and nothing of it reaches the store or the wire.
 */
class HostileConfigTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INJECTED = "a\r\nX-Injected: yes";

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(3));
    }

    private TriggerWebhookResp trigger(WebhookConfig config) {
        return engine.triggerWebhook(
                ORG, config.id(), new ExecutionPayload(null, Map.of("entity", json("{\"_id\":\"ord-1\"}"))), true);
    }

    // ------------------------------------------------------------------------------------------------
    // Transforms: the size of a result, and its shape
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"{'items': [1..9999999]}|items", "{'a': $pad('', 1000000, 'x'), 'b': $pad('', 100000, 'x')}|bytes"
            })
    void aTransformYieldingAHugeValueIsRefusedQuicklyAndNothingHugeIsStored(String transform, String limitPart) {
        WebhookConfig config = engine.createConfig(
                ORG, ordersConfig().jsonataExpression(transform).build());
        long started = System.nanoTime();

        ValidationException example = catchThrowableOfType(
                ValidationException.class, () -> engine.getWebhookExample(ORG, config.id(), new ExampleRequest(null)));
        TriggerWebhookResp triggered = trigger(config);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(example).as("the example is refused").isNotNull();
        assertThat(example.errors()).extracting(FieldError::path).containsExactly("jsonataExpression");
        assertThat(example.getMessage()).contains(limitPart);
        assertThat(triggered.code()).isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
        WebhookEvent stored = store.findEvent(ORG, triggered.eventId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(EventStatus.FAILED);
        assertThat(stored.payload() == null ? 0 : stored.payload().length())
                .as("the stored payload is the small original, never the huge result")
                .isLessThan(10_000);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aReplayThatReappliesAHugeTransformFailsTheSameWay() {
        WebhookConfig config = engine.createConfig(ORG, ordersConfig().build());
        TriggerWebhookResp first = trigger(config);
        assertThat(first.status()).isEqualTo(EventStatus.SUCCEEDED);
        engine.updateConfig(
                ORG,
                config.id(),
                ordersConfig().jsonataExpression("{'items': [1..9999999]}").build());

        String replayed = engine.replayEvent(ORG, config.id(), first.eventId(), new ReplayRequest(true));
        engine.deliverDue();

        WebhookEvent event = store.findEvent(ORG, replayed).orElseThrow();
        assertThat(event.status()).isEqualTo(EventStatus.FAILED);
        assertThat(event.httpResponse().code()).isEqualTo(OutcomeCode.JSONATA_LIMIT_EXCEEDED.code());
        assertThat(receiver.received()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"[1, 2]|an array", "\"text\"|a string", "42|a number", "true|a boolean"})
    void aTransformMustYieldAnObjectForTheExampleAndTheDeliveryAlike(String transform, String what) {
        WebhookConfig config = engine.createConfig(
                ORG, ordersConfig().jsonataExpression(transform).build());

        ValidationException example =
                catchThrowableOfType(ValidationException.class, () -> engine.getWebhookExample(ORG, config.id(), null));
        TriggerWebhookResp triggered = trigger(config);

        assertThat(example).isNotNull();
        assertThat(example.errors()).extracting(FieldError::path).containsExactly("jsonataExpression");
        assertThat(example.getMessage()).contains("yielded " + what).contains("JSON object");
        assertThat(triggered.code()).isEqualTo(OutcomeCode.JSONATA_EVALUATION_ERROR.code());
        assertThat(triggered.message()).contains("yielded " + what);
        assertThat(store.findEvent(ORG, triggered.eventId()).orElseThrow().status())
                .isEqualTo(EventStatus.FAILED);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aTransformYieldingNothingSkipsTheEventAndHasNoExample() {
        WebhookConfig config = engine.createConfig(
                ORG, ordersConfig().jsonataExpression("entity.nothing").build());

        ValidationException example =
                catchThrowableOfType(ValidationException.class, () -> engine.getWebhookExample(ORG, config.id(), null));
        TriggerWebhookResp triggered = trigger(config);

        assertThat(example.errors()).extracting(FieldError::path).containsExactly("jsonataExpression");
        assertThat(example.getMessage()).contains("yields nothing");
        assertThat(triggered.code()).isEqualTo(OutcomeCode.SKIPPED.code());
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void anObjectResultIsTheExampleAndTheBody() {
        WebhookConfig config = engine.createConfig(
                ORG, ordersConfig().jsonataExpression("{'id': entity._id}").build());

        assertThat(engine.getWebhookExample(ORG, config.id(), null)).isInstanceOf(ObjectNode.class);
        assertThat(trigger(config).status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(receiver.received().get(0).body()).isEqualTo("{\"id\":\"ord-1\"}");
    }

    // ------------------------------------------------------------------------------------------------
    // Headers: a line break in a variable never reaches the wire
    // ------------------------------------------------------------------------------------------------

    @Test
    void aVariableValueWithAControlCharacterIsRefusedNamingTheValueAndNotStored() {
        for (String bad : List.of(INJECTED, "a\nb", "a\u0000b", "a\u0085b", "a\u007fb")) {
            ValidationException refused =
                    catchThrowableOfType(ValidationException.class, () -> engine.putVariable(ORG, "BAD", bad));
            assertThat(refused).as("%s", bad.chars().boxed().toList()).isNotNull();
            assertThat(refused.errors()).extracting(FieldError::path).containsExactly("value");
            assertThat(refused.getMessage()).doesNotContain("X-Injected");
        }
        assertThat(engine.variableNames(ORG)).isEmpty();

        engine.putVariable(ORG, "TABBED", "a\tb");
        assertThat(engine.variableNames(ORG)).containsExactly("TABBED");
    }

    /** A config whose request puts {@code {{ env.BAD }}} in a header, one way or another. */
    private record Carrier(String name, Function<TestReceiver, WebhookConfig.Builder> config) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> carriers() {
        Function<TestReceiver, WebhookConfig.Builder> base = receiver ->
                WebhookConfig.builder().name("c").eventName("order_paid").url(receiver.url("/hooks"));
        return Stream.of(
                        new Carrier(
                                "custom header",
                                r -> base.apply(r)
                                        .payloadConfiguration(new PayloadConfiguration(
                                                null, null, null, null, null, Map.of("X-Tenant", "{{ env.BAD }}")))),
                        new Carrier(
                                "basic username",
                                r -> base.apply(r)
                                        .auth(Auth.basic(new BasicAuthConfig("{{ env.BAD }}", Secret.of("pw"), null)))),
                        new Carrier(
                                "basic password",
                                r -> base.apply(r)
                                        .auth(Auth.basic(
                                                new BasicAuthConfig("user", Secret.of("{{ env.BAD }}"), true)))),
                        new Carrier(
                                "api key value",
                                r -> base.apply(r)
                                        .auth(Auth.apiKey(
                                                new ApiKeyConfig("X-Key", Secret.of("{{ env.BAD }}"), true)))),
                        new Carrier(
                                "oauth token request header",
                                r -> base.apply(r)
                                        .auth(Auth.oauth(new OAuthConfig(
                                                "client",
                                                Secret.of("secret"),
                                                null,
                                                r.url("/token"),
                                                HttpMethod.POST,
                                                List.of(new CustomOAuthParameter(
                                                        ParameterLocation.HEADER, "X-Partner", "{{ env.BAD }}")))))))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("carriers")
    void aResolvedHeaderWithALineBreakIsNeverSent(Carrier carrier) {
        // Stored behind the engine's back, as by a version before values were checked.
        store.putVariable(ORG, "BAD", Secret.of(INJECTED));
        receiver.answer(Answer.json(200, "{\"access_token\":\"tok\",\"expires_in\":600}"));
        WebhookConfig config =
                engine.createConfig(ORG, carrier.config().apply(receiver).build());

        TriggerWebhookResp triggered = trigger(config);

        assertThat(triggered.code()).isEqualTo(OutcomeCode.INVALID_HEADER.code());
        assertThat(triggered.message()).doesNotContain("X-Injected");
        assertThat(store.findEvent(ORG, triggered.eventId()).orElseThrow().status())
                .isEqualTo(EventStatus.FAILED);
        assertThat(receiver.received())
                .as("nothing reached the receiver, nor the token endpoint")
                .isEmpty();
    }

    @Test
    void anAccessTokenWithALineBreakIsRefusedAndNeverSent() {
        receiver.answer(Answer.json(200, "{\"access_token\":\"tok\\r\\nX-Injected: yes\",\"expires_in\":600}"));
        WebhookConfig config = engine.createConfig(
                ORG,
                ordersConfig()
                        .auth(Auth.oauth(new OAuthConfig(
                                "client", Secret.of("secret"), null, receiver.url("/token"), HttpMethod.POST, null)))
                        .build());

        TriggerWebhookResp triggered = trigger(config);

        assertThat(triggered.code()).isEqualTo(OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR.code());
        assertThat(triggered.message()).contains("control characters").doesNotContain("X-Injected");
        assertThat(receiver.received()).extracting(Received::path).containsExactly("/token");
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
