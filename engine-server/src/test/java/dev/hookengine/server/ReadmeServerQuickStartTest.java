package dev.hookengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.testing.TestReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the README's "Run the server" section true. It reads the start command and the curl
 * block from between their markers, starts the standalone server in-process with the command's
 * variables and arguments (on a free port and a temporary data directory instead of 8080 and
 * {@code ./hookengine-data}), and makes the curl block's requests in order, with the receiver
 * variable pointing at a real receiver on 127.0.0.1.
 *
 * <p>It understands the small shell the README uses and nothing more: assignments, {@code $VAR}
 * in double quotes and bare words, single quotes, line continuations, {@code NAME=$(curl ... | jq -r
 * .field)}, and curl's {@code -s -f -X -H -d}. Anything else fails the test, so the README cannot
 * drift into something this test no longer checks.
 */
class ReadmeServerQuickStartTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void theReadmesStartCommandAndCurlCallsWork() throws Exception {
        String readme = Files.readString(
                Path.of(System.getProperty("hookengine.root", "..")).resolve("README.md"));
        List<List<String>> start = commands(block(readme, "server-start"), Map.of());
        List<String> java = start.stream()
                .filter(words -> words.contains("java"))
                .findFirst()
                .orElseThrow();
        assertThat(start.get(0)).as("the build command").containsExactly("mvn", "-B", "-q", "-DskipTests", "package");

        Map<String, String> env = new HashMap<>();
        int at = 0;
        while (java.get(at).matches("[A-Z_]+=.*")) {
            env.put(
                    java.get(at).substring(0, java.get(at).indexOf('=')),
                    java.get(at).substring(java.get(at).indexOf('=') + 1));
            at++;
        }
        assertThat(java.subList(at, at + 3)).containsExactly("java", "-jar", "engine-server/target/engine-server.jar");
        List<String> args = new ArrayList<>(java.subList(at + 3, java.size()));
        args.addAll(List.of("--port", "0", "--host", "127.0.0.1", "--db", "h2:" + dataDir));

