package dev.hookengine.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookengine.model.HttpMethod;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.spi.TransportResult.Failure;
import dev.hookengine.spi.TransportResult.Kind;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.Behaviour;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against real Jetty receivers on 127.0.0.1. */
class JettyHttpTransportTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private JettyHttpTransport transport;

    @BeforeEach
    void setUp() {
        transport = open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32", "::1/128"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private JettyHttpTransport open(JettyHttpTransport.Builder builder) {
        JettyHttpTransport built = builder.build();
        resources.add(0, built);
        return built;
    }

    private TestReceiver receiver(Behaviour behaviour) throws Exception {
        TestReceiver receiver = TestReceiver.start(behaviour);
        resources.add(receiver);
        return receiver;
    }

    private static OutboundRequest request(
            HttpMethod method, String url, List<Map.Entry<String, String>> headers, byte[] body, Duration deadline) {
        return new OutboundRequest(method, URI.create(url), headers, body, deadline, null);
    }

    private static OutboundRequest get(String url) {
        return request(HttpMethod.GET, url, List.of(), new byte[0], DEADLINE);
    }

    private static TransportResult await(CompletableFuture<TransportResult> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static TransportResult.Response response(TransportResult result) {
        assertThat(result).isInstanceOf(TransportResult.Response.class);
        return (TransportResult.Response) result;
    }

    private static Failure failure(TransportResult result, Kind kind) {
        assertThat(result).isInstanceOf(Failure.class);
        Failure failure = (Failure) result;
        assertThat(failure.kind()).as(failure.message()).isEqualTo(kind);
        return failure;
    }

    // 1. A JSON answer; headers in order; exact body bytes; GET without a body.

    @Test
    void postSendsHeadersInOrderAndTheExactBodyAndReadsAJsonAnswer() throws Exception {
        TestReceiver receiver = receiver((request, response, r) -> {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/json");
            response.getHeaders().add("X-Reply", "one");
            response.getHeaders().add("X-Reply", "two");
            Content.Sink.write(response, true, ByteBuffer.wrap("{\"ok\":true}".getBytes(UTF_8)));
        });
        byte[] body = new byte[100_000];
        new Random(7).nextBytes(body);
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Content-Type", "application/json"),
                Map.entry("X-Repeat", "first"),
                Map.entry("webhook-id", "msg_1"),
                Map.entry("X-Repeat", "second"),
                Map.entry("Authorization", "Bearer abc"));

        TransportResult.Response answer = response(
                await(transport.send(request(HttpMethod.POST, receiver.url("/hook?a=1"), headers, body, DEADLINE))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(answer.truncated()).isFalse();
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.headers().get("x-reply")).containsExactly("one", "two");
        assertThat(answer.headers().keySet())
                .allSatisfy(name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
        assertThat(answer.elapsed()).isPositive();

        Received received = receiver.received().get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.uri()).endsWith("/hook?a=1");
        assertThat(received.bodyBytes()).isEqualTo(body);
        List<String> sentNames =
                headers.stream().map(h -> h.getKey().toLowerCase(Locale.ROOT)).toList();
        List<Map.Entry<String, String>> ours = received.headerFields().stream()
                .filter(h -> sentNames.contains(h.getKey().toLowerCase(Locale.ROOT)))
                .map(h -> Map.entry(h.getKey().toLowerCase(Locale.ROOT), h.getValue()))
                .toList();
        assertThat(ours)
                .containsExactlyElementsOf(headers.stream()
                        .map(h -> Map.entry(h.getKey().toLowerCase(Locale.ROOT), h.getValue()))
                        .toList());
        assertThat(received.values("User-Agent")).containsExactly(JettyHttpTransport.Builder.DEFAULT_USER_AGENT);
        assertThat(received.values("Content-Length")).containsExactly(String.valueOf(body.length));
        // Nothing the engine did not ask for: no compression negotiation, no cookies.
        assertThat(received.values("Accept-Encoding")).isEmpty();
        assertThat(received.values("Cookie")).isEmpty();
    }

    @Test
    void getAndHeadSendNoBodyEvenWhenTheRequestCarriesOne() throws Exception {
        TestReceiver receiver = receiver(Answer.text(200, "fine"));

        TransportResult.Response get = response(await(transport.send(request(
                HttpMethod.GET,
                receiver.url("/g"),
                List.of(Map.entry("X-A", "1")),
                "must not be sent".getBytes(UTF_8),
                DEADLINE))));
        TransportResult.Response head = response(await(transport.send(request(
                HttpMethod.HEAD, receiver.url("/h"), List.of(), "must not be sent".getBytes(UTF_8), DEADLINE))));

        assertThat(get.status()).isEqualTo(200);
        assertThat(new String(get.body(), UTF_8)).isEqualTo("fine");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(receiver.received()).extracting(Received::method).containsExactly("GET", "HEAD");
        for (Received received : receiver.received()) {
            assertThat(received.bodyBytes()).isEmpty();
            assertThat(received.values("Content-Length")).isEmpty();
            assertThat(received.values("Transfer-Encoding")).isEmpty();
        }
    }

    @Test
    void aRequestThatNamesItsOwnUserAgentSendsOnlyThatOne() throws Exception {
        TestReceiver receiver = receiver(Answer.text(204, ""));

        TransportResult.Response answer = response(await(transport.send(request(
                HttpMethod.POST,
                receiver.url("/"),
                List.of(Map.entry("User-Agent", "acme-hooks/2")),
                new byte[0],
                DEADLINE))));

        assertThat(answer.status()).isEqualTo(204);
        assertThat(receiver.received().get(0).values("User-Agent")).containsExactly("acme-hooks/2");
        assertThat(receiver.received().get(0).values("Content-Length")).containsExactly("0");
    }

    @Test
    void cookiesSetByOneReceiverAreNeverSentBack() throws Exception {
        TestReceiver receiver = receiver((request, response, r) -> {
            response.getHeaders().add("Set-Cookie", "session=tenant-a; Path=/");
            Answer.text(200, "ok").writeTo(response);
        });

        await(transport.send(get(receiver.url("/first"))));
        await(transport.send(get(receiver.url("/second"))));

        assertThat(receiver.received()).hasSize(2);
        assertThat(receiver.received().get(1).values("Cookie")).isEmpty();
    }

    // 2. Redirects are answers, not instructions.

    @Test
    void aRedirectIsReturnedAndNotFollowed() throws Exception {
        TestReceiver target = receiver(Answer.text(200, "target"));
        TestReceiver redirecting = receiver((request, response, r) -> {
            response.setStatus(302);
            response.getHeaders().put("Location", target.url("/elsewhere"));
            Content.Sink.write(response, true, ByteBuffer.allocate(0));
        });

        TransportResult.Response answer = response(await(transport.send(
                request(HttpMethod.POST, redirecting.url("/hook"), List.of(), "{}".getBytes(UTF_8), DEADLINE))));

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("location")).isEqualTo(target.url("/elsewhere"));
        assertThat(redirecting.received()).hasSize(1);
        assertThat(target.received()).isEmpty();
        assertThat(target.connectionCount()).isZero();
    }

    // 3. Deadlines.

    @Test
    void aReceiverThatStallsTheBodyEndsAtTheDeadlineAndTheConnectionIsFreed() throws Exception {
        // One connection per destination: the next request can only be served if the stalled
        // exchange gave its connection back.
        JettyHttpTransport single =
                open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").maxConnectionsPerDestination(1));
        TestReceiver receiver = receiver((request, response, r) -> {
            if (request.getHttpURI().getPath().equals("/stall")) {
                response.setStatus(200);
                response.getHeaders().put("Content-Length", "1000");
                Content.Sink.write(response, false, ByteBuffer.wrap("partial".getBytes(UTF_8)));
                r.awaitRelease();
            } else {
                Answer.text(200, "next").writeTo(response);
            }
        });

        long start = System.nanoTime();
        Failure failure = failure(
                await(single.send(request(
                        HttpMethod.POST,
                        receiver.url("/stall"),
                        List.of(),
                        "{}".getBytes(UTF_8),
                        Duration.ofMillis(500)))),
                Kind.TIMEOUT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isBetween(Duration.ofMillis(450), Duration.ofSeconds(2));
        assertThat(failure.elapsed()).isBetween(Duration.ofMillis(450), Duration.ofSeconds(2));
        assertThat(failure.message()).contains("500 ms").doesNotContain("partial");

        long next = System.nanoTime();
        TransportResult.Response answer = response(await(single.send(get(receiver.url("/next")))));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - next)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aReceiverThatNeverAnswersEndsAtTheDeadline() throws Exception {
        JettyHttpTransport single =
                open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").maxConnectionsPerDestination(1));
        TestReceiver receiver = receiver((request, response, r) -> {
            if (request.getHttpURI().getPath().equals("/silent")) {
                r.awaitRelease();
            } else {
                Answer.text(200, "next").writeTo(response);
            }
        });

        long start = System.nanoTime();
        failure(
                await(single.send(request(
                        HttpMethod.POST,
                        receiver.url("/silent"),
                        List.of(),
                        "{}".getBytes(UTF_8),
                        Duration.ofMillis(500)))),
                Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(450), Duration.ofSeconds(2));

        long next = System.nanoTime();
        assertThat(response(await(single.send(get(receiver.url("/next"))))).status())
                .isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - next)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aDeadlineThatHasAlreadyPassedFailsAtOnce() throws Exception {
        TestReceiver receiver = receiver(Answer.text(200, "ok"));

        failure(
                await(transport.send(
                        request(HttpMethod.GET, receiver.url("/"), List.of(), new byte[0], Duration.ZERO))),
                Kind.TIMEOUT);
        assertThat(receiver.connectionCount()).isZero();
    }

    // 4. Bounded reading.

    @Test
    void aTenMebibyteBodyIsCutAtTheLimitWithoutBeingRead() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (i * 31);
        }
        CountDownLatch writerDone = new CountDownLatch(1);
        TestReceiver receiver = receiver((request, response, r) -> {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/octet-stream");
            try {
                for (int i = 0; i < 160; i++) { // 10 MiB
                    Content.Sink.write(response, i == 159, ByteBuffer.wrap(chunk));
                }
            } finally {
                writerDone.countDown();
            }
        });

        long start = System.nanoTime();
        TransportResult.Response answer = response(await(transport.send(get(receiver.url("/big")))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.truncated()).isTrue();
        assertThat(answer.body()).hasSize(JettyHttpTransport.Builder.DEFAULT_MAX_RESPONSE_BYTES);
        assertThat(answer.body())
                .isEqualTo(Arrays.copyOf(chunk, JettyHttpTransport.Builder.DEFAULT_MAX_RESPONSE_BYTES));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(writerDone.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anEndlessBodyEndsAsATruncatedResponseLongBeforeTheDeadline() throws Exception {
        // Were the body read to the end, this receiver would write 4 GiB and the exchange would run
        // into its deadline; a transport that stops at the limit closes the connection and the
        // receiver's next write fails.
        AtomicLong written = new AtomicLong();
        CountDownLatch writerStopped = new CountDownLatch(1);
        TestReceiver receiver = receiver((request, response, r) -> {
            response.setStatus(200);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            try {
                for (int i = 0; i < 65_536; i++) {
                    Content.Sink.write(response, false, chunk.duplicate());
                    written.addAndGet(chunk.capacity());
                }
            } catch (IOException expected) {
                // the client went away: what this test wants
            } finally {
                writerStopped.countDown();
            }
        });
        JettyHttpTransport small =
                open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").maxResponseBytes(1000));

        TransportResult.Response answer = response(await(small.send(
                request(HttpMethod.GET, receiver.url("/endless"), List.of(), new byte[0], Duration.ofSeconds(20)))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.truncated()).isTrue();
        assertThat(answer.body()).hasSize(1000);
        assertThat(answer.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(writerStopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(written.get()).isLessThan(65_536L * 64 * 1024);
    }

    @Test
    void aBodyOfExactlyTheLimitIsNotTruncatedAndOneByteMoreIs() throws Exception {
        TestReceiver receiver = receiver((request, response, r) -> {
            int size = Integer.parseInt(request.getHttpURI().getQuery().substring("size=".length()));
            response.setStatus(200);
            Content.Sink.write(response, true, ByteBuffer.wrap("x".repeat(size).getBytes(UTF_8)));
        });
        JettyHttpTransport small =
                open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").maxResponseBytes(1000));

        TransportResult.Response exact = response(await(small.send(get(receiver.url("/?size=1000")))));
        TransportResult.Response over = response(await(small.send(get(receiver.url("/?size=1001")))));

        assertThat(exact.body()).hasSize(1000);
        assertThat(exact.truncated()).isFalse();
        assertThat(over.body()).hasSize(1000);
        assertThat(over.truncated()).isTrue();
    }

    // 7. Failure kinds.

    @Test
    void aClosedPortIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }

        Failure failure = failure(await(transport.send(get("http://127.0.0.1:" + port + "/"))), Kind.CONNECTION_FAILED);

        assertThat(failure.message()).contains("127.0.0.1");
        assertThat(failure.kind().isRetryable()).isTrue();
    }

    @Test
    void anUnknownHostIsReportedAsSuch() throws Exception {
        // .invalid never resolves (RFC 6761), and this JVM resolves names only from the test hosts
        // file (see pom.xml), so nothing leaves the machine.
        Failure failure = failure(await(transport.send(get("http://no-such-host.invalid/hook"))), Kind.UNKNOWN_HOST);

        assertThat(failure.message()).contains("no-such-host.invalid");
    }

    @Test
    void urlsThatAreNotHttpOrMalformedAreInvalid() throws Exception {
        for (String url : List.of(
                "ftp://127.0.0.1/file",
                "file:///etc/passwd",
                "mailto:ops@example.com",
                "gopher://127.0.0.1:70/",
                "http:///no-host",
                "http://256.1.1.1/",
                "http://0x1.0x2.0x3.0x4.5/",
                "http://4294967296/",
                "http://host_with_underscore.example/",
                "http://127.0.0.1:0/",
                "http://user:pa55word@127.0.0.1/")) {
            Failure failure = failure(await(transport.send(get(url))), Kind.INVALID_URL);
            assertThat(failure.kind().isRetryable()).isFalse();
            assertThat(failure.message()).doesNotContain("pa55word");
        }
    }

    @Test
    void aHeaderThatWouldInjectAnotherIsRefusedAndNothingIsSent() throws Exception {
        TestReceiver receiver = receiver(Answer.text(200, "ok"));

        Failure failure = failure(
                await(transport.send(request(
                        HttpMethod.POST,
                        receiver.url("/"),
                        List.of(Map.entry("X-Note", "a\r\nX-Injected: yes")),
                        new byte[0],
                        DEADLINE))),
                Kind.LOCAL_ERROR);

        assertThat(failure.message()).contains("X-Note").doesNotContain("Injected");
        assertThat(receiver.connectionCount()).isZero();
    }

    // 8. No credentials in failure messages.

    @Test
    void failureMessagesNeverContainHeaderValues() throws Exception {
        String marker = "tok_9f8e7d6c5b4a";
        List<Map.Entry<String, String>> headers =
                List.of(Map.entry("Authorization", "Bearer " + marker), Map.entry("X-Api-Key", marker + "-key"));
        TestReceiver silent = receiver((request, response, r) -> r.awaitRelease());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        JettyHttpTransport strict = open(JettyHttpTransport.builder());

        List<Failure> failures = new ArrayList<>();
        failures.add(failure(
                await(strict.send(request(
                        HttpMethod.POST, "http://127.0.0.1:" + silent.port() + "/", headers, new byte[0], DEADLINE))),
                Kind.BLOCKED_DESTINATION));
        failures.add(failure(
                await(strict.send(request(
                        HttpMethod.POST, "http://localhost:" + silent.port() + "/", headers, new byte[0], DEADLINE))),
                Kind.BLOCKED_DESTINATION));
        failures.add(failure(
                await(transport.send(
                        request(HttpMethod.POST, "http://no-such-host.invalid/", headers, new byte[0], DEADLINE))),
                Kind.UNKNOWN_HOST));
        failures.add(failure(
                await(transport.send(request(
                        HttpMethod.POST, "http://127.0.0.1:" + closedPort + "/", headers, new byte[0], DEADLINE))),
                Kind.CONNECTION_FAILED));
        failures.add(failure(
                await(transport.send(request(
                        HttpMethod.POST, silent.url("/"), headers, marker.getBytes(UTF_8), Duration.ofMillis(300)))),
                Kind.TIMEOUT));
        failures.add(failure(
                await(transport.send(request(HttpMethod.POST, "ftp://127.0.0.1/", headers, new byte[0], DEADLINE))),
                Kind.INVALID_URL));
        JettyHttpTransport closed = JettyHttpTransport.builder().build();
        closed.close();
        failures.add(failure(
                await(closed.send(request(HttpMethod.POST, silent.url("/"), headers, new byte[0], DEADLINE))),
                Kind.LOCAL_ERROR));

        assertThat(failures)
                .hasSize(7)
                .allSatisfy(f -> assertThat(f.message()).isNotBlank().doesNotContain(marker));
    }

    @Test
    void scrubbingRemovesWholeValuesAndTheWordsInsideThem() {
        String scrubbed = ExchangeFailures.scrub(
                "bad header Bearer tok_123456 and again tok_123456", List.of("Bearer tok_123456", "tok_123456"));

        assertThat(scrubbed).doesNotContain("tok_123456").contains("<redacted>");
    }

    // 9. Per-destination concurrency limit.

    @Test
    void noMoreThanMaxConnectionsPerDestinationAreInFlightAtOnce() throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        CountDownLatch twoArrived = new CountDownLatch(2);
        CountDownLatch thirdArrived = new CountDownLatch(3);
        TestReceiver receiver = receiver((request, response, r) -> {
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            twoArrived.countDown();
            thirdArrived.countDown();
            try {
                r.awaitRelease();
                Answer.text(200, "done").writeTo(response);
            } finally {
                open.decrementAndGet();
            }
        });
        JettyHttpTransport limited =
                open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").maxConnectionsPerDestination(2));

        List<CompletableFuture<TransportResult>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            futures.add(limited.send(request(
                    HttpMethod.POST, receiver.url("/" + i), List.of(), "{}".getBytes(UTF_8), Duration.ofSeconds(20))));
        }

        assertThat(twoArrived.await(10, TimeUnit.SECONDS)).isTrue();
        // Without the limit the other four would be here within milliseconds.
        assertThat(thirdArrived.await(500, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(open.get()).isEqualTo(2);
        receiver.release();

        for (CompletableFuture<TransportResult> future : futures) {
            assertThat(response(await(future)).status()).isEqualTo(200);
        }
        assertThat(receiver.received()).hasSize(6);
        assertThat(maxOpen.get()).isEqualTo(2);
        assertThat(receiver.connectionCount()).isLessThanOrEqualTo(2);
    }

    // Proxies.

    @Test
    void aRequestWithAProxyGoesThroughItAndOneWithoutGoesDirect() throws Exception {
        TestReceiver proxy = receiver(Answer.text(200, "from proxy"));
        TestReceiver direct = receiver(Answer.text(200, "direct"));
        ProxyAddress proxyAddress = new ProxyAddress("127.0.0.1", proxy.port());

        TransportResult.Response proxied = response(await(transport.send(new OutboundRequest(
                HttpMethod.POST,
                URI.create(direct.url("/hook?x=1")),
                List.of(Map.entry("X-A", "1")),
                "{}".getBytes(UTF_8),
                DEADLINE,
                proxyAddress))));
        TransportResult.Response straight = response(await(transport.send(get(direct.url("/straight")))));

        assertThat(new String(proxied.body(), UTF_8)).isEqualTo("from proxy");
        assertThat(proxy.received()).hasSize(1);
        // An HTTP proxy gets the absolute URI of the target.
        assertThat(proxy.received().get(0).uri()).isEqualTo(direct.url("/hook?x=1"));
        assertThat(proxy.received().get(0).values("X-A")).containsExactly("1");
        assertThat(new String(straight.body(), UTF_8)).isEqualTo("direct");
        assertThat(direct.received())
                .extracting(Received::uri)
                .singleElement()
                .asString()
                .endsWith("/straight");
    }

    @Test
    void theProxyItselfIsTrustedButTheTargetsBehindItAreStillGuarded() throws Exception {
        TestReceiver proxy = receiver(Answer.text(200, "from proxy"));
        // "receiver.example" resolves to a public address here; the stand-in proxy answers itself, so
        // nothing ever connects to it. The proxy's own 127.0.0.1 passes as the operator's.
        SocketAddressResolver fakeDns = (host, port, context, promise) -> {
            try {
                promise.succeeded(List.of(new InetSocketAddress(
                        host.equals("receiver.example")
                                ? InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})
                                : InetAddress.getByName(host),
                        port)));
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        };
        JettyHttpTransport strict = open(JettyHttpTransport.builder().resolver(fakeDns)); // allows no loopback
        ProxyAddress proxyAddress = new ProxyAddress("127.0.0.1", proxy.port());

        TransportResult.Response answer = response(await(strict.send(new OutboundRequest(
                HttpMethod.GET,
                URI.create("http://receiver.example/hook"),
                List.of(),
                new byte[0],
                DEADLINE,
                proxyAddress))));
        Failure metadata = failure(
                await(strict.send(new OutboundRequest(
                        HttpMethod.GET,
                        URI.create("http://169.254.169.254/latest/meta-data/"),
                        List.of(),
                        new byte[0],
                        DEADLINE,
                        proxyAddress))),
                Kind.BLOCKED_DESTINATION);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(proxy.received()).extracting(Received::uri).containsExactly("http://receiver.example/hook");
        assertThat(metadata.message()).contains("169.254.169.254");
        // Without the proxy the same transport refuses 127.0.0.1.
        failure(await(strict.send(get(proxy.url("/")))), Kind.BLOCKED_DESTINATION);
        assertThat(proxy.received()).hasSize(1);
    }

    // Closing.

    @Test
    void closingEndsRequestsInFlightAndRefusesNewOnes() throws Exception {
        TestReceiver silent = receiver((request, response, r) -> r.awaitRelease());
        JettyHttpTransport closing = open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32"));
        CountDownLatch arrived = new CountDownLatch(1);
        TestReceiver watched = receiver((request, response, r) -> {
            arrived.countDown();
            r.awaitRelease();
        });

        CompletableFuture<TransportResult> inFlight = closing.send(
                request(HttpMethod.POST, watched.url("/"), List.of(), new byte[0], Duration.ofSeconds(20)));
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        closing.close();
        closing.close(); // idempotent

        Failure ended = failure(inFlight.get(5, TimeUnit.SECONDS), Kind.LOCAL_ERROR);
        assertThat(ended.message()).contains("closed");
        failure(await(closing.send(get(silent.url("/")))), Kind.LOCAL_ERROR);
        assertThat(silent.received()).isEmpty();
    }

    // Builder.

    @Test
    void theBuilderHasTheDocumentedDefaultsAndRejectsNonsense() {
        JettyHttpTransport.Settings settings = transport.settings();
        assertThat(settings.maxResponseBytes()).isEqualTo(65_536);
        assertThat(settings.maxResponseHeaderBytes()).isEqualTo(65_536);
        assertThat(settings.maxThreads()).isEqualTo(200);
        assertThat(settings.maxConnectionsPerDestination()).isEqualTo(64);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.userAgent()).isEqualTo("hookengine");
        assertThat(JettyHttpTransport.Builder.DEFAULT_SSRF_GUARD).isSameAs(SsrfGuard.strict());

        assertThatThrownBy(
                        () -> JettyHttpTransport.builder().maxResponseBytes(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JettyHttpTransport.builder()
                        .maxConnectionsPerDestination(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JettyHttpTransport.builder()
                        .maxResponseHeaderBytes(1023)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxResponseHeaderBytes");
        assertThatThrownBy(() -> JettyHttpTransport.builder().maxThreads(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxThreads");
        assertThatThrownBy(() -> JettyHttpTransport.builder()
                        .connectTimeout(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> JettyHttpTransport.builder().userAgent("a\r\nb").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JettyHttpTransport.builder().allowAddresses("localhost"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
