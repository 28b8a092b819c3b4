package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.model.Auth;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's quick start true: the code between the markers below is the README's code,
 * character for character (indentation aside), and it compiles and runs here.
 */
class ReadmeQuickStartTest {

    @Test
    void quickStartRuns() {
        // spotless:off (the README shows this code as written here)
        // quickstart:start
        WebhookEngine engine = WebhookEngine.builder()
                .store(new InMemoryWebhookStore())
                .build();

        WebhookConfig created = engine.createConfig("acme", WebhookConfig.builder()
                .name("CRM sync")
                .eventName("customer_created")
                .url("https://crm.example.com/hooks")
                .auth(Auth.basic(new BasicAuthConfig("crm", Secret.of("s3cret"), null)))
                .build());

        // Shown once, in the create response: hand it to the receiver to verify signatures.
        String signingSecret = created.signingSecret().reveal();

        // Reads never show secrets.
        List<WebhookConfig> configs = engine.getConfigs("acme", "customer_created");

        // An event reaches every enabled config of its organization subscribed to its name.
        PublishResult result = engine.publish(DomainEvent.builder("acme", "customer_created")
                .entity(JsonNodeFactory.instance.objectNode().put("_id", "cus_1").put("name", "Ada"))
                .build());
        for (Dispatch dispatch : result.dispatches()) {
            // Dispatch.Deliver (the body to send), Dispatch.Skip (why not), Dispatch.Fail (code, message)
        }
        // quickstart:end
        // spotless:on

        assertThat(result.dispatches())
                .singleElement()
                .isInstanceOfSatisfying(
                        Dispatch.Deliver.class,
                        deliver -> assertThat(
                                        deliver.body().get("entity").get("name").asText())
                                .isEqualTo("Ada"));
        assertThat(signingSecret).startsWith("whsec_");
        assertThat(configs).singleElement().satisfies(config -> {
            assertThat(config.status()).isEqualTo(ConfigStatus.ACTIVE);
            assertThat(config.signingSecret()).isNull();
            assertThat(config.auth().basicAuthConfig().password()).isNull();
        });
    }

    @Test
    void readmeShowsTheCodeThisTestRuns() throws IOException {
        ReadmeSnippets.assertReadmeShowsTheCodeOf(
                "quickstart", "src/test/java/dev/hookengine/ReadmeQuickStartTest.java", "the quick start");
    }
}