        try (TestReceiver receiver = TestReceiver.start();
                StandaloneServer server = StandaloneServer.start(
                        ServerOptions.parse(args.toArray(String[]::new), env),
                        UnaryOperator.identity(),
                        new PrintStream(new ByteArrayOutputStream()))) {
            Map<String, String> vars = new LinkedHashMap<>();
            String last = null;
            for (String line : logicalLines(block(readme, "server-curl"))) {
                Matcher assignment = Pattern.compile("^([A-Z_]+)=(.*)$").matcher(line);
                if (assignment.matches() && assignment.group(2).startsWith("$(")) {
                    String inner = assignment.group(2);
                    assertThat(inner).endsWith(")");
                    String[] pipeline = inner.substring(2, inner.length() - 1).split("\\|");
                    assertThat(pipeline).as("curl ... | jq -r .field").hasSize(2);
                    JsonNode answer = MAPPER.readTree(curl(words(pipeline[0], vars), server.port()));
                    List<String> jq = words(pipeline[1], vars);
                    assertThat(jq.subList(0, 2)).containsExactly("jq", "-r");
                    assertThat(jq.get(2)).matches("\\.[a-z_]+");
                    vars.put(
                            assignment.group(1),
                            answer.get(jq.get(2).substring(1)).asText());
                } else if (assignment.matches()) {
                    List<String> value = words(assignment.group(2), vars);
                    assertThat(value).hasSize(1);
                    // The README's receiver is an example URL; here it is a real one on 127.0.0.1.
                    vars.put(
                            assignment.group(1),
                            assignment.group(1).equals("RECEIVER") ? receiver.url("/hooks") : value.get(0));
                } else {
                    last = curl(words(line, vars), server.port());
                }
            }

            assertThat(vars).containsKeys("ID", "EVENT");
            JsonNode event = MAPPER.readTree(last);
            assertThat(event.get("event_id").asText()).isEqualTo(vars.get("EVENT"));
            assertThat(event.get("status").asText()).isEqualTo("succeeded");
            assertThat(receiver.received()).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/hooks");
                assertThat(request.body()).contains("\"name\":\"Ada\"");
                assertThat(request.header("webhook-signature")).contains("v1,");
            });
        }
    }

    /** Runs one curl command (as words) against the server; {@code -f}: a non-2xx answer fails. */
    private static String curl(List<String> words, int port) throws Exception {
        assertThat(words.get(0)).isEqualTo("curl");
        String method = "GET";
        String url = null;
        String data = null;
        boolean failOnError = false;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-s" -> {}
                case "-f", "-sf", "-fs" -> failOnError = true;
                case "-X" -> method = words.get(++i);
                case "-H" -> {
                    String header = words.get(++i);
                    headers.put(
                            header.substring(0, header.indexOf(':')).trim(),
                            header.substring(header.indexOf(':') + 1).trim());
                }
                case "-d" -> data = words.get(++i);
                default -> {
                    assertThat(word).as("a curl option this test does not know").doesNotStartWith("-");
                    url = word;
                }
            }
        }
        assertThat(url).as("the URL").startsWith("localhost:8080/");
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + url.substring("localhost:8080".length())))
                .method(
                        method,
                        data == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(data));
        headers.forEach(request::header);
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(failOnError)
                .as("the README's curl calls use -f, so a failure shows")
                .isTrue();
        assertThat(response.statusCode())
                .as(String.join(" ", words) + " -> " + response.body())
                .isBetween(200, 299);
        return response.body();
    }

    /** The fenced code between {@code <!-- name:start ... -->} and {@code <!-- name:end -->}. */
    private static String block(String readme, String name) {
        Matcher matcher = Pattern.compile(
                        "<!-- " + name + ":start[^>]*-->\\s*```sh\\n(.*?)```\\s*<!-- " + name + ":end -->",
                        Pattern.DOTALL)
                .matcher(readme);
        assertThat(matcher.find())
                .as("README has the " + name + " block between its markers")
                .isTrue();
        return matcher.group(1);
    }

    /** Lines with continuations joined and comments dropped. */
    private static List<String> logicalLines(String block) {
        List<String> lines = new ArrayList<>();
        for (String line : block.replace("\\\n", " ").split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    private static List<List<String>> commands(String block, Map<String, String> vars) {
        return logicalLines(block).stream().map(line -> words(line, vars)).toList();
    }

    /** Splits a line into words as a POSIX shell would, for the subset the README uses. */
    private static List<String> words(String line, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                assertThat(end).as("closing single quote in: " + line).isPositive();
                word = (word == null ? new StringBuilder() : word).append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                for (i++; line.charAt(i) != '"'; i++) {
                    if (line.charAt(i) == '\\' && "\"\\$".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(++i));
                    } else if (line.charAt(i) == '$') {
                        i = expand(line, i, vars, word);
                    } else {
                        word.append(line.charAt(i));
                    }
                }
            } else if (c == '$') {
                word = word == null ? new StringBuilder() : word;
                i = expand(line, i, vars, word);
            } else if (c == '#' && word == null) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                assertThat("|;&<>`(){}\\")
                        .as("shell syntax this test does not know in: " + line)
                        .doesNotContain(String.valueOf(c));
                word = (word == null ? new StringBuilder() : word).append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the value of the {@code $NAME} at {@code at}; returns the index of its last character. */
    private static int expand(String line, int at, Map<String, String> vars, StringBuilder word) {
        Matcher name = Pattern.compile("[A-Z_]+").matcher(line).region(at + 1, line.length());
        assertThat(name.lookingAt()).as("a $VARIABLE in: " + line).isTrue();
        assertThat(vars).as("variables set before: " + line).containsKey(name.group());
        word.append(vars.get(name.group()));
        return name.end() - 1;
    }
}
