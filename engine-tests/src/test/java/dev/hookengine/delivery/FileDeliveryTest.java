package dev.hookengine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import dev.hookengine.DomainEvent;
import dev.hookengine.OutcomeCode;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.DeliveryMode;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.FileFieldStrategy;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.MultipartConfig;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.signing.WebhookVerifier;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * File deliveries end to end ({@code deliveryMode} {@code binary_multipart} and {@code json_base64}):
 * the attachments are served by a file server on 127.0.0.1, fetched by the engine's default
 * attachment source through the real Jetty transport (its guard allowing 127.0.0.1/32 only), and
 * the receiver on 127.0.0.1 parses what came with Jetty's own multipart parser. Every file is
 * compared by SHA-256. The engine's clock is the real time here, so that the Standard Webhooks
 * library, which checks timestamps against the system clock, verifies the signatures.
 */
class FileDeliveryTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIVE_MIB = 5 * 1024 * 1024;

    /** Served files by path; a path not in it answers 404. */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** Paths served chunked (no Content-Length), so that only counting the bytes finds a file too large. */
    private final Map<String, Boolean> chunked = new ConcurrentHashMap<>();

    private TestReceiver fileServer;

    @Override
    WebhookEngineBuilder configure(WebhookEngineBuilder builder) {
        return builder.attemptDeadline(Duration.ofSeconds(10))
                .attachmentLimits(6 * 1024 * 1024, Duration.ofSeconds(10));
    }

    @BeforeEach
    void startFileServer() throws Exception {
        clock.set(Instant.now());
        fileServer = TestReceiver.builder()
                .recording(false)
                .behaviour((request, response, receiver) -> {
                    String path = request.getHttpURI().getPath();
                    byte[] bytes = files.get(path);
                    if (bytes == null) {
                        response.setStatus(404);
                        return;
                    }
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                    if (chunked.containsKey(path)) {
                        int half = bytes.length / 2;
                        Content.Sink.write(response, false, ByteBuffer.wrap(bytes, 0, half));
                        Content.Sink.write(response, true, ByteBuffer.wrap(bytes, half, bytes.length - half));
                    } else {
                        Content.Sink.write(response, true, ByteBuffer.wrap(bytes));
                    }
                })
                .start();
    }

    @AfterEach
    void stopFileServer() {
        fileServer.close();
    }

    @Test
    void multipartStreamsAFiveMebibyteFileWithExtraFieldsAndAVerifiableSignature() throws Exception {
        byte[] pdf = randomBytes(FIVE_MIB, 1);
        files.put("/files/invoice.pdf", pdf);
        engine.putVariable(ORG, "PARTNER_ID", "partner-77");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("kind", "'invoice'");
        extra.put("customer", "entity.name");
        extra.put("partner", "'{{ env.PARTNER_ID }}'");
        extra.put("meta", "entity.tags");
        extra.put("missing", "entity.nothing_here");
        extra.put("nothing", "null");
        WebhookConfig config = create(config(DeliveryMode.BINARY_MULTIPART)
                .multipartConfig(new MultipartConfig("document", null, null, extra)));

        String eventId = publish(attachments(attachment("/files/invoice.pdf", "invoice.pdf", "application/pdf")));
        assertThat(engine.deliverDue()).isEqualTo(1);

        assertThat(event(eventId).status()).isEqualTo(EventStatus.SUCCEEDED);
        Received request = receiver.received().get(0);
        assertThat(request.header("content-type")).startsWith("multipart/form-data; boundary=");
        MultiPartFormData.Parts parts = parse(request);
        assertThat(names(parts)).containsExactly("payload", "kind", "customer", "partner", "meta", "document");

        MultiPart.Part file = parts.getFirst("document");
        assertThat(file.getFileName()).isEqualTo("invoice.pdf");
        assertThat(file.getHeaders().get(HttpHeader.CONTENT_TYPE)).isEqualTo("application/pdf");
        assertThat(sha256(bytesOf(file))).isEqualTo(sha256(pdf));

        assertThat(parts.getFirst("kind").getContentAsString(StandardCharsets.UTF_8))
                .isEqualTo("invoice");
        assertThat(parts.getFirst("customer").getContentAsString(StandardCharsets.UTF_8))
                .isEqualTo("Ada");
        assertThat(parts.getFirst("partner").getContentAsString(StandardCharsets.UTF_8))
                .isEqualTo("partner-77");
        assertThat(JSON.readTree(parts.getFirst("meta").getContentAsString(StandardCharsets.UTF_8)))
                .isEqualTo(JSON.readTree("[\"vip\",{\"since\":2020}]"));

        byte[] payload = bytesOf(parts.getFirst("payload"));
        assertThat(parts.getFirst("payload").getHeaders().get(HttpHeader.CONTENT_TYPE))
                .isEqualTo("application/json");
        assertThat(new String(payload, StandardCharsets.UTF_8))
                .isEqualTo(event(eventId).payload());
        Map<String, String> headers = request.headers();
        WebhookVerifier.builder()
                .clock(clock)
                .secret(config.signingSecret().reveal())
                .publicKey(engine.getPublicKey(ORG).publicKey())
                .build()
                .verifyMultipart(payload, headers);
        new Webhook(config.signingSecret().reveal())
                .verify(
                        new String(payload, StandardCharsets.UTF_8),
                        Map.of(
                                "webhook-id", List.of(headers.get("webhook-id")),
                                "webhook-timestamp", List.of(headers.get("webhook-timestamp")),
                                "webhook-signature", List.of(headers.get("webhook-signature"))));
        assertThat(WebhookVerifier.builder()
                        .clock(clock)
                        .secret(config.signingSecret().reveal())
                        .build()
                        .isValid(
                                parts.getFirst("kind")
                                        .getContentAsString(StandardCharsets.UTF_8)
                                        .getBytes(StandardCharsets.UTF_8),
                                headers))
                .as("the signature covers the payload part, nothing else")
                .isFalse();
    }

    @Test
    void multiSendsEachOfThreeFilesUnderOneFieldName() throws Exception {
        byte[][] bytes = {randomBytes(300_000, 2), randomBytes(1, 3), randomBytes(70_001, 4)};
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < bytes.length; i++) {
            files.put("/f/" + i, bytes[i]);
            list.add(attachment("/f/" + i, "part-" + i + ".bin", null));
        }
        create(config(DeliveryMode.BINARY_MULTIPART)
                .multipartConfig(new MultipartConfig(null, FileFieldStrategy.MULTI, null, null)));

        String eventId = publish(attachments(list));
        engine.deliverDue();

        assertThat(event(eventId).status()).isEqualTo(EventStatus.SUCCEEDED);
        MultiPartFormData.Parts parts = parse(receiver.received().get(0));
        List<MultiPart.Part> sent = parts.getAll("file");
        assertThat(sent).hasSize(3);
        for (int i = 0; i < bytes.length; i++) {
            assertThat(sent.get(i).getFileName()).isEqualTo("part-" + i + ".bin");
            assertThat(sent.get(i).getHeaders().get(HttpHeader.CONTENT_TYPE))
                    .as("without mime_type, the file server's content type")
                    .isEqualTo("application/octet-stream");
            assertThat(sha256(bytesOf(sent.get(i)))).isEqualTo(sha256(bytes[i]));
        }
    }

    @Test
    void aFileSourceExpressionPicksOneAttachmentOfSeveral() throws Exception {
        files.put("/a", randomBytes(10, 5));
        files.put("/b", randomBytes(20, 6));
        create(config(DeliveryMode.BINARY_MULTIPART)
                .multipartConfig(new MultipartConfig(null, null, "event_attachments[filename='b.txt']", null)));

        String eventId =
                publish(attachments(attachment("/a", "a.txt", "text/plain"), attachment("/b", "b.txt", "text/plain")));
        engine.deliverDue();

        assertThat(event(eventId).status()).isEqualTo(EventStatus.SUCCEEDED);
        MultiPartFormData.Parts parts = parse(receiver.received().get(0));
        assertThat(parts.getAll("file")).hasSize(1);
        assertThat(sha256(bytesOf(parts.getFirst("file")))).isEqualTo(sha256(files.get("/b")));
    }

    @Test
    void singleWithTwoAttachmentsFailsWithItsCodeAndSendsNothing() {
        files.put("/a", randomBytes(10, 7));
        files.put("/b", randomBytes(10, 8));
        create(config(DeliveryMode.BINARY_MULTIPART));

        String eventId = publish(attachments(attachment("/a", "a", null), attachment("/b", "b", null)));
        engine.deliverDue();

        WebhookEvent failed = event(eventId);
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.TOO_MANY_ATTACHMENTS.code());
        assertThat(failed.httpResponse().message())
                .contains("picked 2 attachments")
                .contains("single");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void anEmptySourceSendsNothingAndRecordsASkip() {
        create(config(DeliveryMode.BINARY_MULTIPART));

        String noAttachments = publish(JSON.createObjectNode());
        String emptyList = publish(attachments(JSON.createArrayNode()));
        engine.deliverDue();

        for (String eventId : List.of(noAttachments, emptyList)) {
            WebhookEvent skipped = event(eventId);
            assertThat(skipped.status()).isEqualTo(EventStatus.SKIPPED);
            assertThat(skipped.httpResponse().code()).isEqualTo(OutcomeCode.SKIPPED.code());
            assertThat(skipped.httpResponse().message()).contains("picked no attachment");
        }
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void jsonBase64EmbedsEachFileInItsAttachmentObject() throws Exception {
        byte[] first = randomBytes(FIVE_MIB, 9);
        byte[] second = randomBytes(12_345, 10);
        files.put("/one", first);
        files.put("/two", second);
        WebhookConfig config = create(config(DeliveryMode.JSON_BASE64));

        String eventId = publish(
                attachments(attachment("/one", "one.bin", "application/pdf"), attachment("/two", "two.bin", null)));
        engine.deliverDue();

        assertThat(event(eventId).status()).isEqualTo(EventStatus.SUCCEEDED);
        Received request = receiver.received().get(0);
        assertThat(request.header("content-type")).isEqualTo("application/json");
        JsonNode body = JSON.readTree(request.bodyBytes());
        assertThat(body.path("entity").path("name").asText()).isEqualTo("Ada");
        JsonNode sent = body.get("event_attachments");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).get("filename").asText()).isEqualTo("one.bin");
        assertThat(sent.get(0).get("mime_type").asText()).isEqualTo("application/pdf");
        assertThat(sha256(Base64.getDecoder()
                        .decode(sent.get(0).get("content_base64").asText())))
                .isEqualTo(sha256(first));
        assertThat(sha256(Base64.getDecoder()
                        .decode(sent.get(1).get("content_base64").asText())))
                .isEqualTo(sha256(second));
        assertThat(WebhookVerifier.builder()
                        .clock(clock)
                        .secret(config.signingSecret().reveal())
                        .build()
                        .isValid(request.bodyBytes(), request.headers()))
                .as("a json_base64 body is signed as sent")
                .isTrue();
    }

    @Test
    void aMissingFileFailsTheAttemptUnavailableAndIsRetriedUntilItIsThere() {
        create(config(DeliveryMode.BINARY_MULTIPART).retryPolicy(new RetryPolicy(true, 2)));
        String eventId = publish(attachments(attachment("/late", "late.txt", "text/plain")));

        engine.deliverDue();
        WebhookEvent waiting = event(eventId);
        assertThat(waiting.status()).isEqualTo(EventStatus.IN_PROGRESS);
        assertThat(waiting.httpResponse().code()).isEqualTo(OutcomeCode.ATTACHMENT_UNAVAILABLE.code());
        assertThat(waiting.httpResponse().message()).contains("late.txt").contains("404");
        assertThat(receiver.received())
                .as("the receiver sees nothing of a failed fetch")
                .isEmpty();

        files.put("/late", "here now".getBytes(StandardCharsets.UTF_8));
        clock.advance(Duration.ofSeconds(5));
        engine.deliverDue();
        assertThat(event(eventId).status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void aFileOverTheCapFailsTooLargeAndIsNotRetriedWhetherItsLengthIsDeclaredOrNot() {
        byte[] big = randomBytes(6 * 1024 * 1024 + 1, 11);
        files.put("/declared", big);
        files.put("/chunked", big);
        chunked.put("/chunked", true);
        create(config(DeliveryMode.BINARY_MULTIPART).retryPolicy(new RetryPolicy(true, 3)));

        String declared = publish(attachments(attachment("/declared", "declared.bin", null)));
        String streamed = publish(attachments(attachment("/chunked", "chunked.bin", null)));
        engine.deliverDue();

        for (String eventId : List.of(declared, streamed)) {
            WebhookEvent failed = event(eventId);
            assertThat(failed.status()).as(eventId).isEqualTo(EventStatus.FAILED);
            assertThat(failed.httpResponse().code()).isEqualTo(OutcomeCode.ATTACHMENT_TOO_LARGE.code());
            assertThat(failed.retryAttempt()).isZero();
        }
        assertThat(event(declared).httpResponse().message()).contains("declared.bin");
        assertThat(receiver.received())
                .as("a declared length over the cap is refused before anything is sent")
                .noneMatch(r -> r.body().contains(declared));
    }

    @Test
    void aPlainJsonConfigIsUnchangedByAttachmentsInTheEvent() throws Exception {
        files.put("/x", randomBytes(10, 12));
        create(config(null));

        String eventId = publish(attachments(attachment("/x", "x", null)));
        engine.deliverDue();

        Received request = receiver.received().get(0);
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo(event(eventId).payload());
        assertThat(JSON.readTree(request.body()).get("event_attachments").get(0).has("content_base64"))
                .isFalse();
    }

    // --- helpers

    private WebhookConfig create(WebhookConfig.Builder config) {
        return engine.createConfig(ORG, config.build());
    }

    private WebhookConfig.Builder config(DeliveryMode mode) {
        return WebhookConfig.builder()
                .name("files")
                .eventName("file_created")
                .url(receiver.url("/hooks"))
                .deliveryMode(mode);
    }

    private String publish(ObjectNode extraProperties) {
        DomainEvent.Builder event = DomainEvent.builder(ORG, "file_created")
                .metadata(Metadata.builder().action("created").build())
                .entity(object("{\"_id\":\"doc-1\",\"name\":\"Ada\",\"tags\":[\"vip\",{\"since\":2020}]}"));
        extraProperties.fields().forEachRemaining(field -> event.property(field.getKey(), field.getValue()));
        return engine.publish(event.build()).eventIds().get(0);
    }

    private static ObjectNode attachments(JsonNode... items) {
        ArrayNode list = JSON.createArrayNode();
        for (JsonNode item : items) {
            list.add(item);
        }
        return attachments(list);
    }

    private static ObjectNode attachments(ArrayNode list) {
        ObjectNode properties = JSON.createObjectNode();
        properties.set("event_attachments", list);
        return properties;
    }

    private ObjectNode attachment(String path, String filename, String mimeType) {
        ObjectNode attachment =
                JSON.createObjectNode().put("url", fileServer.url(path)).put("filename", filename);
        if (mimeType != null) {
            attachment.put("mime_type", mimeType);
        }
        return attachment;
    }

    private WebhookEvent event(String eventId) {
        return store.findEvent(ORG, eventId).orElseThrow();
    }

    private static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static MultiPartFormData.Parts parse(Received request) throws Exception {
        String boundary = MultiPart.extractBoundary(request.header("content-type"));
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxMemoryFileSize(-1); // keep every part in memory: the test compares bytes
        parser.setMaxFileSize(-1);
        parser.setMaxLength(-1);
        return parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(request.bodyBytes())))
                .get(10, TimeUnit.SECONDS);
    }

    private static List<String> names(MultiPartFormData.Parts parts) {
        List<String> names = new java.util.ArrayList<>();
        parts.forEach(part -> names.add(part.getName()));
        return names;
    }

    private static byte[] bytesOf(MultiPart.Part part) throws Exception {
        ByteBuffer buffer = Content.Source.asByteBuffer(part.getContentSource());
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
