package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The REST API of one {@link ServerProcess}, called over HTTP with one organization's token. */
final class ServerApi {

    /** One answer; {@link #json()} parses the body. */
    record Reply(String request, int status, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(request + " answered " + status + " with a body that is not JSON: " + body, e);
            }
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The request, the status and the body's start: enough to say what went wrong, short enough to read. */
        @Override
        public String toString() {
            String shown = body.length() <= SHOWN_BODY ? body : body.substring(0, SHOWN_BODY) + "...";
            return request + " -> " + status + (body.isEmpty() ? "" : " " + shown);
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SHOWN_BODY = 300;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ServerProcess server;
    private final String token;

    ServerApi(ServerProcess server, String token) {
        this.server = server;
        this.token = token;
    }

    /** {@code method path} with a JSON body ({@code null}: none); any status. */
    Reply call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        String described = method + " " + path + " on server '" + server.name() + "'";
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(described, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(described + " failed\n" + server.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(described + " interrupted", e);
        }
    }

    /** {@code method path}, which must answer 2xx: the server acknowledged it. */
    Reply acknowledged(String method, String path, String json) {
        Reply reply = call(method, path, json);
        assertThat(reply.ok()).as("the server acknowledges %s", reply).isTrue();
        return reply;
    }

    /** {@code GET path}, which must answer 2xx; its JSON. */
    JsonNode get(String path) {
        return acknowledged("GET", path, null).json();
    }
}
