package dev.hookengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.HttpMethod;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.spi.TransportResult.Failure;
import dev.hookengine.spi.TransportResult.Kind;
import dev.hookengine.testing.Answer;
import dev.hookengine.testing.TestReceiver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard inside the transport, against real receivers on 127.0.0.1 and [::1] that must see
 * nothing while the guard refuses them.
 */
class SsrfTransportTest {

    private static TestReceiver v4;
    private static TestReceiver v6;

    @BeforeAll
    static void startReceivers() throws Exception {
        v4 = TestReceiver.start(Answer.text(200, "v4"));
        try {
            v6 = TestReceiver.builder()
                    .host("::1")
                    .behaviour(Answer.text(200, "v6"))
                    .start();
        } catch (Exception noIpv6) {
            v6 = null; // a machine without ::1 runs the IPv4 cases only
        }
    }

    @AfterAll
    static void stopReceivers() throws Exception {
        v4.close();
        if (v6 != null) {
            v6.close();
        }
    }

    /** Every way to write a loopback (or "this host") address in a URL, and the receiver it reaches. */
    private static Map<String, TestReceiver> loopbackUrls() {
        Map<String, TestReceiver> urls = new java.util.LinkedHashMap<>();
        urls.put(v4.url("127.0.0.1", "/hook"), v4);
        urls.put(v4.url("localhost", "/hook"), v4);
        urls.put(v4.url("127.1", "/hook"), v4);
        urls.put(v4.url("2130706433", "/hook"), v4);
        urls.put(v4.url("0x7f.1", "/hook"), v4);
        urls.put(v4.url("0177.0.0.1", "/hook"), v4);
        urls.put(v4.url("127.0.0.1.", "/hook"), v4);
        urls.put(v4.url("[::ffff:127.0.0.1]", "/hook"), v4);
        urls.put(v4.url("0.0.0.0", "/hook"), v4);
        urls.put(v4.url("0", "/hook"), v4);
        if (v6 != null) {
            urls.put(v6.url("[::1]", "/hook"), v6);
            urls.put(v6.url("[0:0:0:0:0:0:0:1]", "/hook"), v6);
            urls.put(v6.url("[::]", "/hook"), v6);
        }
        return urls;
    }

    private static OutboundRequest get(String url) {
        return new OutboundRequest(
                HttpMethod.POST, URI.create(url), List.of(), "{}".getBytes(), Duration.ofSeconds(10), null);
    }

