package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.PublishResult;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.HttpEntityHydrator;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.ExecutionPayload;
import dev.hookengine.model.PayloadConfiguration;
import dev.hookengine.model.Secret;
import dev.hookengine.model.TriggerWebhookResp;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hydrate_entity} and {@code include_relations} through {@link HttpEntityHydrator}: an entity
 * service that is a real receiver on 127.0.0.1, reached through the engine's own guarded transport,
 * and the payload checked at the webhook receiver.
 */
class HttpHydrationTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "Bearer entity-service-token";
    private static final String ENTITY = "{\"_id\": \"cus_1\", \"_schema\": \"contact\", \"name\": \"Ada Lovelace\","
            + " \"email\": \"ada@example.com\"}";
    private static final String RELATIONS = "[{\"_id\": \"ord_9\", \"_schema\": \"order\"}]";

    private TestReceiver entities;

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        try {
            entities = TestReceiver.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return builder.entityHydrator(HttpEntityHydrator.builder(transport)
                .entityUrl(entities.url("/entities/{orgId}/{schema}/{entityId}"))
                .relationsUrl(entities.url("/entities/{orgId}/{schema}/{entityId}/relations"))
                .authHeader("Authorization", Secret.of(TOKEN))
                .deadline(Duration.ofSeconds(2))
                .build());
    }

    @AfterEach
    void stopEntities() {
        entities.close();
    }

    private WebhookConfig create(String name, boolean relations) {
        return engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name(name)
                        .eventName("contact_updated")
                        .url(receiver.url("/hooks"))
                        .payloadConfiguration(new PayloadConfiguration(true, relations, null, null, null, null))
                        .build());
    }

    private PublishResult publish() throws Exception {
        return engine.publish(DomainEvent.builder(ORG, "contact_updated")
                .entity((ObjectNode) JSON.readTree("{\"_id\": \"cus_1\", \"_schema\": \"contact\"}"))
                .build());
    }

    private void deliverUntilReceived(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (receiver.received().size() < count && System.nanoTime() < deadline) {
            engine.deliverDue();
        }
        assertThat(receiver.received()).hasSize(count);
    }

    @Test
    void thePayloadCarriesTheEntityAndRelationsTheServiceAnswered() throws Exception {
        entities.answer(Answer.json(200, ENTITY), Answer.json(200, RELATIONS));
        WebhookConfig config = create("crm", true);

        publish();
        deliverUntilReceived(1);

        JsonNode body = JSON.readTree(receiver.received().get(0).body());
        assertThat(body.get("entity")).isEqualTo(JSON.readTree(ENTITY));
        assertThat(body.get("relations")).isEqualTo(JSON.readTree(RELATIONS));
        assertThat(body.get("metadata").get("webhook_id").asText()).isEqualTo(config.id());
        assertThat(entities.received())
                .extracting(Received::path)
                .containsExactly("/entities/org-a/contact/cus_1", "/entities/org-a/contact/cus_1/relations");
        assertThat(entities.received()).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.header("Authorization")).isEqualTo(TOKEN);
        });
    }

    @Test
    void theServiceIsAskedOncePerEventWhateverTheNumberOfConfigs() throws Exception {
        entities.otherwise(Answer.json(200, ENTITY));
        create("one", false);
        create("two", false);
        create("three", false);

        publish();
        deliverUntilReceived(3);

        assertThat(entities.received()).hasSize(1);
        for (Received delivered : receiver.received()) {
            assertThat(JSON.readTree(delivered.body()).get("entity")).isEqualTo(JSON.readTree(ENTITY));
        }
    }

    @Test
    void aServiceThatIsDownIsAskedAgainLaterAndTheEventDeliveredOnceItAnswers() throws Exception {
        entities.answer(Answer.json(503, "{\"error\": \"down\"}"), Answer.json(503, "{\"error\": \"down\"}"))
                .otherwise(Answer.json(200, ENTITY));
        WebhookConfig config = create("crm", false);

        PublishResult published = publish();

        assertThat(published.dispatches()).singleElement().isInstanceOfSatisfying(Dispatch.Fail.class, fail -> {
            assertThat(fail.code()).isEqualTo(OutcomeCode.HYDRATION_UNAVAILABLE.code());
            assertThat(fail.message()).contains("503").doesNotContain("entity-service-token");
        });
        String waitingId = published.eventIds().get(0);
        WebhookEvent waiting = engine.getEventById(ORG, config.id(), waitingId);
        assertThat(waiting.status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(waiting.httpResponse().code()).isEqualTo("HYDRATION_UNAVAILABLE");
        assertThat(engine.deliverDue())
                .as("not due before the first retry's delay")
                .isZero();

        clock.advance(Duration.ofSeconds(5));
        assertThat(engine.deliverDue()).isEqualTo(1); // asks again: 503 again
        assertThat(entities.received()).hasSize(2);
        assertThat(engine.getEventById(ORG, config.id(), waitingId).status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(receiver.received()).isEmpty();

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(engine.deliverDue())
                .as("the second redispatch waits the schedule's second delay, not the first again")
                .isZero();
        clock.advance(Duration.ofMillis(1));
        deliverUntilReceived(1); // the service answers: hydrated, delivered as a new event

        assertThat(JSON.readTree(receiver.received().get(0).body()).get("entity"))
                .isEqualTo(JSON.readTree(ENTITY));
        WebhookEvent superseded = engine.getEventById(ORG, config.id(), waitingId);
        assertThat(superseded.status()).isEqualTo(EventStatus.SKIPPED);
        assertThat(superseded.httpResponse().code()).isEqualTo("REDISPATCHED");
        Matcher named = Pattern.compile("as event (\\S+)$")
                .matcher(superseded.httpResponse().message());
        assertThat(named.find()).as(superseded.httpResponse().message()).isTrue();
        WebhookEvent delivered = engine.getEventById(ORG, config.id(), named.group(1));
        assertThat(delivered.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(receiver.received().get(0).header("webhook-id")).isEqualTo(delivered.eventId());
        assertThat(receiver.received().get(0).body()).isEqualTo(delivered.payload());
        assertThat(JSON.readTree(delivered.payload()).get("metadata").get("correlation_id"))
                .as("the correlation id of the publish")
                .isEqualTo(JSON.readTree(superseded.originalPayload())
                        .get("metadata")
                        .get("correlation_id"));
    }

    @Test
    void aSynchronousTriggerWhoseEntityCannotBeReadYetSaysTheEventWillBeDispatchedAgain() throws Exception {
        entities.answer(Answer.json(503, "{\"error\": \"down\"}")).otherwise(Answer.json(200, ENTITY));
        WebhookConfig config = create("crm", false);

        TriggerWebhookResp answer = engine.triggerWebhook(
                ORG,
                config.id(),
                new ExecutionPayload(
                        null, Map.of("entity", JSON.readTree("{\"_id\": \"cus_1\", \"_schema\": \"contact\"}"))),
                true);

        assertThat(answer.code()).isEqualTo(OutcomeCode.HYDRATION_UNAVAILABLE.code());
        assertThat(answer.message()).contains("503").contains("dispatched again on the retry schedule");
        assertThat(engine.getEventById(ORG, config.id(), answer.eventId()).status())
                .isEqualTo(EventStatus.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(5));
        deliverUntilReceived(1);
    }

    @Test
    void anEntityTheServiceDoesNotKnowFailsForGood() throws Exception {
        entities.otherwise(Answer.json(404, "{\"error\": \"not found\"}"));
        create("crm", false);
        create("erp", false);

        PublishResult published = publish();

        assertThat(published.dispatches())
                .hasSize(2)
                .allSatisfy(dispatch -> assertThat(dispatch).isInstanceOfSatisfying(Dispatch.Fail.class, fail -> {
                    assertThat(fail.code()).isEqualTo(OutcomeCode.HYDRATION_ERROR.code());
                    assertThat(fail.message()).contains("404");
                }));
        for (int i = 0; i < 2; i++) {
            String configId = published.dispatches().get(i).configId();
            assertThat(engine.getEventById(ORG, configId, published.eventIds().get(i))
                            .status())
                    .isEqualTo(EventStatus.FAILED);
        }
        clock.advance(Duration.ofHours(1));
        assertThat(engine.deliverDue()).isZero();
        assertThat(entities.received())
                .as("a failure is remembered for the event: asked once for both configs")
                .hasSize(1);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aServiceThatStaysDownEndsTheEventFailedOnceRetriesAreSpent() throws Exception {
        entities.otherwise(Answer.json(503, "{}"));
        WebhookConfig config = engine.createConfig(
                ORG,
                WebhookConfig.builder()
                        .name("crm")
                        .eventName("contact_updated")
                        .url(receiver.url("/hooks"))
                        .payloadConfiguration(new PayloadConfiguration(true, null, null, null, null, null))
                        .retryPolicy(new dev.hookengine.model.RetryPolicy(true, 1))
                        .build());

        // one retry: the publish's ask is the first try, the redispatch after 5 s the second and last
        String eventId = publish().eventIds().get(0);
        clock.advance(Duration.ofSeconds(5));
        assertThat(engine.deliverDue()).isEqualTo(1);

        WebhookEvent ended = engine.getEventById(ORG, config.id(), eventId);
        assertThat(ended.status()).isEqualTo(EventStatus.FAILED);
        assertThat(ended.httpResponse().code()).isEqualTo("HYDRATION_UNAVAILABLE");
        clock.advance(Duration.ofHours(6));
        assertThat(engine.deliverDue()).as("nothing left to try").isZero();
        assertThat(entities.received()).hasSize(2);
        assertThat(receiver.received()).isEmpty();
    }
}
