package dev.hookengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.HttpMethod;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.spi.TransportResult.Failure;
import dev.hookengine.spi.TransportResult.Kind;
import dev.hookengine.testing.Received;
import dev.hookengine.testing.TestCertificate;
import dev.hookengine.testing.TestProxy;
import dev.hookengine.testing.TestReceiver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * https receivers with a certificate the test makes (hostname verification on), and requests through a
 * real forward proxy on 127.0.0.1 (Jetty's {@code ConnectHandler} and {@code ProxyHandler.Forward}),
 * over http and over https (CONNECT); the SSRF guard through the proxy. Every byte is checked at the
 * receiver.
 */
class TlsAndProxyTransportTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final TestCertificate LOOPBACK = TestCertificate.forLoopback();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    // TLS.

    @Test
    void anHttpsReceiverIsReachedWithTheTrustStoreGivenByAddressAndByName() throws Exception {
        TestReceiver receiver = https(LOOPBACK);
        JettyHttpTransport transport = open(trusting(LOOPBACK));
        byte[] body = randomBody();

        TransportResult.Response byAddress = response(send(transport, post(receiver.url("/hook?a=1"), body, null)));
        TransportResult.Response byName =
                response(send(transport, post(receiver.url("localhost", "/named"), body, null)));

        assertThat(byAddress.status()).isEqualTo(200);
        assertThat(byName.status()).isEqualTo(200);
        assertThat(receiver.received()).hasSize(2).allSatisfy(received -> {
            assertThat(received.bodyBytes()).isEqualTo(body);
            assertThat(received.uri()).startsWith("https://");
            assertThat(received.values("X-Secret")).containsExactly("s3cret-value");
        });
    }

    @Test
    void withoutTheTrustStoreTheJvmsDefaultRefusesTheSelfSignedCertificate() throws Exception {
        TestReceiver receiver = https(LOOPBACK);
        JettyHttpTransport transport = open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32"));

        Failure refused = failure(send(transport, post(receiver.url("/hook"), randomBody(), null)), Kind.TLS_FAILED);

        assertThat(refused.message()).contains("TLS certificate").contains("127.0.0.1");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefusedWithATlsFailure() throws Exception {
        TestCertificate other = TestCertificate.forHosts("receiver.example");
        TestReceiver receiver = https(other);
        // Trusted, but issued for another name: only hostname verification can refuse it.
        JettyHttpTransport transport = open(trusting(other));

        Failure byAddress = failure(send(transport, post(receiver.url("/hook"), randomBody(), null)), Kind.TLS_FAILED);
        Failure byName =
                failure(send(transport, post(receiver.url("localhost", "/hook"), randomBody(), null)), Kind.TLS_FAILED);

        assertThat(byAddress.message())
                .contains("TLS certificate of '127.0.0.1' was refused")
                .doesNotContain("s3cret-value");
        assertThat(byName.message()).contains("'localhost'");
        assertThat(receiver.received()).isEmpty();
    }

    // Proxies.

    @Test
    void anHttpRequestGoesThroughTheForwardProxyAndArrivesWhole() throws Exception {
        TestReceiver receiver = receiver();
        TestProxy proxy = proxy();
        JettyHttpTransport transport = open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32"));
        byte[] body = randomBody();

        TransportResult.Response answer =
                response(send(transport, post(receiver.url("/hook?a=1"), body, addressOf(proxy))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(proxy.seen()).containsExactly(new TestProxy.Seen("POST", receiver.url("/hook?a=1")));
        Received received = receiver.received().get(0);
        assertThat(received.bodyBytes()).isEqualTo(body);
        assertThat(received.values("X-Secret")).containsExactly("s3cret-value");
        assertThat(received.values("Via")).isNotEmpty(); // it came through the proxy
    }

    @Test
    void anHttpsRequestTunnelsThroughConnectAndIsVerifiedAgainstTheTarget() throws Exception {
        TestReceiver receiver = https(LOOPBACK);
        TestProxy proxy = proxy();
        JettyHttpTransport transport = open(trusting(LOOPBACK));
        byte[] body = randomBody();

        TransportResult.Response answer =
                response(send(transport, post(receiver.url("/hook"), body, addressOf(proxy))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(proxy.seen()).containsExactly(new TestProxy.Seen("CONNECT", "127.0.0.1:" + receiver.port()));
        Received received = receiver.received().get(0);
        assertThat(received.bodyBytes()).isEqualTo(body);
        assertThat(received.uri()).startsWith("https://127.0.0.1:");
        assertThat(received.values("Via")).isEmpty(); // a tunnel: the proxy never saw the request
    }

    @Test
    void throughATunnelACertificateForAnotherHostIsStillRefused() throws Exception {
        TestCertificate other = TestCertificate.forHosts("receiver.example");
        TestReceiver receiver = https(other);
        TestProxy proxy = proxy();
        JettyHttpTransport transport = open(trusting(other));

        Failure refused =
                failure(send(transport, post(receiver.url("/hook"), randomBody(), addressOf(proxy))), Kind.TLS_FAILED);

        assertThat(refused.message()).contains("through proxy 127.0.0.1:" + proxy.port());
        assertThat(proxy.seen()).extracting(TestProxy.Seen::method).containsExactly("CONNECT");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void theGuardJudgesTheTargetBehindTheProxyNotTheProxy() throws Exception {
        // Names resolve here from this table alone: "internal.example" is a private address, which this
        // transport refuses; the proxy's own address (127.0.0.1) is the operator's and passes.
        SocketAddressResolver fakeDns = (host, port, context, promise) -> {
            try {
                byte[] address = switch (host) {
                    case "internal.example" -> new byte[] {10, 1, 2, 3};
                    case "mixed.example" -> new byte[] {127, 0, 0, 1};
                    case "127.0.0.1" -> new byte[] {127, 0, 0, 1};
                    default -> throw new UnknownHostException(host);
                };
                List<InetSocketAddress> addresses =
                        new ArrayList<>(List.of(new InetSocketAddress(InetAddress.getByAddress(host, address), port)));
                if (host.equals("mixed.example")) { // one allowed address and one refused
                    addresses.add(new InetSocketAddress(
                            InetAddress.getByAddress(host, new byte[] {(byte) 192, (byte) 168, 0, 9}), port));
                }
                promise.succeeded(addresses);
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        };
        TestProxy proxy = proxy();
        JettyHttpTransport transport =
                open(JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").resolver(fakeDns));
        ProxyAddress through = addressOf(proxy);

        Failure privateName = failure(
                send(transport, post("http://internal.example/hook", randomBody(), through)), Kind.BLOCKED_DESTINATION);
        Failure privateTunnel = failure(
                send(transport, post("https://internal.example/hook", randomBody(), through)),
                Kind.BLOCKED_DESTINATION);
        Failure privateLiteral = failure(
                send(transport, post("https://10.1.2.3/hook", randomBody(), through)), Kind.BLOCKED_DESTINATION);
        Failure oneRefusedAddress = failure(
                send(transport, post("http://mixed.example/hook", randomBody(), through)), Kind.BLOCKED_DESTINATION);
        Failure unresolvable =
                failure(send(transport, post("http://nowhere.example/hook", randomBody(), through)), Kind.UNKNOWN_HOST);

        assertThat(privateName.message()).contains("internal.example").contains("10.1.2.3");
        assertThat(privateTunnel.message()).contains("10.1.2.3");
        assertThat(privateLiteral.message()).contains("10.1.2.3");
        assertThat(oneRefusedAddress.message()).contains("192.168.0.9");
        assertThat(unresolvable.message()).contains("nowhere.example");
        // Decided before a connection to the proxy was opened: it was never asked anything.
        assertThat(proxy.seen()).isEmpty();
    }

    @Test
    void aLoopbackTargetThroughTheProxyIsRefusedWhenLoopbackIsNotAllowed() throws Exception {
        TestReceiver receiver = receiver();
        TestProxy proxy = proxy();
        JettyHttpTransport strict = open(JettyHttpTransport.builder()); // allows no private address at all

        Failure byName = failure(
                send(strict, post(receiver.url("localhost", "/hook"), randomBody(), addressOf(proxy))),
                Kind.BLOCKED_DESTINATION);
        Failure byAddress = failure(
                send(strict, post(receiver.url("/hook"), randomBody(), addressOf(proxy))), Kind.BLOCKED_DESTINATION);

        assertThat(byName.message()).contains("localhost").contains("127.0.0.1");
        assertThat(byAddress.message()).contains("127.0.0.1");
        assertThat(proxy.seen()).isEmpty();
        assertThat(receiver.received()).isEmpty();
    }

    // Helpers.

    private JettyHttpTransport.Builder trusting(TestCertificate certificate) {
        return JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").trustStore(certificate.trustStore());
    }

    private JettyHttpTransport open(JettyHttpTransport.Builder builder) {
        JettyHttpTransport built = builder.build();
        resources.add(0, built);
        return built;
    }

    private TestReceiver receiver() throws Exception {
        TestReceiver receiver = TestReceiver.start();
        resources.add(receiver);
        return receiver;
    }

    private TestReceiver https(TestCertificate certificate) throws Exception {
        TestReceiver receiver = TestReceiver.builder().tls(certificate).start();
        resources.add(receiver);
        return receiver;
    }

    private TestProxy proxy() throws Exception {
        TestProxy proxy = TestProxy.start();
        resources.add(proxy);
        return proxy;
    }

    private static ProxyAddress addressOf(TestProxy proxy) {
        return new ProxyAddress(proxy.host(), proxy.port());
    }

    private static byte[] randomBody() {
        byte[] body = new byte[20_000];
        new Random(15).nextBytes(body);
        return body;
    }

    private static OutboundRequest post(String url, byte[] body, ProxyAddress proxy) {
        return new OutboundRequest(
                HttpMethod.POST,
                URI.create(url),
                List.of(Map.entry("Content-Type", "application/octet-stream"), Map.entry("X-Secret", "s3cret-value")),
                body,
                DEADLINE,
                proxy);
    }

    private static TransportResult send(JettyHttpTransport transport, OutboundRequest request) throws Exception {
        return transport.send(request).get(30, TimeUnit.SECONDS);
    }

    private static TransportResult.Response response(TransportResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(TransportResult.Response.class);
        return (TransportResult.Response) result;
    }

    private static Failure failure(TransportResult result, Kind kind) {
        assertThat(result).isInstanceOf(Failure.class);
        Failure failure = (Failure) result;
        assertThat(failure.kind()).as(failure.message()).isEqualTo(kind);
        return failure;
    }
}
