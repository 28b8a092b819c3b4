package dev.hookengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.model.Secret;
import dev.hookengine.spi.EntityUnavailableException;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HttpEntityHydrator} against an entity service on 127.0.0.1, through the guarded transport. */
class HttpEntityHydratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "Bearer s3cret-value";

    private JettyHttpTransport transport;
    private TestReceiver service;

    @BeforeEach
    void start() throws Exception {
        transport = JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
        service = TestReceiver.start();
    }

    @AfterEach
    void stop() {
        transport.close();
        service.close();
    }

    private HttpEntityHydrator hydrator(JettyHttpTransport through) {
        return HttpEntityHydrator.builder(through)
                .entityUrl(service.url("/e/{orgId}/{schema}/{entityId}"))
                .authHeader("Authorization", Secret.of(SECRET))
                .deadline(Duration.ofMillis(500))
                .maxBytes(100)
                .build();
    }

    private static DomainEvent event(String entityId) throws Exception {
        return DomainEvent.builder("org a", "contact_updated")
                .entity((ObjectNode) JSON.readTree("{\"_id\": \"" + entityId + "\", \"_schema\": \"contact\"}"))
                .build();
    }

    @Test
    void fetchesTheEntityWithItsPlaceholdersEncodedAndTheAuthHeader() throws Exception {
        service.answer(Answer.json(200, "{\"_id\": \"c 1\", \"name\": \"Ada\"}"));

        ObjectNode entity = hydrator(transport).hydrateEntity(event("c 1"));

        assertThat(entity).isEqualTo(JSON.readTree("{\"_id\": \"c 1\", \"name\": \"Ada\"}"));
        assertThat(service.received().get(0).uri()).endsWith("/e/org%20a/contact/c%201");
        assertThat(service.received().get(0).header("Authorization")).isEqualTo(SECRET);
    }

    @Test
    void a5xxOrATimeoutMayMendWhileA404OrAnOversizedAnswerIsFinal() throws Exception {
        HttpEntityHydrator hydrator = hydrator(transport);
        service.answer(
                Answer.json(503, "{}"),
                Answer.json(404, "{}"),
                Answer.json(200, "{\"x\": \"" + "y".repeat(200) + "\"}"));

        assertThatThrownBy(() -> hydrator.hydrateEntity(event("c1")))
                .isInstanceOf(EntityUnavailableException.class)
                .hasMessageContaining("503");
        assertThatThrownBy(() -> hydrator.hydrateEntity(event("c1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("404");
        assertThatThrownBy(() -> hydrator.hydrateEntity(event("c1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than 100 bytes");
        service.answer(Answer.hold());
        assertThatThrownBy(() -> hydrator.hydrateEntity(event("c1")))
                .isInstanceOf(EntityUnavailableException.class)
                .hasMessageNotContaining("s3cret");
        service.release();
    }

    @Test
    void theGuardOfTheTransportAppliesAndTheSecretIsNeverShown() throws Exception {
        try (JettyHttpTransport strict = JettyHttpTransport.builder().build()) {
            HttpEntityHydrator hydrator = hydrator(strict);
            assertThatThrownBy(() -> hydrator.hydrateEntity(event("c1")))
                    .as("loopback is refused by the default guard: final, not retried")
                    .isInstanceOf(IllegalStateException.class)
                    .isNotInstanceOf(EntityUnavailableException.class)
                    .hasMessageContaining("BLOCKED_DESTINATION");
            assertThat(hydrator.toString()).doesNotContain("s3cret").contains("Authorization: ****");
        }
        assertThat(service.received()).isEmpty();
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> HttpEntityHydrator.builder(transport).build())
                .hasMessageContaining("entityUrl or relationsUrl");
        assertThatThrownBy(() -> HttpEntityHydrator.builder(transport)
                        .entityUrl("https://e.internal/{tenant}")
                        .build())
                .hasMessageContaining("entityUrl")
                .hasMessageContaining("{tenant}");
        assertThatThrownBy(() -> HttpEntityHydrator.builder(transport)
                        .relationsUrl("/relative/{entityId}")
                        .build())
                .hasMessageContaining("relationsUrl");
        assertThatThrownBy(() -> HttpEntityHydrator.builder(transport)
                        .entityUrl("https://e.internal/{entityId}")
                        .authHeader("Authorization", Secret.of("a\r\nb"))
                        .build())
                .hasMessageContaining("authHeader")
                .hasMessageNotContaining("a\r\nb");
    }
}
