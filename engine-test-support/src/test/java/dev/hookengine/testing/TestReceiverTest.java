package dev.hookengine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The receiver every other module's tests stand on, against the JDK's own HTTP client. */
class TestReceiverTest {

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private CompletableFuture<HttpResponse<String>> post(String url, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersFromItsScriptThenTheFallbackAndRecordsEveryRequest() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answer(Answer.of(503), Answer.json(201, "{\"ok\":true}")).otherwise(Answer.text(202, "later"));

            List<HttpResponse<String>> answers = List.of(
                    post(receiver.url("/a?x=1"), "one", "X-Pair", "first", "x-pair", "second")
                            .get(10, TimeUnit.SECONDS),
                    post(receiver.url("/b"), "two").get(10, TimeUnit.SECONDS),
                    post(receiver.url("/c"), "three").get(10, TimeUnit.SECONDS),
                    post(receiver.url("/d"), "four").get(10, TimeUnit.SECONDS));

            assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(503, 201, 202, 202);
            assertThat(answers.get(1).body()).isEqualTo("{\"ok\":true}");
            assertThat(answers.get(1).headers().firstValue("content-type")).hasValue("application/json");
            List<Received> received = receiver.awaitReceived(4, Duration.ofSeconds(5));
            assertThat(received).extracting(Received::path).containsExactly("/a", "/b", "/c", "/d");
            Received first = received.get(0);
            assertThat(first.method()).isEqualTo("POST");
            assertThat(first.query()).isEqualTo("x=1");
            assertThat(first.body()).isEqualTo("one");
            assertThat(first.values("x-pair")).containsExactly("first", "second");
            assertThat(first.header("X-PAIR")).isEqualTo("first");
            assertThat(first.headers()).containsEntry("x-pair", "first");
            assertThat(received).extracting(Received::arrivedNanos).isSorted();
            assertThat(receiver.receivedCount()).isEqualTo(4);
            assertThat(receiver.connectionCount()).isPositive();
        }
    }

    @Test
    void countsRequestsPerValueOfAHeader() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            post(receiver.url("/"), "", "webhook-id", "a").get(10, TimeUnit.SECONDS);
            post(receiver.url("/"), "", "webhook-id", "a").get(10, TimeUnit.SECONDS);
            post(receiver.url("/"), "", "webhook-id", "b").get(10, TimeUnit.SECONDS);
            post(receiver.url("/"), "").get(10, TimeUnit.SECONDS);

            assertThat(receiver.countsBy("webhook-id")).isEqualTo(Map.of("a", 2, "b", 1, "(none)", 1));
        }
    }

    @Test
    void aHeldRequestGetsNoAnswerUntilTheReceiverCloses() throws Exception {
        TestReceiver receiver = TestReceiver.start().answer(Answer.hold());
        CompletableFuture<HttpResponse<String>> held = post(receiver.url("/held"), "{}");
        assertThat(receiver.awaitReceived(1, Duration.ofSeconds(10))).hasSize(1);

        assertThatThrownBy(() -> held.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(post(receiver.url("/next"), "{}").get(10, TimeUnit.SECONDS).statusCode())
                .as("only the scripted request is held")
                .isEqualTo(200);

        receiver.close();
        assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void aBehaviourWaitsForTheReleaseAndThenAnswers() throws Exception {
        try (TestReceiver receiver = TestReceiver.start((request, response, r) -> {
            r.awaitRelease();
            Answer.text(200, "released").writeTo(response);
        })) {
            CompletableFuture<HttpResponse<String>> waiting = post(receiver.url("/"), "");
            receiver.awaitReceived(1, Duration.ofSeconds(10));
            assertThatThrownBy(() -> waiting.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            receiver.release();

            assertThat(waiting.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
        }
    }

    @Test
    void aReceiverThatDoesNotRecordLeavesTheBodyToItsBehaviourAndRefusesToListRequests() throws Exception {
        try (TestReceiver receiver = TestReceiver.builder()
                .recording(false)
                .behaviour((request, response, r) -> {
                    String body = org.eclipse.jetty.io.Content.Source.asString(request);
                    Answer.text(200, "got " + body).writeTo(response);
                })
                .start()) {
            assertThat(post(receiver.url("/"), "ping").get(10, TimeUnit.SECONDS).body())
                    .isEqualTo("got ping");
            assertThatIllegalStateException().isThrownBy(receiver::received);
            assertThatIllegalStateException().isThrownBy(() -> receiver.onRequest(request -> {}));
            assertThatIllegalStateException()
                    .isThrownBy(() -> receiver.answer(Answer.of(500)))
                    .withMessageContaining("behaviour of its own");
        }
    }

    @Test
    void listensOnIpv6LoopbackWhenAsked() throws Exception {
        TestReceiver receiver;
        try {
            receiver = TestReceiver.builder()
                    .host("::1")
                    .behaviour(Answer.text(200, "v6"))
                    .start();
        } catch (Exception noIpv6) {
            return; // a machine without ::1
        }
        try (receiver) {
            assertThat(receiver.url("/h")).isEqualTo("http://[::1]:" + receiver.port() + "/h");
            assertThat(post(receiver.url("/h"), "").get(10, TimeUnit.SECONDS).body())
                    .isEqualTo("v6");
        }
    }
}
