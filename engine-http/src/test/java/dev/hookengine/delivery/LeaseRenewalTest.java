package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.delivery.ScriptedReceiver.Answer;
import dev.hookengine.internal.DeliveryService;
import dev.hookengine.model.Auth;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.OAuthConfig;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.DeliveryJob;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leases are short, so an exchange may start only when its whole deadline fits in the claim's lease.
 * An OAuth config's resend after a 401 is the second exchange of one attempt: when the first took
 * most of the lease, the lease is renewed before the resend, and when it cannot be (it expired, so
 * another node may hold the job), nothing more is sent and the attempt does not count.
 */
class LeaseRenewalTest extends EndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final Duration LEASE = DeliveryService.leaseFor(DEADLINE);

    private ScriptedReceiver tokenEndpoint;

    @BeforeEach
    void startTokenEndpoint() throws Exception {
        tokenEndpoint = new ScriptedReceiver();
    }

    @AfterEach
    void stopTokenEndpoint() throws Exception {
        tokenEndpoint.close();
    }

    @Override
    WebhookEngine.Builder configure(WebhookEngine.Builder builder) {
        return builder.attemptDeadline(DEADLINE);
    }

    private String publishToOAuthConfig() {
        tokenEndpoint.answer(token("stale"), token("fresh"));
        engine.createConfig(ORG, WebhookConfig.builder().name("crm").eventName("order_paid")
                .url(receiver.url("/hooks"))
                .auth(Auth.oauth(new OAuthConfig("client-1", Secret.of("s3cret"), false,
                        tokenEndpoint.url("/oauth/token"), HttpMethod.POST, List.of())))
                .build());
        return engine.publish(DomainEvent.builder(ORG, "order_paid").build()).eventIds().get(0);
    }

    private static Answer token(String token) {
        return Answer.json(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    @Test
    void theLeaseIsTwoExchangesLong() {
        assertThat(LEASE).isEqualTo(Duration.ofSeconds(24));
        assertThat(DeliveryService.leaseFor(WebhookEngine.Builder.DEFAULT_ATTEMPT_DEADLINE))
                .as("the bound the README states").isEqualTo(Duration.ofSeconds(34));
    }

    @Test
    void aResendThatTheLeaseNoLongerCoversRenewsItFirst() {
        String eventId = publishToOAuthConfig();
        receiver.answer(Answer.of(401), Answer.of(200));
        // The 401 arrives when less than a whole exchange is left of the lease.
        receiver.onRequest(request -> {
            if (request.header("authorization").equals("Bearer stale")) {
                clock.advance(LEASE.minus(DEADLINE));
            }
        });

        assertThat(engine.deliverDue()).isEqualTo(1);

        assertThat(receiver.received()).extracting(r -> r.header("authorization"))
                .containsExactly("Bearer stale", "Bearer fresh");
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(store.attemptsOf(ORG, eventId)).hasSize(1);
        assertThat(store.jobsOfEvent(ORG, eventId)).isEmpty();
    }

    @Test
    void aResendIsNotSentWhenTheLeaseExpiredMeanwhile() {
        String eventId = publishToOAuthConfig();
        receiver.answer(Answer.of(401), Answer.of(200));
        // The first exchange outlives the lease (a node stalled long enough to be given up for dead).
        receiver.onRequest(request -> {
            if (request.header("authorization").equals("Bearer stale")) {
                clock.advance(LEASE.plusSeconds(1));
            }
        });

        assertThat(engine.deliverDue()).isEqualTo(1);

        assertThat(receiver.received()).as("no resend under an expired lease").hasSize(1);
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(store.attemptsOf(ORG, eventId)).as("the given-up attempt does not count").isEmpty();
        List<DeliveryJob> jobs = store.jobsOfEvent(ORG, eventId);
        assertThat(jobs).extracting(DeliveryJob::attempt).containsExactly(0);

        receiver.onRequest(request -> { });
        assertThat(engine.deliverDue()).as("the job was given back and is taken again at once").isEqualTo(1);
        assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);
    }
}
