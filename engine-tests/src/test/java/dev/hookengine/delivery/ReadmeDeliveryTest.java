package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.WebhookEngine;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README's delivery snippet true: it is this test's code, and it compiles and runs. */
class ReadmeDeliveryTest {

    @Test
    void deliverySnippetRuns() {
        WebhookStore store = new InMemoryWebhookStore();
        MeterRegistry registry = new SimpleMeterRegistry();
        // spotless:off (the README shows this code as written here)
        // delivery:start
        JettyHttpTransport transport = JettyHttpTransport.builder().build();   // engine-http; SSRF guard on
        WebhookEngine engine = WebhookEngine.builder()
                .store(store)
                .transport(transport)
                .meterRegistry(registry)          // optional: hookengine.* meters
                .build();
        engine.start();
        // ... on shutdown: engine.close(); transport.close();
        // delivery:end
        // spotless:on
        engine.close();
        transport.close();
        assertThat(registry.find("hookengine.attempts").meters()).isEmpty();
        assertThat(registry.find("hookengine.queue.depth").gauge()).isNotNull();
    }

    @Test
    void readmeShowsTheCodeThisTestRuns() throws IOException {
        Path root = Path.of(System.getProperty("hookengine.root", ".."));
        String readme = Files.readString(root.resolve("README.md"));
        // Relative to the module (Maven's working directory for tests), so that the module can move.
        String test = Files.readString(Path.of("src/test/java/dev/hookengine/delivery/ReadmeDeliveryTest.java"));

        Matcher inReadme = Pattern.compile(
                        "<!-- delivery:start.*?-->\\s*```java\\n(.*?)```\\s*<!-- delivery:end -->", Pattern.DOTALL)
                .matcher(readme);
        Matcher inTest = Pattern.compile("// delivery:start\\n(.*?)\\s*// delivery:end", Pattern.DOTALL)
                .matcher(test);

        assertThat(inReadme.find())
                .as("README has the delivery snippet between its markers")
                .isTrue();
        assertThat(inTest.find()).isTrue();
        assertThat(lines(inReadme.group(1))).isEqualTo(lines(inTest.group(1)));
    }

    private static List<String> lines(String code) {
        return code.lines().map(String::strip).toList();
    }
}
