package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.server.ApiServer.Response;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/webhooks/events} with an {@code Idempotency-Key} header over real HTTP, every
 * answer validated against {@code hookengine.openapi.json}: a retry answers the first status and body
 * and publishes nothing, another event under the key is a 409, a bad key a 400 naming the header,
 * and neither changes anything.
 */
class IdempotencyKeyTest {

    private static final String PUBLISH = "/v1/webhooks/events";
    private static final String EVENT = """
            {"eventName": "customer_created", "entity": {"_id": "cus_1", "name": "Ada"}}""";

    private final ApiServer api = new ApiServer();
    private final TestReceiver receiver;
    private String configId;

    IdempotencyKeyTest() throws Exception {
        receiver = TestReceiver.start();
    }

    @BeforeEach
    void subscribe() {
        configId = api.createConfig("""
                {"name": "r", "eventName": "customer_created", "url": "%s"}""".formatted(receiver.url("/hook")));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        receiver.close();
    }

    private Response publish(String token, String key, String body) {
        return api.send(
                "POST",
                PUBLISH,
                api.request("POST", PUBLISH, body.getBytes())
                        .header("Authorization", "Bearer " + token)
                        .header("Idempotency-Key", key));
    }

    private Response publish(String key, String body) {
        return publish(ApiServer.TOKEN_A, key, body);
    }

    private int eventsOfTheConfig() {
        return api.store
                .searchEvents(ApiServer.ORG_A, new EventQuery(configId, null, null, null, null, null, 100))
                .events()
                .size();
    }

    @Test
    void aRetryWithTheKeyAnswersTheFirstStatusAndBodyAgainAndPublishesNothing() {
        Response first = publish("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", EVENT);
        api.clock.advance(Duration.ofHours(1));

        Response retry = publish("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", """
                {"entity": {"name": "Ada", "_id": "cus_1"},   "eventName": "customer_created"}""");

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("event_ids")).hasSize(1);
        assertThat(retry.status()).isEqualTo(first.status());
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(eventsOfTheConfig()).isEqualTo(1);
        api.engine.deliverDue();
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void withoutTheHeaderEveryPublishPublishes() {
        api.call("POST", PUBLISH, EVENT);
        api.call("POST", PUBLISH, EVENT);

        assertThat(eventsOfTheConfig()).isEqualTo(2);
    }

    @Test
    void anotherEventUnderAUsedKeyIsA409AndChangesNothing() {
        publish("key-1", EVENT);
        String before = api.storeState();

        Response other = publish("key-1", """
                {"eventName": "customer_created", "entity": {"_id": "cus_2", "name": "Grace"}}""");

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.message())
                .startsWith("Idempotency key already used for a different event")
                .doesNotContain("key-1");
        assertThat(api.storeState()).isEqualTo(before);
    }

    @Test
    void keysArePerOrganization() {
        Response ofA = publish("shared-key", EVENT);

        Response ofB = publish(ApiServer.TOKEN_B, "shared-key", """
                {"eventName": "customer_created", "entity": {"_id": "other"}}""");

        assertThat(ofB.status()).isEqualTo(202);
        assertThat(ofB.json().get("event_ids")).isEmpty(); // org B has no config: nothing, and no conflict
        assertThat(ofA.json().get("event_ids")).hasSize(1);
    }

    @Test
    void aBadKeyIsA400NamingTheHeaderAndChangesNothing() {
        String before = api.storeState();
        for (String key : new String[] {"", "   ", "k".repeat(256), "tab\tinside"}) {
            Response refused = publish(key, EVENT);

            assertThat(refused.status())
                    .as("key of %d characters", key.length())
                    .isEqualTo(400);
            assertThat(refused.message()).startsWith("Invalid request: Idempotency-Key header: ");
        }
        Response twice = api.send(
                "POST",
                PUBLISH,
                api.request("POST", PUBLISH, EVENT.getBytes())
                        .header("Authorization", "Bearer " + ApiServer.TOKEN_A)
                        .header("Idempotency-Key", "key-1")
                        .header("Idempotency-Key", "key-2"));

        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.message()).isEqualTo("Invalid request: Idempotency-Key header: must be sent once");
        assertThat(api.storeState()).isEqualTo(before);
        assertThat(publish("k".repeat(255), EVENT).status()).isEqualTo(202);
    }

    @Test
    void aBadBodyLeavesTheKeyFreeForTheRetry() {
        Response broken = publish("key-1", """
                {"eventName": "customer_created", "entity": "not an object"}""");
        Response retried = publish("key-1", EVENT);

        assertThat(broken.status()).isEqualTo(400);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.json().get("event_ids")).hasSize(1);
    }
}
