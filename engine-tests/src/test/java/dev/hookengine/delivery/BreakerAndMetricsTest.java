package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-destination circuit breaker and the engine's meters, end to end. */
class BreakerAndMetricsTest extends EndToEndTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.meterRegistry(meters).circuitBreaker(3, Duration.ofMinutes(10));
    }

    private String publish(String status) {
        return engine.publish(DomainEvent.builder(ORG, "order_paid")
                        .entity(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                .objectNode()
                                .put("status", status))
                        .build())
                .eventIds()
                .get(0);
    }

    @Test
    void anOpenBreakerHoldsJobsWithoutSpendingAttempts() {
        receiver.otherwise(Answer.of(503));
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("n")
                        .eventName("order_paid")
                        .url(receiver.url("/h"))
                        .build());
        List<String> failing = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            failing.add(publish("paid"));
        }
        engine.deliverDue();
        assertThat(receiver.received()).hasSize(3);
        assertThat(meters.get("hookengine.breakers.open").gauge().value()).isEqualTo(1.0);

        String held = publish("paid");
        engine.deliverDue();

        assertThat(receiver.received())
                .as("nothing sent while the breaker is open")
                .hasSize(3);
        assertThat(store.attemptsOf(ORG, held)).isEmpty();
        assertThat(store.jobsOfEvent(ORG, held).get(0).attempt())
                .as("no attempt spent")
                .isZero();
        assertThat(store.jobsOfEvent(ORG, held).get(0).dueAt()).isAfter(clock.instant());
        assertThat(store.findEvent(ORG, held).orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(meters.get("hookengine.attempts")
                        .tag("outcome", "deferred")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(failing)
                .allSatisfy(id -> assertThat(store.attemptsOf(ORG, id)).hasSize(1));
    }

    @Test
    void metersCountEventsAttemptsAndLatency() {
        receiver.answer(Answer.of(500), Answer.of(200), Answer.of(404));
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("n")
                        .eventName("order_paid")
                        .url(receiver.url("/h"))
                        .filterConditions(new WebhookConditionGroup(
                                List.of(WebhookCondition.of("entity.status", ConditionOperation.NOT_EQUALS, "draft")),
                                null))
                        .build());

        publish("draft");
        String retried = publish("paid");
        engine.deliverDue();
        clock.advance(Duration.ofSeconds(5));
        engine.deliverDue();
        publish("paid");
        engine.deliverDue();

        assertThat(meters.get("hookengine.events")
                        .tag("outcome", "skipped")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("hookengine.events")
                        .tag("outcome", "queued")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(meters.get("hookengine.attempts")
                        .tag("outcome", "retrying")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("hookengine.attempts")
                        .tag("outcome", "succeeded")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("hookengine.attempts")
                        .tag("outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("hookengine.delivery.latency").timer().count()).isEqualTo(1);
        assertThat(meters.get("hookengine.delivery.latency").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .as("created, failed, retried 5 s later")
                .isEqualTo(5.0);
        assertThat(meters.get("hookengine.dispatch.duration").timer().count()).isEqualTo(3);
        assertThat(store.findEvent(ORG, retried).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(meters.getMeters())
                .allSatisfy(meter -> assertThat(meter.getId().getName()).startsWith("hookengine."));
    }

    @Test
    void oneOrganizationsFailuresNeverHoldBackAnother() {
        receiver.otherwise(Answer.of(503));
        engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("n")
                        .eventName("order_paid")
                        .url(receiver.url("/h"))
                        .build());
        engine.createConfig(
                "org-b",
                WebhookConfig.builder()
                        .name("n")
                        .eventName("order_paid")
                        .url(receiver.url("/h"))
                        .build());
        for (int i = 0; i < 3; i++) {
            publish("paid");
        }
        engine.deliverDue();
        assertThat(meters.get("hookengine.breakers.open").gauge().value()).isEqualTo(1.0);

        String other = engine.publish(DomainEvent.builder("org-b", "order_paid").build())
                .eventIds()
                .get(0);
        engine.deliverDue();

        assertThat(store.attemptsOf("org-b", other))
                .as("org-b's breaker is its own")
                .hasSize(1);
        assertThat(receiver.received()).hasSize(4);
    }

    @Test
    void aHalfOpenTrialThatEndsInAnOAuthFailureGivesItsPermitBack() throws Exception {
        try (TestReceiver tokens = TestReceiver.start();
                WebhookEngine quick = dev.hookengine.WebhookEngine.builder()
                        .store(store)
                        .transport(transport)
                        .clock(clock)
                        .retrySchedule(RetrySchedule.standardWithoutJitter())
                        .circuitBreaker(1, Duration.ofMillis(1))
                        .build()) {
            tokens.answer(Answer.json(200, "{\"access_token\":\"t1\",\"expires_in\":3600}"), Answer.json(500, "{}"));
            tokens.otherwise(Answer.json(200, "{\"access_token\":\"t2\",\"expires_in\":3600}"));
            receiver.answer(Answer.of(503), Answer.of(401));
            quick.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("n")
                            .eventName("order_paid")
                            .url(receiver.url("/h"))
                            .auth(dev.hookengine.model.Auth.oauth(new dev.hookengine.model.OAuthConfig(
                                    "c",
                                    dev.hookengine.model.Secret.of("s"),
                                    null,
                                    tokens.url("/token"),
                                    dev.hookengine.model.HttpMethod.POST,
                                    null)))
                            .build());

            String first = quick.publish(DomainEvent.builder(ORG, "order_paid").build())
                    .eventIds()
                    .get(0);
            quick.deliverDue(); // 503: the breaker opens
            clock.advance(Duration.ofSeconds(5));
            quick.deliverDue(); // half-open trial: 401, and the token refresh fails
            assertThat(store.findEvent(ORG, first).orElseThrow().httpResponse().code())
                    .isEqualTo(OutcomeCode.OAUTH_TOKEN_EXCHANGE_ERROR.code());

            String second = quick.publish(DomainEvent.builder(ORG, "order_paid").build())
                    .eventIds()
                    .get(0);
            quick.deliverDue();

            assertThat(store.findEvent(ORG, second).orElseThrow().status())
                    .as("the destination is not held forever")
                    .isEqualTo(EventStatus.SUCCEEDED);
        }
    }
}
