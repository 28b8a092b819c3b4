package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.AttemptPage;
import dev.hookengine.DomainEvent;
import dev.hookengine.EventAttempt;
import dev.hookengine.FieldError;
import dev.hookengine.NotFoundException;
import dev.hookengine.OutcomeCode;
import dev.hookengine.PublishResult;
import dev.hookengine.ValidationException;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.testing.Answer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An event's attempt history read back through {@code WebhookEngine.getEventAttempts}: a real
 * receiver on 127.0.0.1 answering through the real transport, retries driven by the test's clock.
 */
class AttemptHistoryTest extends EndToEndTest {

    private static final String FIRST = "first failure: upstream down";
    private static final String SECOND = "{\"error\":\"still down\",\"retry\":true}";
    private static final String THIRD = "ok, thanks — received ✓";

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(3));
    }

    private String createConfig(String name, String url) {
        return engine.createConfig(
                        ORG,
                        WebhookConfig.builder()
                                .name(name)
                                .eventName("order_paid")
                                .url(url)
                                .build())
                .id();
    }

    private String publishOne() {
        return engine.publish(DomainEvent.builder(ORG, "order_paid").build())
                .eventIds()
                .get(0);
    }

    /** 500, 500, then 200, each with its own body, at the times the retry schedule says. */
    private String deliverThreeTimes(String configId) {
        receiver.answer(Answer.text(500, FIRST), Answer.json(500, SECOND), Answer.text(200, THIRD));
        String eventId = publishOne();
        assertThat(engine.deliverDue()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(engine.deliverDue()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(engine.deliverDue()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(3);
        return eventId;
    }

    @Test
    void threeAttemptsReadBackOldestFirstWithWhatTheReceiverAnswered() {
        String configId = createConfig("orders", receiver.url("/hooks"));
        Instant start = clock.instant();
        String eventId = deliverThreeTimes(configId);

        AttemptPage page = engine.getEventAttempts(ORG, configId, eventId, null, null);

        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextCursor()).isNull();
        assertThat(page.data()).extracting(EventAttempt::attempt).containsExactly(1, 2, 3);
        assertThat(page.data()).extracting(EventAttempt::statusCode).containsExactly(500, 500, 200);
        assertThat(page.data())
                .as("an answered attempt has no outcome code or error")
                .allSatisfy(attempt -> {
                    assertThat(attempt.code()).isNull();
                    assertThat(attempt.error()).isNull();
                    assertThat(attempt.durationMillis()).isGreaterThanOrEqualTo(0);
                });
        assertThat(page.data()).extracting(EventAttempt::responseExcerpt).containsExactly(FIRST, SECOND, THIRD);
        assertThat(page.data())
                .extracting(EventAttempt::startedAt)
                .containsExactly(
                        start, start.plusSeconds(5), start.plusSeconds(5).plus(Duration.ofMinutes(5)));
    }

    @Test
    void theJsonShapeIsSnakeCaseWithTheCursorAlwaysWritten() throws Exception {
        String configId = createConfig("orders", receiver.url("/hooks"));
        String eventId = deliverThreeTimes(configId);

        String json = new ObjectMapper().writeValueAsString(engine.getEventAttempts(ORG, configId, eventId, 1, null));

        assertThat(json)
                .startsWith("{\"data\":[{\"attempt\":1,\"started_at\":\"2026-03-01T10:00:00.000Z\",\"duration_ms\":")
                .contains("\"status_code\":500,\"response_excerpt\":\"" + FIRST + "\"}]")
                .contains("\"next_cursor\":\"")
                .endsWith("\"has_more\":true}");
        assertThat(new ObjectMapper().writeValueAsString(engine.getEventAttempts(ORG, configId, eventId, null, null)))
                .contains("\"next_cursor\":null");
    }

    @Test
    void pagesFollowTheCursorToTheEnd() {
        String configId = createConfig("orders", receiver.url("/hooks"));
        String eventId = deliverThreeTimes(configId);

        AttemptPage first = engine.getEventAttempts(ORG, configId, eventId, 2, null);
        AttemptPage second = engine.getEventAttempts(ORG, configId, eventId, 2, first.nextCursor());

        assertThat(first.data()).extracting(EventAttempt::attempt).containsExactly(1, 2);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.nextCursor()).isNotBlank();
        assertThat(second.data()).extracting(EventAttempt::attempt).containsExactly(3);
        assertThat(second.data()).extracting(EventAttempt::responseExcerpt).containsExactly(THIRD);
        assertThat(second.hasMore()).isFalse();
        assertThat(second.nextCursor()).isNull();
        AttemptPage exact = engine.getEventAttempts(ORG, configId, eventId, 3, null);
        assertThat(exact.data()).hasSize(3);
        assertThat(exact.hasMore())
                .as("a page that ends with the last attempt says so")
                .isFalse();
        assertThat(exact.nextCursor()).isNull();
    }

    @Test
    void theExcerptOfALargeBodyIsExactlyTheBound() {
        String body = "0123456789abcdef".repeat(100 * 1024 / 16);
        receiver.answer(Answer.text(200, body));
        String configId = createConfig("orders", receiver.url("/hooks"));
        String eventId = publishOne();
        engine.deliverDue();

        EventAttempt attempt = engine.getEventAttempts(ORG, configId, eventId, null, null)
                .data()
                .get(0);

        assertThat(attempt.statusCode()).isEqualTo(200);
        assertThat(attempt.code())
                .as("100 KiB is more than the transport reads")
                .isEqualTo(OutcomeCode.INTERNAL_RESPONSE_TOO_LARGE.code());
        assertThat(attempt.responseExcerpt())
                .hasSize(DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS)
                .isEqualTo(body.substring(0, DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS));
    }

    @Test
    void theExcerptIsNeverCutInsideACharacterAndHoldsNoNul() {
        String beforeCut = "a".repeat(DeliveryAttempt.RESPONSE_EXCERPT_MAX_CHARS - 1);
        receiver.answer(Answer.text(500, "\u0000" + beforeCut.substring(1) + "😀 and more"), Answer.of(200));
        String configId = createConfig("orders", receiver.url("/hooks"));
        String eventId = publishOne();
        engine.deliverDue();

        String excerpt = engine.getEventAttempts(ORG, configId, eventId, null, null)
                .data()
                .get(0)
                .responseExcerpt();

        assertThat(excerpt)
                .as("the emoji's two halves would end at 1,025: it is left out whole")
                .isEqualTo("\uFFFD" + beforeCut.substring(1));
    }

    @Test
    void anAttemptWithoutResponseHasItsCodeAndErrorButNoExcerpt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String configId = createConfig("orders", "http://127.0.0.1:" + closedPort + "/hooks");
        String eventId = publishOne();
        engine.deliverDue();

        EventAttempt attempt = engine.getEventAttempts(ORG, configId, eventId, null, null)
                .data()
                .get(0);

        assertThat(attempt.statusCode()).isNull();
        assertThat(attempt.code()).isEqualTo(OutcomeCode.CONNECTION_ERROR.code());
        assertThat(attempt.error()).isNotBlank();
        assertThat(attempt.responseExcerpt()).isNull();
    }

    @Test
    void anEventNotYetAttemptedHasAnEmptyPage() {
        String configId = createConfig("orders", receiver.url("/hooks"));
        String eventId = publishOne();

        AttemptPage page = engine.getEventAttempts(ORG, configId, eventId, null, null);

        assertThat(page.data()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void anEventOfAnotherConfigOrOrganizationOrNoneIsNotFound() {
        String configId = createConfig("orders", receiver.url("/hooks"));
        String otherConfig = createConfig("audit", receiver.url("/audit"));
        PublishResult published =
                engine.publish(DomainEvent.builder(ORG, "order_paid").build());
        engine.deliverDue();
        int ofFirst = published.dispatches().get(0).configId().equals(configId) ? 0 : 1;
        String eventOfFirst = published.eventIds().get(ofFirst);

        assertThatThrownBy(() -> engine.getEventAttempts(ORG, otherConfig, eventOfFirst, null, null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.getEventAttempts("org-b", configId, eventOfFirst, null, null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.getEventAttempts(ORG, configId, "no-such-event", null, null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> engine.getEventAttempts(ORG, "no-such-config", eventOfFirst, null, null))
                .isInstanceOf(NotFoundException.class);
        assertThat(engine.getEventAttempts(ORG, configId, eventOfFirst, null, null)
                        .data())
                .hasSize(1);
    }

    @Test
    void aBadLimitOrCursorIsRefusedNamingIt() {
        String configId = createConfig("orders", receiver.url("/hooks"));
        String eventId = deliverThreeTimes(configId);
        String notOurs = Base64.getUrlEncoder().encodeToString("after:0".getBytes(StandardCharsets.US_ASCII));

        for (int limit : new int[] {0, -1, AttemptPage.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> engine.getEventAttempts(ORG, configId, eventId, limit, null))
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).errors())
                            .extracting(FieldError::path)
                            .containsExactly("limit"));
        }
        for (String cursor : List.of("", "not a cursor", "%%%", notOurs, "YWZ0ZXI6MQ==x")) {
            assertThatThrownBy(() -> engine.getEventAttempts(ORG, configId, eventId, null, cursor))
                    .as(cursor)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).errors())
                            .extracting(FieldError::path)
                            .containsExactly("cursor"));
        }
        assertThatThrownBy(() -> engine.getEventAttempts(ORG, configId, eventId, 0, "\u0000"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("cursor");
        assertThatThrownBy(() -> engine.getEventAttempts(ORG, configId, eventId, 0, "nope"))
                .as("every parameter at fault at once")
                .satisfies(e -> assertThat(((ValidationException) e).errors())
                        .extracting(FieldError::path)
                        .containsExactly("limit", "cursor"));
        assertThatThrownBy(() -> engine.getEventAttempts(ORG, configId, "no-such-event", 0, null))
                .as("bad input is named before anything is looked up")
                .isInstanceOf(ValidationException.class);
    }
}
