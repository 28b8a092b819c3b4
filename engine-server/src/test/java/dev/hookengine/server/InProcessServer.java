package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.testing.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls and delivery rounds of a {@link StandaloneServer} a test started in its own JVM. */
final class InProcessServer {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private InProcessServer() {}

    /** {@code method path} with a JSON body ({@code null}: none) and {@code token}; must answer 2xx. */
    static JsonNode call(StandaloneServer server, String token, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isBetween(200, 299);
        return MAPPER.readTree(response.body());
    }

    /**
     * Runs the server engine's delivery rounds until {@code receiver} has {@code count} requests. The
     * job is due; what may still be in flight is the workers' own round, which can claim it first.
     */
    static void deliverUntilReceived(StandaloneServer server, TestReceiver receiver, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (receiver.received().size() < count && System.nanoTime() < deadline) {
            if (server.engine().deliverDue() == 0) {
                Thread.sleep(50); // the pause between two rounds, not a wait for an outcome
            }
        }
        assertThat(receiver.received()).hasSize(count);
    }
}
