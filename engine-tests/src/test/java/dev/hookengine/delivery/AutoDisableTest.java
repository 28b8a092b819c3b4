package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.testing.Answer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auto-disable end to end, on the engine's clock: a receiver on 127.0.0.1 that answers 500, events
 * published over (injected) days, and the sweep ({@code disableFailingConfigs}, what the workers run
 * every minute) called at chosen instants. The period is 5 days, the minimum 4 failed attempts.
 */
class AutoDisableTest extends EndToEndTest {

    private static final Duration PERIOD = Duration.ofDays(5);
    private static final int MIN_ATTEMPTS = 4;
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final RetryPolicy NO_RETRIES = new RetryPolicy(false, 1);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Instant start;

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        // A breaker that never opens: its delay runs on the wall clock, which these tests do not move.
        return builder.autoDisable(PERIOD, MIN_ATTEMPTS)
                .meterRegistry(meters)
                .circuitBreaker(1_000, Duration.ofSeconds(30))
                .deliveryThreads(1);
    }

    @BeforeEach
    void failingReceiver() {
        receiver.otherwise(Answer.of(500));
        start = clock.instant();
    }

    @Test
    void aConfigFailingThroughThePeriodIsDisabledAfterItAndNotBefore() {
        WebhookConfig config = createConfig(NO_RETRIES);
        for (int day = 0; day < 5; day++) {
            clock.set(start.plus(Duration.ofDays(day)));
            deliverOneFailing();
        }
        assertThat(receiver.receivedCount()).isEqualTo(5);

        clock.set(start.plus(PERIOD).minus(SECOND));
        assertThat(engine.disableFailingConfigs())
                .as("a second before the period ends")
                .isZero();
        assertThat(engine.getConfig(ORG, config.id()).enabled()).isTrue();

        clock.set(start.plus(PERIOD).plus(SECOND));
        assertThat(engine.disableFailingConfigs()).isEqualTo(1);

        WebhookConfig disabled = engine.getConfig(ORG, config.id());
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.status()).isEqualTo(ConfigStatus.INACTIVE);
        ConfigControls controls = engine.getControls(ORG, config.id());
        assertThat(controls.disabledReason())
                .isEqualTo("every delivery failed for 5 days (5 attempts since " + start + ")");
        assertThat(controls.disabledAt()).isEqualTo(clock.instant());
        assertThat(disabledCount("auto")).isEqualTo(1.0);

        WebhookEngine otherNode = newEngine(transport);
        try {
            assertThat(otherNode.disableFailingConfigs())
                    .as("another node sweeping the same store")
                    .isZero();
        } finally {
            otherNode.close();
        }
        assertThat(engine.disableFailingConfigs()).isZero();
        assertThat(disabledCount("auto")).as("counted once").isEqualTo(1.0);
        assertThat(engine.getControls(ORG, config.id())).isEqualTo(controls);

        publish();
        clock.advance(Duration.ofHours(1));
        engine.deliverDue();
        assertThat(receiver.receivedCount())
                .as("a later publish is not delivered")
                .isEqualTo(5);
    }

    @Test
    void aSuccessStartsTheClockOver() {
        WebhookConfig config = createConfig(NO_RETRIES);
        for (int day = 0; day < 3; day++) {
            clock.set(start.plus(Duration.ofDays(day)));
            deliverOneFailing();
        }
        clock.set(start.plus(Duration.ofDays(3)));
        receiver.answer(Answer.of(200));
        deliverOne();
        assertThat(engine.getEventById(ORG, config.id(), lastEvent).status()).isEqualTo(EventStatus.SUCCEEDED);
        Instant firstNewFailure = start.plus(Duration.ofDays(3)).plus(Duration.ofHours(1));
        for (int day = 0; day < 4; day++) {
            clock.set(firstNewFailure.plus(Duration.ofDays(day)));
            deliverOneFailing();
        }

        clock.set(start.plus(PERIOD).plus(SECOND));
        assertThat(engine.disableFailingConfigs()).as("the old deadline").isZero();
        clock.set(firstNewFailure.plus(PERIOD).minus(SECOND));
        assertThat(engine.disableFailingConfigs()).isZero();
        clock.set(firstNewFailure.plus(PERIOD));
        assertThat(engine.disableFailingConfigs()).isEqualTo(1);
        assertThat(engine.getControls(ORG, config.id()).disabledReason())
                .isEqualTo("every delivery failed for 5 days (4 attempts since " + firstNewFailure + ")");
    }

    @Test
    void fewerFailedAttemptsThanTheMinimumDoNotDisableHoweverLongTheyLast() {
        WebhookConfig config = createConfig(NO_RETRIES);
        for (int day = 0; day < MIN_ATTEMPTS - 1; day++) {
            clock.set(start.plus(Duration.ofDays(day)));
            deliverOneFailing();
        }

        clock.set(start.plus(Duration.ofDays(30)));
        assertThat(engine.disableFailingConfigs()).isZero();
        assertThat(engine.getConfig(ORG, config.id()).enabled()).isTrue();

        deliverOneFailing();
        assertThat(engine.disableFailingConfigs()).as("the minimum reached").isEqualTo(1);
    }

    @Test
    void retriedAttemptsCountAsFailuresToo() {
        WebhookConfig config = createConfig(new RetryPolicy(true, MIN_ATTEMPTS - 1));
        publish();
        for (int attempt = 0; attempt < MIN_ATTEMPTS; attempt++) {
            clock.advance(Duration.ofHours(6)); // past every retry delay
            assertThat(engine.deliverDue()).isEqualTo(1);
        }
        assertThat(engine.getEventById(ORG, config.id(), lastEvent).status()).isEqualTo(EventStatus.FAILED);

        clock.set(start.plus(Duration.ofHours(6)).plus(PERIOD));
        assertThat(engine.disableFailingConfigs()).isEqualTo(1);
        assertThat(engine.getControls(ORG, config.id()).disabledReason()).contains("(4 attempts since");
    }

    @Test
    void enablingADisabledConfigStartsItsHealthOverAndClearsTheReason() {
        WebhookConfig config = createConfig(NO_RETRIES);
        for (int attempt = 0; attempt < MIN_ATTEMPTS; attempt++) {
            deliverOneFailing();
        }
        clock.set(start.plus(PERIOD));
        assertThat(engine.disableFailingConfigs()).isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        WebhookConfig enabled = engine.updateConfig(
                ORG,
                config.id(),
                engine.getConfig(ORG, config.id()).toBuilder().enabled(true).build());
        assertThat(enabled.enabled()).isTrue();
        assertThat(engine.getControls(ORG, config.id())).isEqualTo(ConfigControls.NONE);
        assertThat(engine.disableFailingConfigs())
                .as("not for the old failures")
                .isZero();

        Instant failingAgain = clock.instant();
        for (int attempt = 0; attempt < MIN_ATTEMPTS; attempt++) {
            deliverOneFailing();
        }
        clock.set(failingAgain.plus(PERIOD).minus(SECOND));
        assertThat(engine.disableFailingConfigs()).isZero();
        clock.set(failingAgain.plus(PERIOD));
        assertThat(engine.disableFailingConfigs()).isEqualTo(1);
        assertThat(disabledCount("auto")).isEqualTo(2.0);
    }

    @Test
    void a410DisablesAtOnceWithItsReason() {
        WebhookConfig config = createConfig(new RetryPolicy(true, 3));
        receiver.answer(Answer.of(410));

        deliverOne();

        assertThat(engine.getConfig(ORG, config.id()).enabled()).isFalse();
        ConfigControls controls = engine.getControls(ORG, config.id());
        assertThat(controls.disabledReason()).isEqualTo("the receiver answered 410 Gone");
        assertThat(controls.disabledAt()).isEqualTo(clock.instant());
        assertThat(disabledCount("gone")).isEqualTo(1.0);
        assertThat(disabledCount("auto")).isZero();
    }

    @Test
    void turnedOffItDisablesNothing() throws Exception {
        WebhookEngine off = WebhookEngine.builder()
                .store(new InMemoryWebhookStore())
                .transport(transport)
                .clock(clock)
                .autoDisable(Duration.ZERO, 1)
                .build();
        try {
            WebhookConfig config =
                    off.createConfig(ORG, ordersConfig().retryPolicy(NO_RETRIES).build());
            off.publish(event());
            off.deliverDue();
            clock.advance(Duration.ofDays(365));
            assertThat(off.disableFailingConfigs()).isZero();
            assertThat(off.getConfig(ORG, config.id()).enabled()).isTrue();
        } finally {
            off.close();
        }
    }

    @Test
    void badSettingsNameTheirField() {
        assertThatThrownBy(() -> WebhookEngine.builder()
                        .store(new InMemoryWebhookStore())
                        .autoDisable(Duration.ofSeconds(-1), 10)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoDisablePeriod");
        assertThatThrownBy(() -> WebhookEngine.builder()
                        .store(new InMemoryWebhookStore())
                        .autoDisable(PERIOD, 0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoDisableMinAttempts");
        assertThatThrownBy(() -> WebhookEngine.builder().autoDisable(null, 10))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("autoDisablePeriod");
    }

    private String lastEvent;

    private WebhookConfig createConfig(RetryPolicy retryPolicy) {
        return engine.createConfig(ORG, ordersConfig().retryPolicy(retryPolicy).build());
    }

    /** Publishes one event and delivers it now: the receiver answers 500. */
    private void deliverOneFailing() {
        int before = receiver.receivedCount();
        deliverOne();
        assertThat(receiver.receivedCount()).isEqualTo(before + 1);
    }

    private void deliverOne() {
        publish();
        assertThat(engine.deliverDue()).isEqualTo(1);
    }

    private void publish() {
        lastEvent = engine.publish(event()).eventIds().stream().findFirst().orElse(null);
    }

    private static DomainEvent event() {
        return DomainEvent.builder(ORG, "order_paid")
                .entity(JsonNodeFactory.instance.objectNode().put("_id", "ord-1"))
                .build();
    }

    private double disabledCount(String reason) {
        Counter counter =
                meters.find("hookengine.configs.disabled").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
