package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.server.ApiServer.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors the web server produces itself, before or beside the routes: every one is the spec's
 * {@code ErrorResp} as {@code application/json}, never Jetty's HTML page; and a known path called with
 * a method it does not have is a 405 with {@code Allow}, not a 404. The malformed requests go over a
 * raw socket, since an HTTP client refuses to send them.
 */
class HttpLayerErrorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ApiServer api = new ApiServer();

    /** An answer read off the socket. */
    private record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a bad percent-encoding in the path|GET /v1/webhooks/configs/%zz HTTP/1.1|400",
                "an encoded NUL in the path|GET /v1/webhooks/configs/ab%00c HTTP/1.1|400",
                "a request line that is not HTTP|HELLO WORLD|505",
                "an unknown HTTP version|GET /health HTTP/7.3|505",
            })
    void malformedRequestsAreAnsweredWithAJsonErrorResp(String what, String requestLine, int status)
            throws IOException {
        assertJsonError(send(requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), status);
    }

    @Test
    void aMegabyteQueryStringIs414AsJson() throws IOException {
        String query = "cursor=" + "a".repeat(1024 * 1024);
        Raw answer = send("GET /v1/webhooks/configs/x/events?" + query
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertJsonError(answer, 414);
    }

    @Test
    void aHugeHeaderBlockIs431AsJson() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            headers.append("X-Filler-")
                    .append(i)
                    .append(": ")
                    .append("b".repeat(200))
                    .append("\r\n");
        }
        Raw answer = send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n\r\n");
        assertJsonError(answer, 431);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "PATCH|/v1/webhooks/configs|GET, POST",
                "DELETE|/v1/webhooks/configs|GET, POST",
                "POST|/v1/webhooks/configs/abc|GET, PUT, DELETE",
                "GET|/v1/webhooks/configs/abc/trigger|POST",
                "PUT|/v1/webhooks/.well-known/public-key|GET",
                "GET|/v1/webhooks/variables/NAME|PUT, DELETE",
            })
    void aKnownPathWithAnotherMethodIs405ListingTheAllowedOnes(String method, String path, String allowed)
            throws IOException {
        Response response = api.call(method, path, null);
        assertThat(response.status()).as(response.body()).isEqualTo(405);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.message()).contains(method).contains(allowed);

        Raw raw = send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(raw.status()).isEqualTo(405);
        assertThat(raw.header("Allow")).isEqualTo(allowed);
    }

    @Test
    void anErrorEscapingARouteIs500AsJson() throws IOException {
        // An Error is not an Exception: Javalin hands it to its own handler, which wrote no body.
        try (WebhookServer failing = WebhookServer.builder(api.engine)
                .authenticator(token -> {
                    throw new AssertionError("an authenticator broken beyond repair");
                })
                .host("127.0.0.1")
                .port(0)
                .build()
                .start()) {
            Raw answer = send(
                    failing.port(),
                    "GET /v1/webhooks/configs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n"
                            + "Connection: close\r\n\r\n");
            assertJsonError(answer, 500);
            assertThat(answer.body()).doesNotContain("broken beyond repair");
        }
    }

    @Test
    void anUnknownPathStays404AsJson() throws IOException {
        Response response = api.call("PATCH", "/v1/webhooks/no-such-route", null);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.message()).contains("No route");
        assertJsonError(send("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 404);
    }

    private static void assertJsonError(Raw answer, int status) throws IOException {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.body()).startsWith("application/json");
        JsonNode body = MAPPER.readTree(answer.body());
        assertThat(body.isObject()).as(answer.body()).isTrue();
        assertThat(body.path("message").asText()).as(answer.body()).isNotBlank();
        assertThat(body.size())
                .as("an ErrorResp has only a message: " + answer.body())
                .isEqualTo(1);
    }

    /** Writes {@code request} as is and reads the answer until the server closes the connection. */
    private Raw send(String request) throws IOException {
        return send(api.server.port(), request);
    }

    private static Raw send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException refusedMidway) {
                // The server may answer and close before a huge request is written whole.
            }
            return parse(socket.getInputStream());
        }
    }

    private static Raw parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (IOException reset) {
            // a reset after the answer: keep what was read
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP answer: " + text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Raw(status, headers, body);
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
