package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * A node whose attempt outlives its lease must not overwrite the outcome of the node that took the
 * job over: the late answer is dropped, the event keeps the new holder's success.
 */
class LeaseTakeoverTest extends EndToEndTest {

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(10));
    }

    @Test
    void aLateAnswerAfterATakeoverIsDropped() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (requests.incrementAndGet() == 1) {
                    firstArrived.countDown();
                    releaseFirst.await(10, TimeUnit.SECONDS); // the slow node's request hangs
                    response.setStatus(503);
                } else {
                    response.setStatus(200);
                }
                callback.succeeded();
                return true;
            }
        });
        server.start();
        WebhookEngine otherNode = newEngine(transport);
        try {
            engine.createConfig(
                    ORG,
                    WebhookConfig.builder()
                            .name("n")
                            .eventName("order_paid")
                            .url("http://127.0.0.1:" + connector.getLocalPort() + "/h")
                            .build());
            String eventId = engine.publish(
                            DomainEvent.builder(ORG, "order_paid").build())
                    .eventIds()
                    .get(0);

            Thread slow = new Thread(engine::deliverDue, "slow-node");
            slow.start();
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofMinutes(10)); // the slow node's lease expires
            assertThat(otherNode.deliverDue())
                    .as("the other node takes the job over")
                    .isEqualTo(1);
            assertThat(store.findEvent(ORG, eventId).orElseThrow().status()).isEqualTo(EventStatus.SUCCEEDED);

            releaseFirst.countDown();
            slow.join(15_000);

            assertThat(slow.isAlive()).isFalse();
            assertThat(store.findEvent(ORG, eventId).orElseThrow().status())
                    .as("the late 503 does not overwrite the success")
                    .isEqualTo(EventStatus.SUCCEEDED);
            assertThat(store.attemptsOf(ORG, eventId)).hasSize(1);
            assertThat(store.jobsOfEvent(ORG, eventId)).isEmpty();
        } finally {
            releaseFirst.countDown();
            otherNode.close();
            server.stop();
        }
    }
}