    private static TransportResult send(JettyHttpTransport transport, String url) throws Exception {
        return transport.send(get(url)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void withTheGuardOnEveryLoopbackSpellingIsRefusedAndNothingArrives() throws Exception {
        int v4Before = v4.received().size();
        int v4ConnectionsBefore = v4.connectionCount();
        int v6ConnectionsBefore = v6 == null ? 0 : v6.connectionCount();
        try (JettyHttpTransport transport = JettyHttpTransport.builder().build()) {
            for (String url : loopbackUrls().keySet()) {
                TransportResult result = send(transport, url);
                assertThat(result).as(url).isInstanceOf(Failure.class);
                Failure failure = (Failure) result;
                assertThat(failure.kind()).as(url + ": " + failure.message()).isEqualTo(Kind.BLOCKED_DESTINATION);
                assertThat(failure.kind().isRetryable()).isFalse();
            }
        }
        assertThat(v4.received()).hasSize(v4Before);
        assertThat(v4.connectionCount()).isEqualTo(v4ConnectionsBefore);
        if (v6 != null) {
            assertThat(v6.connectionCount()).isEqualTo(v6ConnectionsBefore);
        }
    }

    @Test
    void withLoopbackAllowListedTheSameReceiversAreReached() throws Exception {
        try (JettyHttpTransport transport = JettyHttpTransport.builder()
                .allowAddresses("127.0.0.1/32", "::1/128")
                .build()) {
            for (Map.Entry<String, TestReceiver> entry : loopbackUrls().entrySet()) {
                String url = entry.getKey();
                TestReceiver receiver = entry.getValue();
                int before = receiver.received().size();
                TransportResult result = send(transport, url);
                if (url.contains("//0.0.0.0:") || url.contains("//0:") || url.contains("[::]")) {
                    // "this host" is not 127.0.0.1: the allow-list does not cover it.
                    assertThat(result).as(url).isInstanceOf(Failure.class);
                    assertThat(((Failure) result).kind()).as(url).isEqualTo(Kind.BLOCKED_DESTINATION);
                    assertThat(receiver.received()).as(url).hasSize(before);
                } else {
                    assertThat(result).as(url).isInstanceOf(TransportResult.Response.class);
                    assertThat(((TransportResult.Response) result).status())
                            .as(url)
                            .isEqualTo(200);
                    assertThat(receiver.received()).as(url).hasSize(before + 1);
                }
            }
        }
    }

    @Test
    void numericHostsAreSentInTheirDottedFormSoWhatWasJudgedIsWhatIsReached() throws Exception {
        int before = v4.received().size();
        try (JettyHttpTransport transport =
                JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build()) {
            assertThat(send(transport, v4.url("0x7f.0.0.1", "/n"))).isInstanceOf(TransportResult.Response.class);
        }
        assertThat(v4.received()).hasSize(before + 1);
        assertThat(v4.received().get(before).values("Host")).containsExactly("127.0.0.1:" + v4.port());
    }

    @Test
    void aNameIsCheckedEachTimeItIsResolvedSoRebindingToARefusedAddressIsCaught() throws Exception {
        // "rebind.test" first resolves to the allowed 127.0.0.1, then to 127.0.0.2, which is not
        // allowed. The receiver closes every connection, so the second request must resolve again.
        TestReceiver closing = TestReceiver.start((request, response, r) -> {
            response.getHeaders().put("Connection", "close");
            Answer.text(200, "once").writeTo(response);
        });
        ConcurrentLinkedQueue<InetAddress> answers = new ConcurrentLinkedQueue<>(List.of(
                InetAddress.getByAddress("rebind.test", new byte[] {127, 0, 0, 1}),
                InetAddress.getByAddress("rebind.test", new byte[] {127, 0, 0, 2})));
        AtomicInteger lookups = new AtomicInteger();
        SocketAddressResolver fakeDns = (host, port, context, promise) -> {
            lookups.incrementAndGet();
            InetAddress next = answers.poll();
            promise.succeeded(List.of(new InetSocketAddress(next == null ? answers.peek() : next, port)));
        };
        try (closing;
                JettyHttpTransport transport = JettyHttpTransport.builder()
                        .allowAddresses("127.0.0.1/32")
                        .resolver(fakeDns)
                        .build()) {
            String url = "http://rebind.test:" + closing.port() + "/hook";

            TransportResult first = send(transport, url);
            TransportResult second = send(transport, url);

            assertThat(first).isInstanceOf(TransportResult.Response.class);
            assertThat(second).isInstanceOf(Failure.class);
            Failure failure = (Failure) second;
            assertThat(failure.kind()).as(failure.message()).isEqualTo(Kind.BLOCKED_DESTINATION);
            assertThat(failure.message()).contains("rebind.test").contains("127.0.0.2");
            assertThat(lookups.get()).isEqualTo(2);
            assertThat(closing.received()).hasSize(1);
            assertThat(closing.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void theResolverKeepsOnlyAllowedAddressesAndFailsWhenNoneIsLeft() throws Exception {
        QueuedThreadPool executor = new QueuedThreadPool();
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler();
        executor.start();
        scheduler.start();
        try {
            // The real resolver underneath: literals and the test hosts file, no DNS.
            SocketAddressResolver real = new SocketAddressResolver.Async(executor, scheduler, 5_000);
            GuardedResolver strict = new GuardedResolver(real, SsrfGuard.strict());
            GuardedResolver allowing =
                    new GuardedResolver(real, SsrfGuard.strict().allowing("127.0.0.1/32"));

            // Literals go through resolution too: the connect-time check holds even if the
            // up-front check of the URL were bypassed.
            for (String host : List.of("127.0.0.1", "localhost", "::1", "0.0.0.0", "::ffff:127.0.0.1")) {
                assertThat(resolve(strict, host)).as(host).isInstanceOf(BlockedDestinationException.class);
            }
            assertThat(resolve(allowing, "localhost")).isEqualTo(List.of(new InetSocketAddress("127.0.0.1", 80)));

            SocketAddressResolver mixed = (host, port, context, promise) -> {
                try {
                    promise.succeeded(List.of(
                            new InetSocketAddress(
                                    InetAddress.getByAddress(
                                            new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}),
                                    port),
                            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port)));
                } catch (Exception e) {
                    promise.failed(e);
                }
            };
            assertThat(resolve(new GuardedResolver(mixed, SsrfGuard.strict().allowing("127.0.0.1/32")), "mixed.test"))
                    .isEqualTo(List.of(new InetSocketAddress("127.0.0.1", 80)));
        } finally {
            scheduler.stop();
            executor.stop();
        }
    }

    private static Object resolve(SocketAddressResolver resolver, String host) throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        resolver.resolve(host, 80, new HashMap<>(), new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> result) {
                outcome.complete(new ArrayList<>(result));
            }

            @Override
            public void failed(Throwable failure) {
                outcome.complete(failure);
            }
        });
        return outcome.get(10, TimeUnit.SECONDS);
    }
}
