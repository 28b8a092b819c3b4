package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.server.ApiServer.Response;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The console's files over real HTTP: served without a token, each with the security headers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleFilesTest {

    private final ApiServer api = new ApiServer();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void everyConsoleAnswerCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of(
                "/console",
                "/console/",
                "/console/index.html",
                "/console/console.js",
                "/console/screens.js",
                "/console/console.css",
                "/console/no-such-file.js",
                "/console/..%2Fhookengine.openapi.json")) {
            HttpResponse<String> answer =
                    http.send(HttpRequest.newBuilder(api.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
            var headers = answer.headers();
            assertThat(headers.firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains("default-src 'none'")
                            .contains("script-src 'self';")
                            .contains("style-src 'self';")
                            .contains("frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline")
                            .doesNotContain("unsafe-eval"));
            assertThat(headers.firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(headers.firstValue("Referrer-Policy")).as(path).contains("no-referrer");
        }
    }

    @Test
    void filesAreServedWithoutATokenAndWithTheirTypes() throws Exception {
        assertThat(get("/console").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(get("/console").body()).contains("<script type=\"module\" src=\"/console/console.js\">");
        assertThat(get("/console/console.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(get("/console/console.css").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
    }

    @Test
    void onlyTheConsolesOwnFilesAreServed() throws Exception {
        for (String path : List.of("/console/no-such-file.js", "/console/..%2Fhookengine.openapi.json")) {
            HttpResponse<String> answer = get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).contains("\"message\"");
        }
    }

    @Test
    void theApiStillNeedsTheToken() {
        Response answer = api.call("GET", "/v1/webhooks/configs", null, null);
        assertThat(answer.status()).isEqualTo(401);
    }

    /** No innerHTML, outerHTML, insertAdjacentHTML, document.write or eval in any script of the console. */
    @Test
    void noScriptParsesTextAsHtmlOrCode() throws Exception {
        for (String file : List.of("console.js", "screens.js", "api.js", "dom.js")) {
            assertThat(get("/console/" + file).body())
                    .as(file)
                    .doesNotContain("innerHTML")
                    .doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML")
                    .doesNotContain("document.write")
                    .doesNotContain("eval(")
                    .doesNotContain("new Function")
                    .doesNotContain(".style.");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(api.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
