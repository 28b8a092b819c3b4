package dev.hookengine.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.testing.TestReceiver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile receiver over real HTTP on 127.0.0.1: each answer of the mix is what a sender sees (a
 * whole 200, a 500, a 429 with {@code Retry-After}, a response cut by a reset, a stall that ends in a
 * reset), and only a whole 200 counts as a delivery.
 */
class FaultReceiverTest {

    private final FaultReceiver behaviour = new FaultReceiver();
    private TestReceiver receiver;
    private LoadClient client;

    @BeforeEach
    void start() throws Exception {
        receiver = behaviour.startReceiver();
        client = new LoadClient(8, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        behaviour.stopStalling();
        client.close();
        receiver.close();
    }

    @Test
    void aWhole200CountsAsADeliveryWithItsSequenceNumber() throws Exception {
        LoadClient.Answer answer = client.exchange(webhook("evt_1", 42));

        assertThat(answer.is(200)).isTrue();
        FaultReceiver.Receipts seen = behaviour.receipts().get("evt_1");
        assertThat(seen.seq()).isEqualTo(42);
        // noted once the 200 is written, which the sender may see a moment before the receiver's thread goes on
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (seen.successes() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(seen.successes()).isEqualTo(1);
        assertThat(seen.requests()).isEqualTo(1);
    }

    @Test
    void errorsAndThrottlingAreAnsweredAndCountedAsFailures() throws Exception {
        behaviour.answerWith(new FaultReceiver.Mix(100, 0, 0, 0, Duration.ZERO));
        assertThat(client.exchange(webhook("evt_e", 1)).status()).isEqualTo(500);

        behaviour.answerWith(new FaultReceiver.Mix(0, 100, 0, 0, Duration.ZERO));
        Request throttled = webhook("evt_t", 2);
        LoadClient.Answer answer = client.exchange(throttled);
        assertThat(answer.status()).isEqualTo(429);

        assertThat(behaviour.receipts().get("evt_e").failures()).isEqualTo(1);
        assertThat(behaviour.receipts().get("evt_t").failures()).isEqualTo(1);
        assertThat(behaviour.receipts().get("evt_t").successes()).isZero();
        assertThat(behaviour.answered())
                .containsEntry(FaultReceiver.Action.ERROR, 1)
                .containsEntry(FaultReceiver.Action.THROTTLE, 1);
    }

    @Test
    void aThrottleAsksForOneSecond() throws Exception {
        behaviour.answerWith(new FaultReceiver.Mix(0, 100, 0, 0, Duration.ZERO));
        String[] retryAfter = new String[1];
        Request request = webhook("evt_r", 3)
                .onResponseHeaders(
                        response -> retryAfter[0] = response.getHeaders().get("Retry-After"));

        client.exchange(request);

        assertThat(retryAfter[0]).isEqualTo("1");
    }

    @Test
    void aResetCutsTheResponseMidBodySoTheSenderHasNoWholeAnswer() throws Exception {
        behaviour.answerWith(new FaultReceiver.Mix(0, 0, 100, 0, Duration.ZERO));

        LoadClient.Answer answer = client.exchange(webhook("evt_x", 4));

        assertThat(answer.failure()).as("the sender's view: %s", answer).isNotNull();
        assertThat(behaviour.receipts().get("evt_x").successes()).isZero();
        assertThat(behaviour.receipts().get("evt_x").failures()).isEqualTo(1);
    }

    @Test
    void aStallHoldsTheRequestThenResetsIt() throws Exception {
        behaviour.answerWith(new FaultReceiver.Mix(0, 0, 0, 1000, Duration.ofMillis(300)));
        long start = System.nanoTime();

        LoadClient.Answer answer = client.exchange(webhook("evt_s", 5));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(answer.failure()).isNotNull();
        assertThat(behaviour.receipts().get("evt_s").successes()).isZero();
    }

    @Test
    void theMixIsStablePerEventAndRequestAndHoldsItsShares() {
        FaultReceiver.Mix mix = FaultOptions.DEFAULT_MIX;
        Map<FaultReceiver.Action, Integer> counts = new EnumMap<>(FaultReceiver.Action.class);
        for (int i = 0; i < 100_000; i++) {
            counts.merge(mix.choose("evt_" + i, i % 3), 1, Integer::sum);
            assertThat(mix.choose("evt_" + i, i % 3)).isEqualTo(mix.choose("evt_" + i, i % 3));
        }

        assertThat(counts.get(FaultReceiver.Action.ERROR)).isBetween(7_500, 8_500);
        assertThat(counts.get(FaultReceiver.Action.THROTTLE)).isBetween(7_500, 8_500);
        assertThat(counts.get(FaultReceiver.Action.RESET)).isBetween(7_500, 8_500);
        assertThat(counts.get(FaultReceiver.Action.STALL)).isBetween(60, 140);
        assertThat(counts.get(FaultReceiver.Action.OK)).isBetween(74_900, 76_900);
        assertThat(FaultReceiver.Mix.ALL_OK.choose("evt_1", 0)).isEqualTo(FaultReceiver.Action.OK);
    }

    @Test
    void aMixOverAHundredPercentIsRefused() {
        assertThatThrownBy(() -> new FaultReceiver.Mix(50, 50, 1, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 %");
    }

    @Test
    void theFaultModeHasItsOwnOptions() {
        FaultOptions options = FaultOptions.parse("--faults", "--runs", "db,hostile", "--rate", "120");

        assertThat(FaultOptions.asked("--faults")).isTrue();
        assertThat(FaultOptions.asked("--quick")).isFalse();
        assertThat(options.runs()).containsExactly("db", "hostile");
        assertThat(options.rate()).isEqualTo(120);
        assertThat(options.nodes()).isEqualTo(3);
        assertThatThrownBy(() -> FaultOptions.parse("--faults", "--runs", "everything"))
                .hasMessageContaining("--runs takes kill, db and hostile");
    }

    private Request webhook(String eventId, long seq) {
        byte[] body = ("{\"data\":{},\"load_seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
        return client.request(HttpMethod.POST, URI.create(receiver.url("/hook")), null, body)
                .headers(headers -> headers.put(FaultReceiver.WEBHOOK_ID, eventId));
    }
}
