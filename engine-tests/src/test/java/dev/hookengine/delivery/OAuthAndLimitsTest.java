package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.ValidationException;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.Auth;
import dev.hookengine.model.CustomOAuthParameter;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.ParameterLocation;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Secret;
import dev.hookengine.model.TestOAuthResponse;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OAuth client credentials against a real token endpoint, and the attempt's limits, end to end. */
class OAuthAndLimitsTest extends EndToEndTest {

    private TestReceiver tokenEndpoint;

    @BeforeEach
    void startTokenEndpoint() throws Exception {
        tokenEndpoint = TestReceiver.start();
    }

    @AfterEach
    void stopTokenEndpoint() throws Exception {
        tokenEndpoint.close();
    }

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofMillis(800)).pollInterval(Duration.ofMillis(20));
    }

    private WebhookConfig oauthConfig() {
        return oauthConfig(null);
    }

    private WebhookConfig oauthConfig(RetryPolicy retryPolicy) {
        engine.putVariable(ORG, "CLIENT_SECRET", "s3cret value");
        return engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("crm")
                        .eventName("order_paid")
                        .url(receiver.url("/hooks"))
                        .auth(Auth.oauth(new OAuthConfig(
                                "client-1",
                                Secret.of("{{ env.CLIENT_SECRET }}"),
                                true,
                                tokenEndpoint.url("/oauth/token"),
                                HttpMethod.POST,
                                List.of(
                                        new CustomOAuthParameter(ParameterLocation.BODY, "audience", "crm-api"),
                                        new CustomOAuthParameter(ParameterLocation.QUERY, "tenant", "acme"),
                                        new CustomOAuthParameter(
                                                ParameterLocation.HEADER, "X-Partner", "hookengine")))))
                        .retryPolicy(retryPolicy)
                        .build());
    }

    private static Answer token(String token, int expiresIn) {
        return Answer.json(
                200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
    }

    private String publish() {
        return engine.publish(DomainEvent.builder(ORG, "order_paid").build())
                .eventIds()
                .get(0);
    }

    @Test
    void theTokenRequestCarriesCustomParametersWhereConfigured() {
        tokenEndpoint.answer(token("tok-1", 3600));
        oauthConfig();
        publish();

        engine.deliverDue();

        Received request = tokenEndpoint.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("content-type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(request.body()))
                .containsEntry("grant_type", "client_credentials")
                .containsEntry("client_id", "client-1")
                .containsEntry("client_secret", "s3cret value")
                .containsEntry("audience", "crm-api")
                .doesNotContainKey("tenant");
        assertThat(request.query()).isEqualTo("tenant=acme");
        assertThat(request.header("x-partner")).isEqualTo("hookengine");
        assertThat(receiver.received().get(0).header("authorization")).isEqualTo("Bearer tok-1");
    }

    @Test
    void theTokenIsReusedUntilShortlyBeforeItExpires() {
        tokenEndpoint.answer(token("tok-1", 600), token("tok-2", 600));
        oauthConfig();

        publish();
        engine.deliverDue();
        clock.advance(Duration.ofSeconds(500));
        publish();
        engine.deliverDue();
        clock.advance(Duration.ofSeconds(71)); // 571 s: past 600 s less its 30 s margin
        publish();
        engine.deliverDue();

        assertThat(tokenEndpoint.received()).hasSize(2);
        assertThat(receiver.received())
                .extracting(r -> r.header("authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void a401RefreshesTheTokenOnceAndResends() {
        tokenEndpoint.answer(token("stale", 3600), token("fresh", 3600));
        receiver.answer(Answer.of(401), Answer.of(200));
        oauthConfig();
        String eventId = publish();

        engine.deliverDue();

        assertThat(receiver.received())
                .extracting(r -> r.header("authorization"))
                .containsExactly("Bearer stale", "Bearer fresh");
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(store.attemptsOf(ORG, eventId))
                .as("the resend is part of the same attempt")
                .hasSize(1);
    }

    // Leases are short, so an exchange may start only when its whole deadline fits in the claim's
    // lease. The resend after a 401 is the second exchange of one attempt: when the first took most of
    // the lease, the lease is renewed before the resend; when it cannot be (it expired, so another
    // node may hold the job by now), nothing more is sent and the attempt does not count.

    @Test
    void theLeaseIsTwoExchangesLong() {
        assertThat(engine.config().lease()).isEqualTo(Duration.ofMillis(5600));
        try (WebhookEngine withDefaults = WebhookEngine.builder().store(store).build()) {
            assertThat(withDefaults.config().lease())
                    .as("the takeover bound the README states")
                    .isEqualTo(Duration.ofSeconds(34));
        }
    }

    @Test
    void aResendTheLeaseNoLongerCoversRenewsItFirst() {
        Duration lease = engine.config().lease();
        tokenEndpoint.answer(token("stale", 3600), token("fresh", 3600));
        receiver.answer(Answer.of(401), Answer.of(200));
        // The 401 arrives when less than a whole exchange is left of the lease.
        receiver.onRequest(request -> {
            if (request.header("authorization").equals("Bearer stale")) {
                clock.advance(lease.minus(engine.config().attemptDeadline()));
            }
        });
        oauthConfig();
        String eventId = publish();

        engine.deliverDue();

        assertThat(receiver.received())
                .extracting(r -> r.header("authorization"))
                .containsExactly("Bearer stale", "Bearer fresh");
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(store.attemptsOf(ORG, eventId)).hasSize(1);
    }

    @Test
    void aResendIsNotSentWhenTheLeaseExpiredMeanwhile() {
        Duration lease = engine.config().lease();
        tokenEndpoint.answer(token("stale", 3600), token("fresh", 3600));
        receiver.answer(Answer.of(401), Answer.of(200));
        // The first exchange outlives the lease (a node stalled long enough to be given up for dead).
        receiver.onRequest(request -> {
            if (request.header("authorization").equals("Bearer stale")) {
                clock.advance(lease.plusSeconds(1));
            }
        });
        oauthConfig();
        String eventId = publish();

        engine.deliverDue();

        assertThat(receiver.received()).as("no resend under an expired lease").hasSize(1);
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(store.attemptsOf(ORG, eventId))
                .as("the given-up attempt does not count")
                .isEmpty();
        assertThat(store.jobsOfEvent(ORG, eventId))
                .extracting(DeliveryJob::attempt)
                .containsExactly(0);

        receiver.onRequest(request -> {});
        assertThat(engine.deliverDue())
                .as("the job was given back and is taken again at once")
                .isEqualTo(1);
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
    }

    @Test
    void aFailingTokenEndpointIsAnOAuthTokenExchangeErrorRetriedLikeAReceiversFailure() {
        tokenEndpoint.otherwise(Answer.json(500, "{\"error\":\"down\"}"));
        WebhookConfig config = oauthConfig(); // the default retry policy: retries
        String eventId = publish();

        engine.deliverDue();

        WebhookEvent failed = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(failed.status()).as("a 500 of the token endpoint is retried").isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR.code());
        assertThat(failed.httpResponse().message()).doesNotContain("s3cret");
        assertThat(receiver.received()).isEmpty();

        TestOAuthResponse test = engine.testOAuth(ORG, config.id());
        assertThat(test.success()).isFalse();
        assertThat(test.message()).contains("500");
    }

    @Test
    void aTokenEndpointAnswering503IsAnAttemptThatIsRetriedAndTheRetrySucceeds() {
        tokenEndpoint.answer(Answer.of(503), token("tok-after-503", 3600));
        oauthConfig(new RetryPolicy(true, 3));
        String eventId = publish();

        engine.deliverDue();

        WebhookEvent waiting = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(waiting.status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(waiting.httpResponse().code()).isEqualTo(OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR.code());
        assertThat(waiting.httpResponse().message()).contains("503");
        assertThat(store.attemptsOf(ORG, eventId)).hasSize(1);
        assertThat(receiver.received()).isEmpty();

        clock.advance(Duration.ofSeconds(6)); // the first retry: 5 s ±20 %
        engine.deliverDue();

        WebhookEvent delivered = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(delivered.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(delivered.retryAttempt()).isEqualTo(1);
        assertThat(store.attemptsOf(ORG, eventId)).hasSize(2);
        assertThat(receiver.received())
                .singleElement()
                .satisfies(
                        request -> assertThat(request.header("authorization")).isEqualTo("Bearer tok-after-503"));
    }

    @Test
    void aTokenEndpointAnswering429IsRetriedAfterItsRetryAfter() {
        tokenEndpoint.answer(new Answer(429, Map.of("Retry-After", "60"), ""), token("tok-after-429", 3600));
        oauthConfig(new RetryPolicy(true, 3));
        String eventId = publish();

        engine.deliverDue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(engine.deliverDue())
                .as("not due before the token endpoint's Retry-After")
                .isZero();
        clock.advance(Duration.ofSeconds(31));
        engine.deliverDue();

        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void aTokenEndpointRefusingTheClientFailsAtOnceWhateverTheRetryPolicy() {
        tokenEndpoint.otherwise(Answer.json(400, "{\"error\":\"invalid_client\"}"));
        oauthConfig(new RetryPolicy(true, 3));
        String eventId = publish();

        engine.deliverDue();

        WebhookEvent failed = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR.code());
        assertThat(tokenEndpoint.received()).hasSize(1);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void testOAuthRunsTheExchangeAloneAndNeverReturnsTheToken() {
        tokenEndpoint.answer(token("tok-secret", 3600));
        WebhookConfig config = oauthConfig();

        TestOAuthResponse test = engine.testOAuth(ORG, config.id());

        assertThat(test.success()).isTrue();
        assertThat(test.expiresIn()).isEqualTo(3600L);
        assertThat(test.tokenType()).isEqualTo("Bearer");
        assertThat(test.toString()).doesNotContain("tok-secret");
        assertThat(receiver.received()).isEmpty();
        WebhookConfig plain = engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("n")
                        .eventName("e")
                        .url(receiver.url("/x"))
                        .build());
        assertThatThrownBy(() -> engine.testOAuth(ORG, plain.id())).isInstanceOf(ValidationException.class);
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutAndIsRetried() throws Exception {
        try (TestReceiver silent = TestReceiver.start(Answer.hold())) {
            engine.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("n")
                            .eventName("order_paid")
                            .url(silent.url("/hook"))
                            .build());
            String eventId = publish();

            long started = System.nanoTime();
            engine.deliverDue();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(Duration.ofSeconds(5));
            WebhookEvent event = store.findEvent(ORG, eventId).orElseThrow();
            assertThat(event.status()).isEqualTo(EventStatus.IN_PROGRESS);
            assertThat(event.httpResponse().code()).isEqualTo(OutcomeCode.TIMEOUT.code());
            assertThat(event.httpResponse().statusCode()).isNull();
            assertThat(store.jobsOfEvent(ORG, eventId).get(0).attempt()).isEqualTo(1);
        }
    }

    @Test
    void aHugeResponseIsCutAndRecordedAsTooLargeWithItsStatus() {
        receiver.answer(Answer.json(200, "{\"data\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}"));
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("n")
                        .eventName("order_paid")
                        .url(receiver.url("/h"))
                        .build());
        String eventId = publish();

        engine.deliverDue();

        WebhookEvent event = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(event.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(event.httpResponse().statusCode()).isEqualTo(200);
        assertThat(event.httpResponse().code()).isEqualTo(OutcomeCode.INTERNAL_RESPONSE_TOO_LARGE.code());
        assertThat(event.httpResponse().body()).isNull();
    }

    @Test
    void theSsrfGuardRefusesLoopbackWhenNothingIsAllowListed() throws Exception {
        try (JettyHttpTransport guarded = JettyHttpTransport.builder().build();
                WebhookEngine strict = newEngine(guarded)) {
            strict.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("n")
                            .eventName("order_paid")
                            .url(receiver.url("/h"))
                            .build());
            String eventId = strict.publish(
                            DomainEvent.builder(ORG, "order_paid").build())
                    .eventIds()
                    .get(0);

            strict.deliverDue();

            WebhookEvent event = store.findEvent(ORG, eventId).orElseThrow();
            assertThat(event.status())
                    .as("refused destinations are not retried")
                    .isEqualTo(EventStatus.FAILED);
            assertThat(event.httpResponse().code()).isEqualTo(OutcomeCode.DESTINATION_BLOCKED.code());
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void startedWorkersDeliverWithoutBeingDriven() throws Exception {
        CountDownLatch received = new CountDownLatch(3);
        try (TestReceiver counting = TestReceiver.start().onRequest(request -> received.countDown())) {
            engine.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("n")
                            .eventName("order_paid")
                            .url(counting.url("/hook"))
                            .build());
            engine.start();

            publish();
            publish();
            publish();

            assertThat(received.await(10, TimeUnit.SECONDS))
                    .as("all three delivered by the workers")
                    .isTrue();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] parts = pair.split("=", 2);
            fields.put(
                    URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }
}
