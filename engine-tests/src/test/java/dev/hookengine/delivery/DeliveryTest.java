package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.UnprocessableException;
import dev.hookengine.ValidationException;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.Auth;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.BatchReplayRequest;
import dev.hookengine.model.ConditionOperation;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.EventListResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.PayloadConfiguration;
import dev.hookengine.model.ReplayRequest;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.SearchOptions;
import dev.hookengine.model.Secret;
import dev.hookengine.model.TriggerWebhookResp;
import dev.hookengine.model.WebhookCondition;
import dev.hookengine.model.WebhookConditionGroup;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.signing.WebhookVerifier;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.store.tck.MutableClock;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Deliveries end to end: a real engine on the in-memory store sending through the real Jetty
 * transport to a real receiver on 127.0.0.1. Time is a {@link MutableClock}; {@code deliverDue()}
 * makes every attempt that is due, so nothing sleeps through a retry delay.
 */
class DeliveryTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(3));
    }

    private WebhookConfig create(WebhookConfig.Builder config) {
        return engine.createConfig(ORG, config.build());
    }

    private String publish() {
        return engine.publish(DomainEvent.builder(ORG, "order_paid")
                        .metadata(Metadata.builder().action("paid").build())
                        .entity(json("{\"_id\":\"ord-1\",\"total\":42}"))
                        .build())
                .eventIds()
                .get(0);
    }

    @Test
    void fiveHundredTwiceThenTwoHundredSucceedsOnTheThirdAttemptAtTheScheduledTimes() {
        receiver.answer(Answer.of(500), Answer.of(503));
        create(ordersConfig());
        String eventId = publish();
        Instant start = clock.instant();

        assertThat(engine.deliverDue()).isEqualTo(1);
        WebhookEvent afterFirst = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(afterFirst.status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(afterFirst.httpResponse().statusCode()).isEqualTo(500);
        assertThat(store.jobsOfEvent(ORG, eventId).get(0).dueAt()).isEqualTo(start.plusSeconds(5));

        clock.advance(Duration.ofSeconds(4));
        assertThat(engine.deliverDue()).as("not due before 5 s").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.deliverDue()).isEqualTo(1);
        assertThat(store.jobsOfEvent(ORG, eventId).get(0).dueAt())
                .isEqualTo(start.plusSeconds(5).plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(5));
        assertThat(engine.deliverDue()).isEqualTo(1);

        WebhookEvent done = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(done.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(done.retryAttempt()).isEqualTo(2);
        assertThat(done.httpResponse().statusCode()).isEqualTo(200);
        assertThat(store.jobsOfEvent(ORG, eventId)).isEmpty();
        assertThat(store.attemptsOf(ORG, eventId))
                .extracting(DeliveryAttempt::statusCode)
                .containsExactly(500, 503, 200);
        assertThat(store.attemptsOf(ORG, eventId))
                .extracting(DeliveryAttempt::startedAt)
                .containsExactly(
                        start, start.plusSeconds(5), start.plusSeconds(5).plus(Duration.ofMinutes(5)));
        assertThat(receiver.received())
                .hasSize(3)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(eventId);
    }

    @Test
    void retriesStopAfterMaxAttempts() {
        receiver.otherwise(Answer.of(500));
        create(ordersConfig().retryPolicy(new RetryPolicy(true, 1)));
        String eventId = publish();

        engine.deliverDue();
        clock.advance(Duration.ofSeconds(5));
        engine.deliverDue();
        clock.advance(Duration.ofDays(1));
        assertThat(engine.deliverDue()).isZero();

        WebhookEvent failed = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.retryAttempt()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void retryAfterIsHonoured() {
        receiver.answer(new Answer(429, Map.of("Retry-After", "120"), ""));
        create(ordersConfig());
        String eventId = publish();
        Instant start = clock.instant();

        engine.deliverDue();

        assertThat(store.jobsOfEvent(ORG, eventId).get(0).dueAt()).isEqualTo(start.plusSeconds(120));
        assertThat(store.findEvent(ORG, eventId).orElseThrow().httpResponse().statusCode())
                .isEqualTo(429);
    }

    @Test
    void goneDisablesTheConfigAndFailsTheEvent() {
        receiver.answer(Answer.of(410));
        WebhookConfig config = create(ordersConfig());
        String eventId = publish();

        engine.deliverDue();

        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.FAILED);
        WebhookConfig disabled = engine.getConfig(ORG, config.id());
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.status()).isEqualTo(ConfigStatus.INACTIVE);
        assertThat(engine.publish(DomainEvent.builder(ORG, "order_paid").build())
                        .dispatches())
                .as("a disabled config receives nothing more")
                .isEmpty();
    }

    @Test
    void aConfigDisabledWhileItsJobsWaitSendsNothingAndItsEventsEndDisabled() {
        receiver.answer(Answer.of(503)); // the first event's first attempt: it waits for its retry
        WebhookConfig config = create(ordersConfig().retryPolicy(new RetryPolicy(true, 3)));
        String retrying = publish();
        engine.deliverDue();
        assertThat(store.findEvent(ORG, retrying).orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        String queued = publish(); // a second event, queued and not attempted yet

        engine.updateConfig(ORG, config.id(), config.toBuilder().enabled(false).build());
        clock.advance(Duration.ofMinutes(10)); // both jobs due, the retry included
        engine.deliverDue();

        assertThat(receiver.received())
                .as("only the first attempt, made before disabling")
                .hasSize(1);
        for (String eventId : List.of(retrying, queued)) {
            WebhookEvent ended = store.findEvent(ORG, eventId).orElseThrow();
            assertThat(ended.status()).as(eventId).isEqualTo(EventStatus.FAILED);
            assertThat(ended.httpResponse().code()).as(eventId).isEqualTo(OutcomeCode.CONFIG_DISABLED.code());
            assertThat(store.jobsOfEvent(ORG, eventId))
                    .as("no job left of " + eventId)
                    .isEmpty();
        }
        assertThatThrownBy(() -> engine.triggerWebhook(ORG, config.id(), new ExecutionPayload(null, Map.of()), false))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("enabled");

        // Enabled again, a replay sends the event.
        receiver.otherwise(Answer.of(200));
        engine.updateConfig(ORG, config.id(), config.toBuilder().enabled(true).build());
        String replay = engine.replayEvent(ORG, config.id(), queued, null);
        engine.deliverDue();
        WebhookEvent replayed = store.findEvent(ORG, replay).orElseThrow();
        assertThat(replayed.status()).as("%s", replayed.httpResponse()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void otherClientErrorsAndRedirectsFailAtOnce() throws Exception {
        try (TestReceiver elsewhere = TestReceiver.start()) {
            receiver.answer(
                    Answer.json(404, "{\"error\":\"no such hook\"}"),
                    new Answer(302, Map.of("Location", elsewhere.url("/moved")), ""));
            create(ordersConfig());
            String notFound = publish();
            engine.deliverDue();
            String redirected = publish();
            engine.deliverDue();
            clock.advance(Duration.ofDays(1));
            engine.deliverDue();

            WebhookEvent first = store.findEvent(ORG, notFound).orElseThrow();
            assertThat(first.status()).isEqualTo(EventStatus.FAILED);
            assertThat(first.httpResponse().body()).isEqualTo(json("{\"error\":\"no such hook\"}"));
            WebhookEvent second = store.findEvent(ORG, redirected).orElseThrow();
            assertThat(second.status()).isEqualTo(EventStatus.FAILED);
            assertThat(second.httpResponse().statusCode()).isEqualTo(302);
            assertThat(receiver.received()).hasSize(2);
            assertThat(elsewhere.received()).as("redirects are not followed").isEmpty();
        }
    }

    @Test
    void requestsAreSignedAuthenticatedAndCarryCustomHeadersButNoForbiddenOnes() {
        engine.putVariable(ORG, "TENANT", "acme");
        engine.putVariable(ORG, "CRM_PASSWORD", "s3cret");
        WebhookConfig config = create(ordersConfig()
                .auth(Auth.basic(new BasicAuthConfig("crm", Secret.of("{{ env.CRM_PASSWORD }}"), true)))
                .payloadConfiguration(new PayloadConfiguration(
                        null, null, null, null, null, Map.of("X-Tenant", "{{ env.TENANT }}", "X-Static", "yes"))));
        String eventId = publish();

        engine.deliverDue();

        Received request = receiver.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("content-type")).startsWith("application/json");
        assertThat(request.header("authorization"))
                .isEqualTo(
                        "Basic " + Base64.getEncoder().encodeToString("crm:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("x-tenant")).isEqualTo("acme");
        assertThat(request.header("x-static")).isEqualTo("yes");
        assertThat(request.headers().keySet())
                .noneMatch(name -> name.startsWith("proxy-") || name.startsWith("x-forwarded-"));
        assertThat(request.header("webhook-id")).isEqualTo(eventId);
        assertThat(request.header("webhook-signature")).startsWith("v1a,").contains(" v1,");

        WebhookVerifier verifier = WebhookVerifier.builder()
                .clock(clock)
                .secret(config.signingSecret().reveal())
                .publicKey(engine.getPublicKey(ORG).publicKey())
                .build();
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of(
                "webhook-id", request.header("webhook-id"), "webhook-timestamp", request.header("webhook-timestamp"));
        String[] signatures = request.header("webhook-signature").split(" ");
        assertThat(WebhookVerifier.builder()
                        .clock(clock)
                        .publicKey(engine.getPublicKey(ORG).publicKey())
                        .build()
                        .isValid(body, with(headers, signatures[0])))
                .as("v1a alone verifies")
                .isTrue();
        assertThat(WebhookVerifier.builder()
                        .clock(clock)
                        .secret(config.signingSecret().reveal())
                        .build()
                        .isValid(body, with(headers, signatures[1])))
                .as("v1 alone verifies")
                .isTrue();
        assertThat(verifier.isValid(body, with(headers, request.header("webhook-signature"))))
                .isTrue();
        assertThat(store.findEvent(ORG, eventId).orElseThrow().payload()).isEqualTo(request.body());
    }

    @Test
    void aRotatedSigningSecretSignsTheNextDeliveryAtOnce() {
        WebhookConfig config = create(ordersConfig());
        publish();
        engine.deliverDue(); // the config is now in the engine's index, with its first secret

        String rotated = engine.rotateSigningSecret(ORG, config.id()).reveal();
        publish();
        engine.deliverDue();

        Received request = receiver.received().get(1);
        Map<String, String> headers = Map.of(
                "webhook-id", request.header("webhook-id"),
                "webhook-timestamp", request.header("webhook-timestamp"),
                "webhook-signature", request.header("webhook-signature"));
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookVerifier.builder()
                        .clock(clock)
                        .secret(rotated)
                        .build()
                        .isValid(body, headers))
                .as("a receiver that switched to the new secret at once verifies the next delivery")
                .isTrue();
        assertThat(WebhookVerifier.builder()
                        .clock(clock)
                        .secret(config.signingSecret().reveal())
                        .build()
                        .isValid(body, headers))
                .as("the old secret still signs for the grace period")
                .isTrue();
    }

    @Test
    void aMissingVariableFailsTheEventNamingIt() {
        create(ordersConfig().url(receiver.url("/hooks/{{ env.PATH_TOKEN }}")));
        String eventId = publish();

        engine.deliverDue();

        WebhookEvent failed = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.MISSING_VARIABLE.code());
        assertThat(failed.httpResponse().message()).contains("PATH_TOKEN");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void syncTriggerReturnsTheFirstAttemptAndAsyncQueues() {
        receiver.answer(Answer.json(200, "{\"ok\":true}"));
        WebhookConfig config = create(ordersConfig());
        ExecutionPayload payload = new ExecutionPayload(
                Metadata.builder().organizationId(ORG).build(), Map.of("entity", json("{\"_id\":\"ord-9\"}")));

        TriggerWebhookResp sync = engine.triggerWebhook(ORG, config.id(), payload, true);

        assertThat(sync.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(sync.statusCode()).isEqualTo("200");
        assertThat(sync.body()).isEqualTo(json("{\"ok\":true}"));
        assertThat(sync.eventId()).isNotBlank();
        assertThat(store.findEvent(ORG, sync.eventId()).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(engine.deliverDue())
                .as("the sync attempt leaves nothing queued")
                .isZero();

        TriggerWebhookResp async = engine.triggerWebhook(ORG, config.id(), payload, false);
        assertThat(async.status()).isNull();
        assertThat(store.findEvent(ORG, async.eventId()).orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(engine.deliverDue()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(2);
        assertThat(receiver.received().get(1).body()).contains("ord-9");
    }

    @Test
    void aTriggerTheFiltersStopIsRecordedAsSkipped() {
        WebhookConfig config = create(ordersConfig()
                .filterConditions(new WebhookConditionGroup(
                        List.of(WebhookCondition.of("entity.status", ConditionOperation.EQUALS, "open")), null)));

        TriggerWebhookResp response = engine.triggerWebhook(
                ORG, config.id(), new ExecutionPayload(null, Map.of("entity", json("{\"status\":\"closed\"}"))), true);

        assertThat(response.code()).isEqualTo(OutcomeCode.SKIPPED.code());
        assertThat(response.message()).contains("filterConditions.conditions[0]");
        assertThat(store.findEvent(ORG, response.eventId()).orElseThrow().status())
                .isEqualTo(EventStatus.SKIPPED);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aJobWhoseWorkerDiedIsDeliveredAfterItsLeaseExpires() {
        WebhookConfig config = create(ordersConfig());
        String eventId = publish();
        // A node claims the job and dies before sending anything.
        List<ClaimedJob> lost = store.claim(clock.instant(), 10, Duration.ofMinutes(1), "dead-node");
        assertThat(lost).hasSize(1);

        assertThat(engine.deliverDue()).as("the lease still holds").isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(engine.deliverDue()).isEqualTo(1);

        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(receiver.received()).hasSize(1);
        assertThat(config.id()).isNotBlank();
    }

    @Test
    void replayResendsAndReapplyRunsTheCurrentTransform() {
        WebhookConfig config = create(ordersConfig());
        String original = publish();
        engine.deliverDue();

        String resent = engine.replayEvent(ORG, config.id(), original, new ReplayRequest(false));
        engine.updateConfig(
                ORG,
                config.id(),
                ordersConfig().jsonataExpression("{ 'id': entity._id }").build());
        String reapplied = engine.replayEvent(ORG, config.id(), original, new ReplayRequest(true));
        engine.deliverDue();

        assertThat(List.of(resent, reapplied)).doesNotContain(original).doesNotHaveDuplicates();
        List<Received> received = receiver.received();
        assertThat(received).hasSize(3);
        // The two replays go out in the same round, in parallel: find each by its webhook-id.
        assertThat(bodyOf(received, resent)).isEqualTo(bodyOf(received, original));
        assertThat(json(bodyOf(received, reapplied))).isEqualTo(json("{\"id\":\"ord-1\"}"));
        WebhookEvent read = engine.getEventById(ORG, config.id(), original);
        assertThat(read.canReapplyTransform()).isTrue();
    }

    @Test
    void batchReplayReplaysTheEventsThatExistAndListsThem() {
        WebhookConfig config = create(ordersConfig());
        String first = publish();
        String second = publish();
        engine.deliverDue();

        assertThat(engine.batchReplayEvents(ORG, config.id(), new BatchReplayRequest(List.of("nope"), false))
                        .replayedEventIds())
                .as("an unknown id is left out")
                .isEmpty();
        assertThat(engine.deliverDue()).as("nothing was replayed").isZero();

        assertThat(engine.batchReplayEvents(ORG, config.id(), new BatchReplayRequest(List.of(first, second), true))
                        .replayedEventIds())
                .containsExactly(first, second);
        assertThat(engine.deliverDue()).isEqualTo(2);
        assertThat(receiver.received()).hasSize(4);
    }

    @Test
    void reapplyWithoutAnOriginalIsUnprocessable() {
        WebhookConfig config = create(ordersConfig());
        WebhookEvent stored = store.findEvent(ORG, publish()).orElseThrow();
        String eventId = "evt-without-original";
        store.appendEvent(
                stored.toBuilder().eventId(eventId).originalPayload(null).build(), List.of());

        assertThatThrownBy(() -> engine.replayEvent(ORG, config.id(), eventId, new ReplayRequest(true)))
                .isInstanceOf(UnprocessableException.class);
        assertThat(engine.batchReplayEvents(
                                ORG, config.id(), new BatchReplayRequest(List.of(eventId, stored.eventId()), true))
                        .replayedEventIds())
                .as("in a batch, the event without an original is left out, the other replayed")
                .containsExactly(stored.eventId());
    }

    @Test
    void searchPagesThroughSixtyEventsNewestFirst() {
        WebhookConfig config = create(ordersConfig());
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            published.add(publish());
            if (i % 7 != 0) {
                clock.advance(Duration.ofMillis(1)); // some share an instant: the id breaks the tie
            }
        }

        List<String> seen = new ArrayList<>();
        EventListResponse page = engine.getWebhookEventsV2(ORG, config.id(), SearchOptions.firstPage());
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            sizes.add(page.data().size());
            page.data().forEach(event -> seen.add(event.eventId()));
            if (!page.hasMore()) {
                assertThat(page.nextCursor()).isNull();
                break;
            }
            page = engine.getWebhookEventsV2(
                    ORG, config.id(), new SearchOptions(null, page.nextCursor(), null, null, null));
        }

        assertThat(sizes).containsExactly(25, 25, 10);
        Set<String> unique = new HashSet<>(seen);
        assertThat(unique).hasSize(60).containsExactlyInAnyOrderElementsOf(published);
        List<WebhookEvent> all = new ArrayList<>();
        seen.forEach(id -> all.add(store.findEvent(ORG, id).orElseThrow()));
        for (int i = 1; i < all.size(); i++) {
            WebhookEvent before = all.get(i - 1);
            WebhookEvent after = all.get(i);
            assertThat(before.createdAt().compareTo(after.createdAt()) > 0
                            || before.createdAt().equals(after.createdAt())
                                    && before.eventId().compareTo(after.eventId()) > 0)
                    .as("newest first, ties by id descending")
                    .isTrue();
        }
        assertThat(engine.getWebhookEventsV2(
                                ORG, config.id(), new SearchOptions(5, null, null, null, EventStatus.SUCCEEDED))
                        .data())
                .isEmpty();
    }

    @Test
    void aDeliveredEventReadsBackFieldByField() {
        receiver.answer(Answer.json(201, "{\"received\":true}"));
        WebhookConfig config = create(ordersConfig().jsonataExpression("{ 'order': entity._id }"));
        Instant created = clock.instant();
        String eventId = publish();
        clock.advance(Duration.ofSeconds(2));
        engine.deliverDue();

        WebhookEvent event = engine.getEventById(ORG, config.id(), eventId);

        assertThat(event.eventId()).isEqualTo(eventId);
        assertThat(event.orgId()).isEqualTo(ORG);
        assertThat(event.webhookConfigId()).isEqualTo(config.id());
        assertThat(event.url()).isEqualTo(receiver.url("/hooks"));
        assertThat(event.createdAt()).isEqualTo(created);
        assertThat(event.eventName()).isEqualTo("order_paid");
        assertThat(event.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(event.httpMethod()).isEqualTo(dev.hookengine.model.HttpMethod.POST);
        assertThat(event.httpResponse())
                .isEqualTo(new dev.hookengine.model.EventHttpResponse(201, null, json("{\"received\":true}"), null));
        assertThat(json(event.payload())).isEqualTo(json("{\"order\":\"ord-1\"}"));
        assertThat(json(event.originalPayload()).get("entity")).isEqualTo(json("{\"_id\":\"ord-1\",\"total\":42}"));
        assertThat(event.metadata().webhookId()).isEqualTo(config.id());
        assertThat(event.metadata().action()).isEqualTo("paid");
        assertThat(event.retryAttempt()).isZero();
        assertThat(event.canReapplyTransform()).isTrue();
        assertThat(event.canReapplyTransformReason()).isEqualTo(dev.hookengine.model.ReapplyTransformReason.AVAILABLE);
        assertThatThrownBy(() -> engine.getEventById(ORG, "other-config", eventId))
                .isInstanceOf(dev.hookengine.NotFoundException.class);
        assertThatThrownBy(() -> engine.getEventById("org-b", config.id(), eventId))
                .isInstanceOf(dev.hookengine.NotFoundException.class);
    }

    @Test
    void batchReplayWithoutReapplyResendsVerbatim() {
        WebhookConfig config = create(ordersConfig().jsonataExpression("{ 'order': entity._id }"));
        String first = publish();
        engine.deliverDue();
        engine.updateConfig(
                ORG,
                config.id(),
                ordersConfig().jsonataExpression("{ 'changed': true }").build());

        engine.batchReplayEvents(ORG, config.id(), new BatchReplayRequest(List.of(first), false));
        engine.deliverDue();

        assertThat(receiver.received()).hasSize(2);
        assertThat(receiver.received().get(1).body())
                .isEqualTo(receiver.received().get(0).body());
        assertThatThrownBy(() -> engine.batchReplayEvents(ORG, config.id(), new BatchReplayRequest(List.of(), false)))
                .isInstanceOf(dev.hookengine.ValidationException.class)
                .hasMessageContaining("eventIds");
    }

    @Test
    void theDeprecatedListingPagesWithAnOpaqueCursor() {
        WebhookConfig config = create(ordersConfig());
        for (int i = 0; i < 30; i++) {
            publish();
            clock.advance(Duration.ofMillis(1));
        }

        dev.hookengine.model.LegacyEventListResponse first = engine.getWebhookEvents(ORG, config.id(), null, null);
        dev.hookengine.model.LegacyEventListResponse second =
                engine.getWebhookEvents(ORG, config.id(), null, first.cursor());

        assertThat(first.data()).hasSize(25);
        assertThat(first.cursor()).isNotBlank();
        assertThat(second.data()).hasSize(5);
        assertThat(second.cursor()).isNull();
        assertThat(engine.getWebhookEvents(ORG, config.id(), EventStatus.IN_PROGRESS, null)
                        .data())
                .hasSize(25);
        assertThatThrownBy(() -> engine.getWebhookEvents(ORG, config.id(), null, "not-a-cursor!"))
                .isInstanceOf(dev.hookengine.ValidationException.class)
                .hasMessageContaining("cursor");
    }

    @Test
    void retentionPurgesEndedEventsOnly() {
        receiver.answer(Answer.of(200), Answer.of(500));
        WebhookConfig config = create(ordersConfig());
        String delivered = publish();
        engine.deliverDue();
        String retrying = publish();
        engine.deliverDue();

        clock.advance(Duration.ofDays(29));
        int purged = engine.purgeExpiredEvents();

        List<String> ids = List.of(delivered, retrying);
        assertThat(purged).isEqualTo(1);
        assertThat(store.findEvent(ORG, ids.get(0))).isEmpty();
        assertThat(store.findEvent(ORG, ids.get(1)))
                .as("still in progress: kept")
                .isPresent();
        assertThat(config.id()).isNotBlank();
    }

    @Test
    void variableValuesAreNeverResolvedAgainAndBadHeaderValuesFailAtOnce() {
        engine.putVariable(ORG, "C", "{{ env.AB }}");
        engine.putVariable(ORG, "AB", "bbb");
        // Stored behind the engine's back, as by a version before variable values were checked.
        store.putVariable(ORG, "BROKEN", Secret.of("a\r\nInjected: yes"));
        create(ordersConfig()
                .payloadConfiguration(new PayloadConfiguration(
                        null, null, null, null, null, Map.of("X-Pair", "{{ env.C }}|{{ env.AB }}"))));
        publish();
        engine.deliverDue();
        assertThat(receiver.received().get(0).header("x-pair")).isEqualTo("{{ env.AB }}|bbb");

        WebhookConfig broken = create(ordersConfig()
                .eventName("order_refunded")
                .payloadConfiguration(
                        new PayloadConfiguration(null, null, null, null, null, Map.of("X-Bad", "{{ env.BROKEN }}"))));
        String eventId = engine.publish(
                        DomainEvent.builder(ORG, "order_refunded").build())
                .eventIds()
                .get(0);
        engine.deliverDue();

        WebhookEvent failed = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.INVALID_HEADER.code());
        assertThat(failed.httpResponse().message()).contains("X-Bad").doesNotContain("Injected");
        assertThat(receiver.received()).hasSize(1);
        assertThat(broken.id()).isNotBlank();
    }

    @Test
    void aConfigThatBecameIncompleteFailsItsQueuedEventsClearly() {
        WebhookConfig config = create(
                ordersConfig().auth(Auth.apiKey(new dev.hookengine.model.ApiKeyConfig("X-Key", Secret.of("k"), null))));
        String eventId = publish();
        engine.updateConfig(
                ORG,
                config.id(),
                ordersConfig()
                        .auth(Auth.apiKey(new dev.hookengine.model.ApiKeyConfig("X-Key", Secret.cleared(), null)))
                        .build());

        engine.deliverDue();

        WebhookEvent failed = store.findEvent(ORG, eventId).orElseThrow();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.CONFIG_INCOMPLETE.code());
        assertThat(store.jobsOfEvent(ORG, eventId)).isEmpty();
        assertThat(receiver.received()).isEmpty();
    }

    private static String bodyOf(List<Received> received, String eventId) {
        return received.stream()
                .filter(r -> eventId.equals(r.header("webhook-id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no request with webhook-id " + eventId))
                .body();
    }

    private static Map<String, String> with(Map<String, String> headers, String signature) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("webhook-signature", signature);
        return all;
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
