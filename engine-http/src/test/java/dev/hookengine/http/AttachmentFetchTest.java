package dev.hookengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.delivery.TransportAttachmentSource;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.spi.Attachment;
import dev.hookengine.spi.AttachmentContent;
import dev.hookengine.spi.AttachmentException;
import dev.hookengine.spi.MultipartBody;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.StreamedResponse;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What file deliveries need of the transport: a streamed multipart body that a real multipart parser
 * reads back, a response body streamed past {@code maxResponseBytes}, and the SSRF guard on the
 * fetches of attachments exactly as on deliveries.
 */
class AttachmentFetchTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final byte[] file = randomBytes(1024 * 1024 + 17);
    private final AtomicInteger fileRequests = new AtomicInteger();
    private TestReceiver fileServer;
    private TestReceiver receiver;
    private JettyHttpTransport transport;

    @BeforeEach
    void start() throws Exception {
        fileServer = TestReceiver.builder()
                .recording(false)
                .behaviour((request, response, r) -> {
                    fileRequests.incrementAndGet();
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/pdf");
                    Content.Sink.write(response, true, ByteBuffer.wrap(file));
                })
                .start();
        receiver = TestReceiver.start();
        transport = JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
    }

    @AfterEach
    void stop() {
        transport.close();
        fileServer.close();
        receiver.close();
    }

    @Test
    void aMultipartBodyIsStreamedAndParsesBackPartByPart() throws Exception {
        MultipartBody body = new MultipartBody(List.of(
                new MultipartBody.Field("payload", "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new MultipartBody.Field("kind\r\nX-Injected: 1", null, "invoice".getBytes(StandardCharsets.UTF_8)),
                new MultipartBody.File("file", "report.pdf", "application/pdf", new ByteArrayInputStream(file))));
        OutboundRequest request = new OutboundRequest(
                HttpMethod.POST, URI.create(receiver.url("/hooks")), List.of(), new byte[0], DEADLINE, null, body);

        TransportResult result = transport.send(request).get(10, TimeUnit.SECONDS);

        assertThat(result).isInstanceOf(TransportResult.Response.class);
        Received received = receiver.received().get(0);
        assertThat(received.header("content-type")).startsWith("multipart/form-data; boundary=");
        MultiPartFormData.Parts parts = parse(received);
        assertThat(parts.size()).isEqualTo(3);
        assertThat(parts.getFirst("payload").getContentAsString(StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
        assertThat(parts.get(1).getName())
                .as("a control character cannot break a part's headers")
                .isEqualTo("kind__X-Injected: 1");
        MultiPart.Part sent = parts.getFirst("file");
        assertThat(sent.getFileName()).isEqualTo("report.pdf");
        assertThat(sent.getHeaders().get(HttpHeader.CONTENT_TYPE)).isEqualTo("application/pdf");
        assertThat(bytesOf(sent)).isEqualTo(file);
    }

    @Test
    void aStreamedResponseIsReadWholePastTheBodyLimitOfDeliveries() throws Exception {
        JettyHttpTransport small = JettyHttpTransport.builder()
                .allowAddresses("127.0.0.1/32")
                .maxResponseBytes(1024)
                .build();
        try (small;
                StreamedResponse response =
                        small.stream(get(fileServer.url("/f"))).get(10, TimeUnit.SECONDS)) {
            TransportResult.Response head = (TransportResult.Response) response.head();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(Integer.toString(file.length));
            assertThat(response.body().readAllBytes()).isEqualTo(file);
        }
    }

    @Test
    void theDefaultAttachmentSourceFetchesTheUrlWithItsNameAndType() throws Exception {
        TransportAttachmentSource source = new TransportAttachmentSource(transport);
        Attachment attachment = Attachment.of(new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode()
                .put("url", fileServer.url("/docs/contract.pdf")));

        try (AttachmentContent content = source.open("org-a", attachment, file.length, DEADLINE)) {
            assertThat(content.filename()).as("the URL's last segment").isEqualTo("contract.pdf");
            assertThat(content.contentType()).as("the server's").isEqualTo("application/pdf");
            assertThat(content.length()).isEqualTo(file.length);
            assertThat(content.stream().readAllBytes()).isEqualTo(file);
        }
        assertThatThrownBy(() -> source.open("org-a", attachment, file.length - 1, DEADLINE))
                .isInstanceOfSatisfying(AttachmentException.class, e -> {
                    assertThat(e.problem()).isEqualTo(AttachmentException.Problem.TOO_LARGE);
                    assertThat(e.retryable()).isFalse();
                });
    }

    /**
     * Loopback spelled as browsers and resolvers read it: refused by the guard of a transport that does
     * not allow private targets, before any connection (no file server listens there anyway).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.1/file",
                "http://[::1]/file",
                "http://0x7f000001/file",
                "http://2130706433/file",
                "http://0177.0.0.1/file",
                "http://[::ffff:127.0.0.1]/file",
                "http://localhost/file"
            })
    void loopbackSpellingsOfAnAttachmentUrlAreRefusedByTheGuard(String url) throws Exception {
        try (JettyHttpTransport strict = JettyHttpTransport.builder().build()) {
            StreamedResponse response = strict.stream(get(url)).get(10, TimeUnit.SECONDS);
            assertThat(response.head())
                    .isInstanceOfSatisfying(
                            TransportResult.Failure.class,
                            failure -> assertThat(failure.kind()).isEqualTo(TransportResult.Kind.BLOCKED_DESTINATION));

            TransportAttachmentSource source = new TransportAttachmentSource(strict);
            Attachment attachment = Attachment.of(new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode()
                    .put("url", url)
                    .put("filename", "secret.txt"));
            assertThatThrownBy(() -> source.open("org-a", attachment, 1024, DEADLINE))
                    .isInstanceOfSatisfying(AttachmentException.class, e -> {
                        assertThat(e.problem()).isEqualTo(AttachmentException.Problem.UNAVAILABLE);
                        assertThat(e.retryable())
                                .as("a refused URL stays refused")
                                .isFalse();
                        assertThat(e.getMessage()).contains("secret.txt");
                    });
        }
        assertThat(fileRequests).hasValue(0);
    }

    private static OutboundRequest get(String url) {
        return new OutboundRequest(HttpMethod.GET, URI.create(url), List.of(), new byte[0], DEADLINE, null);
    }

    private static MultiPartFormData.Parts parse(Received request) throws Exception {
        MultiPartFormData.Parser parser =
                new MultiPartFormData.Parser(MultiPart.extractBoundary(request.header("content-type")));
        parser.setMaxMemoryFileSize(-1);
        return parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(request.bodyBytes())))
                .get(10, TimeUnit.SECONDS);
    }

    private static byte[] bytesOf(MultiPart.Part part) throws Exception {
        ByteBuffer buffer = Content.Source.asByteBuffer(part.getContentSource());
        return Arrays.copyOfRange(
                buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.arrayOffset() + buffer.limit());
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
