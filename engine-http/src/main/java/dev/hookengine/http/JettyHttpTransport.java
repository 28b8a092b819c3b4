package dev.hookengine.http;

import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.StreamedResponse;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.spi.TransportResult.Failure;
import dev.hookengine.spi.TransportResult.Kind;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard {@link HttpTransport}: one Jetty 12 {@link HttpClient}, asynchronous, with a
 * connection pool per destination (scheme, host, port and proxy).
 *
 * <p>What it guarantees beyond the SPI contract:
 * <ul>
 *   <li><b>SSRF guard.</b> Every address a host name resolves to is checked by the {@link SsrfGuard}
 *       when a connection is opened (see {@code GuardedResolver}), so DNS rebinding cannot move a
 *       delivery onto an internal address after the fact; IP literals in the URL, in every form a
 *       browser accepts ({@code 127.1}, {@code 2130706433}, {@code 0x7f.1}, {@code [::ffff:127.0.0.1]}),
 *       are checked before anything else. A refused destination gets
 *       {@link Kind#BLOCKED_DESTINATION} and no byte is sent.</li>
 *   <li><b>One deadline.</b> The request's deadline bounds the whole exchange: waiting for a pooled
 *       connection, resolving, connecting, sending, the response headers and the body. A receiver
 *       that stalls anywhere ends as {@link Kind#TIMEOUT} at the deadline.</li>
 *   <li><b>Bounded reading.</b> At most {@code maxResponseBytes} of a body are kept; the first byte
 *       past that closes the connection, so a huge body is never read, let alone buffered. The
 *       response head (status line and headers) is read up to {@code maxResponseHeaderBytes}; a
 *       larger one closes the connection and fails as {@link Kind#CONNECTION_FAILED}, since Jetty
 *       would otherwise keep headers without a bound.</li>
 *   <li><b>Bounded threads.</b> Exchanges are asynchronous: one waiting on a silent, slow or dripping
 *       receiver holds no thread. The pool's threads ({@code maxThreads}) run the I/O callbacks of all
 *       exchanges; it grows under load up to that cap and shrinks back when idle.</li>
 *   <li><b>Nothing implicit.</b> No redirects, no cookies (a cookie set by one tenant's receiver
 *       must not ride along on another's delivery), no authentication challenges answered, no
 *       {@code Accept-Encoding} and no decoding: what the engine asks is what is sent, and the body
 *       kept is the bytes that came.</li>
 *   <li><b>Proxies per request.</b> A request with a {@link ProxyAddress} goes through that HTTP
 *       proxy (CONNECT for https). Jetty configures proxies per client, so each distinct proxy is
 *       registered once and matches only requests tagged with it; those get their own connection
 *       pools (see {@code ProxyRoutes}). The SSRF guard holds through a proxy too: it judges the
 *       target's addresses, not the proxy's (which the operator configured and is trusted), every one
 *       of them, when a connection to the proxy is opened for that target (see
 *       {@code GuardedResolver}).</li>
 *   <li><b>TLS as the JVM trusts it.</b> https receivers are trusted as the JVM's default trust store
 *       says, or the one given to {@link Builder#trustStore}, always with hostname verification: a
 *       certificate that is not trusted, has expired or is for another host fails as
 *       {@link Kind#TLS_FAILED} before anything is sent. Through a proxy the TLS session runs inside
 *       the CONNECT tunnel, with the target, and is verified the same way.</li>
 *   <li><b>No secrets in failures.</b> Failure messages name the host and what went wrong, never a
 *       header value or body content; text from exceptions is scrubbed of the request's header
 *       values (see {@code ExchangeFailures}).</li>
 * </ul>
 *
 * <p>What each kind of hostile receiver comes to is listed in the package's documentation.
 *
 * <p>Thread-safe. {@link #close()} stops the client; requests in flight end as
 * {@link Kind#LOCAL_ERROR}.
 */
public final class JettyHttpTransport implements HttpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(JettyHttpTransport.class);

    /** How long after the deadline the backstop ends an exchange Jetty has not ended itself. */
    private static final long BACKSTOP_GRACE_MILLIS = 2_000;

    private final Settings settings;
    private final HttpClient client;
    private final ProxyRoutes proxies;
    private final Set<ResponseCollector> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private JettyHttpTransport(Settings settings, SocketAddressResolver resolverOverride, KeyStore trustStore) {
        this.settings = settings;
        QueuedThreadPool executor = new QueuedThreadPool(settings.maxThreads(), Math.min(8, settings.maxThreads()));
        executor.setName("hookengine-http");
        // A transport someone forgot to close must not keep the JVM alive.
        executor.setDaemon(true);
        Scheduler scheduler = new ScheduledExecutorScheduler("hookengine-http-scheduler", true);
        SocketAddressResolver resolver = resolverOverride != null
                ? resolverOverride
                : new SocketAddressResolver.Async(
                        executor, scheduler, settings.connectTimeout().toMillis());

        HttpClient http = new HttpClient();
        http.setExecutor(executor);
        http.setScheduler(scheduler);
        http.setSocketAddressResolver(new GuardedResolver(resolver, settings.ssrfGuard()));
        http.setFollowRedirects(false);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, settings.userAgent()));
        http.setMaxConnectionsPerDestination(settings.maxConnectionsPerDestination());
        http.setMaxRequestsQueuedPerDestination(settings.maxRequestsQueuedPerDestination());
        http.setConnectTimeout(settings.connectTimeout().toMillis());
        http.setAddressResolutionTimeout(settings.connectTimeout().toMillis());
        http.setIdleTimeout(settings.idleTimeout().toMillis());
        // Jetty's parser keeps response headers without a bound unless told one: a receiver sending
        // headers without end would fill the heap before the deadline ended the exchange.
        http.setMaxResponseHeadersSize(settings.maxResponseHeaderBytes());
        // Destinations are per host: without this, every host ever delivered to keeps one forever.
        http.setDestinationIdleTimeout(settings.idleTimeout().toMillis() * 2);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        // Jetty's client default already, set here so that no change of default can turn it off: a
        // certificate must be for the host of the URL, or the exchange fails as TLS_FAILED.
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        if (trustStore != null) {
            tls.setTrustStore(trustStore);
        }
        http.setSslContextFactory(tls);
        this.client = http;
        this.proxies = new ProxyRoutes(http);
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings this transport was built with. */
    public Settings settings() {
        return settings;
    }

    @Override
    public CompletableFuture<TransportResult> send(OutboundRequest request) {
        long start = System.nanoTime();
        try {
            return dispatch(request, start);
        } catch (RuntimeException e) {
            // The contract: never an exceptional future, never a throw.
            return CompletableFuture.completedFuture(new Failure(
                    Kind.LOCAL_ERROR,
                    "could not start the request: " + e.getClass().getSimpleName(),
                    since(start)));
        }
    }

    private CompletableFuture<TransportResult> dispatch(OutboundRequest outbound, long start) {
        Checked checked = check(outbound, start);
        if (checked.refusal() != null) {
            return CompletableFuture.completedFuture(checked.refusal());
        }
        HttpTarget target = checked.target();

        long deadlineMillis = Math.max(1, outbound.deadline().toMillis());
        ResponseCollector collector = new ResponseCollector(
                start,
                settings.maxResponseBytes(),
                (failure, headersReceived, elapsed) -> closed.get()
                        ? new Failure(Kind.LOCAL_ERROR, "the transport was closed", elapsed)
                        : ExchangeFailures.describe(
                                failure, headersReceived, elapsed, target, outbound, deadlineMillis));
        inFlight.add(collector);
        collector.future().whenComplete((result, x) -> inFlight.remove(collector));
        if (closed.get()) {
            collector.complete(new Failure(Kind.LOCAL_ERROR, "the transport is closed", since(start)));
            return collector.future();
        }

        try {
            sendThroughJetty(outbound, target, collector, deadlineMillis);
        } catch (RuntimeException e) {
            collector.complete(new Failure(
                    Kind.LOCAL_ERROR,
                    "could not start the request to '" + target.host() + "': "
                            + e.getClass().getSimpleName(),
                    collector.elapsed()));
        }
        return collector.future();
    }

    private void sendThroughJetty(
            OutboundRequest outbound, HttpTarget target, ResponseCollector collector, long deadlineMillis) {
        Request request = JettyRequests.build(client, proxies, outbound, target, deadlineMillis);

        // Jetty's total timeout ends the exchange at the deadline; this backstop only guarantees the
        // contract if something inside Jetty never reports back.
        Scheduler.Task backstop = client.getScheduler()
                .schedule(
                        () -> {
                            if (!collector.future().isDone()) {
                                request.abort(new TimeoutException("deadline backstop"));
                                collector.complete(new Failure(
                                        Kind.TIMEOUT,
                                        "no complete response from '" + target.host() + "' within the deadline of "
                                                + deadlineMillis + " ms",
                                        collector.elapsed()));
                            }
                        },
                        deadlineMillis + BACKSTOP_GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
        collector.future().whenComplete((result, x) -> backstop.cancel());

        request.send(collector);
    }

    /**
     * Streams the response of {@code request} (a GET of an attachment): the same checks as
     * {@link #send} (the SSRF guard on literals and on every resolved address, no redirects, the
     * deadline over the whole exchange, the body included), but the body is handed over as a stream
     * that Jetty fills as it is read, never buffered whole and never cut at {@code maxResponseBytes}
     * (the caller counts what it reads).
     */
    @Override
    public CompletableFuture<StreamedResponse> stream(OutboundRequest request) {
        long start = System.nanoTime();
        try {
            return streamChecked(request, start);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(StreamedResponse.failed(new Failure(
                    Kind.LOCAL_ERROR,
                    "could not start the request: " + e.getClass().getSimpleName(),
                    since(start))));
        }
    }

    private CompletableFuture<StreamedResponse> streamChecked(OutboundRequest outbound, long start) {
        Checked checked = check(outbound, start);
        if (checked.refusal() != null) {
            return CompletableFuture.completedFuture(StreamedResponse.failed(checked.refusal()));
        }
        HttpTarget target = checked.target();
        long deadlineMillis = Math.max(1, outbound.deadline().toMillis());
        CompletableFuture<StreamedResponse> future = new CompletableFuture<>();
        Request request = JettyRequests.build(client, proxies, outbound, target, deadlineMillis);
        InputStreamResponseListener listener = new InputStreamResponseListener() {
            @Override
            public void onHeaders(Response response) {
                super.onHeaders(response);
                future.complete(new StreamedResponse(
                        new TransportResult.Response(
                                response.getStatus(),
                                ResponseCollector.headers(response),
                                new byte[0],
                                false,
                                since(start)),
                        getInputStream()));
            }

            @Override
            public void onComplete(Result result) {
                super.onComplete(result);
                if (result.isFailed() && !future.isDone()) {
                    future.complete(StreamedResponse.failed(
                            closed.get()
                                    ? new Failure(Kind.LOCAL_ERROR, "the transport was closed", since(start))
                                    : ExchangeFailures.describe(
                                            result.getFailure(),
                                            false,
                                            since(start),
                                            target,
                                            outbound,
                                            deadlineMillis)));
                }
            }
        };
        // As for send: Jetty's total timeout ends the exchange at the deadline, the backstop only
        // guarantees that the future completes if Jetty never reports back.
        Scheduler.Task backstop = client.getScheduler()
                .schedule(
                        () -> {
                            if (!future.isDone()) {
                                request.abort(new TimeoutException("deadline backstop"));
                                future.complete(StreamedResponse.failed(new Failure(
                                        Kind.TIMEOUT,
                                        "no response from '" + target.host() + "' within the deadline of "
                                                + deadlineMillis + " ms",
                                        since(start))));
                            }
                        },
                        deadlineMillis + BACKSTOP_GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
        future.whenComplete((result, x) -> backstop.cancel());
        request.send(listener);
        return future;
    }

    /** A request's target, or why it is refused before anything is sent. */
    private record Checked(HttpTarget target, Failure refusal) {}

    /** The checks every request passes before Jetty sees it: open transport, URL, SSRF guard on literals, deadline, headers. */
    private Checked check(OutboundRequest outbound, long start) {
        if (closed.get()) {
            return refused(Kind.LOCAL_ERROR, "the transport is closed", start);
        }
        HttpTarget target;
        try {
            target = HttpTarget.parse(outbound.url());
        } catch (HttpTarget.InvalidUrlException e) {
            return refused(Kind.INVALID_URL, "invalid URL: " + e.getMessage(), start);
        }
        if (target.literal() != null) {
            Optional<String> refusal = settings.ssrfGuard().refusal(target.literal());
            if (refusal.isPresent()) {
                return refused(
                        Kind.BLOCKED_DESTINATION,
                        "'" + target.host() + "' is a refused address (" + refusal.get() + ")",
                        start);
            }
        }
        if (outbound.deadline().isNegative() || outbound.deadline().isZero()) {
            return refused(Kind.TIMEOUT, "the deadline had passed before the request started", start);
        }
        Optional<String> badHeader = JettyRequests.invalidHeader(outbound.headers());
        if (badHeader.isPresent()) {
            return refused(Kind.LOCAL_ERROR, badHeader.get(), start);
        }
        return new Checked(target, null);
    }

    private static Checked refused(Kind kind, String message, long start) {
        return new Checked(null, new Failure(kind, message, since(start)));
    }

    /** Stops the client. Requests in flight end with {@link Kind#LOCAL_ERROR}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP client failed", e);
        }
        for (ResponseCollector collector : List.copyOf(inFlight)) {
            collector.complete(new Failure(Kind.LOCAL_ERROR, "the transport was closed", collector.elapsed()));
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * The settings of a transport, validated and frozen by {@link Builder#build()}.
     *
     * @param maxResponseBytes                the most response body bytes kept; more ends the read, truncated
     * @param maxResponseHeaderBytes          the largest response head (status line and headers) read; a
     *                                        larger one ends the exchange as {@link Kind#CONNECTION_FAILED}
     * @param maxConnectionsPerDestination    connections, and so exchanges in flight, per destination
     * @param maxRequestsQueuedPerDestination requests waiting for a connection per destination, beyond
     *                                        which a request fails at once with {@link Kind#LOCAL_ERROR}
     * @param connectTimeout                  the most one connection attempt (and one name resolution)
     *                                        may take; the request's deadline bounds it too
     * @param idleTimeout                     how long a pooled connection may sit unused, and the longest
     *                                        silence within an exchange
     * @param userAgent                       the {@code User-Agent} sent unless a request names its own
     * @param maxThreads                      the most threads of the transport's pool; exchanges hold none
     *                                        while they wait, so a few serve many
     * @param ssrfGuard                       which addresses may be connected to
     */
    public record Settings(
            int maxResponseBytes,
            int maxResponseHeaderBytes,
            int maxConnectionsPerDestination,
            int maxRequestsQueuedPerDestination,
            Duration connectTimeout,
            Duration idleTimeout,
            String userAgent,
            int maxThreads,
            SsrfGuard ssrfGuard) {}

    /** Builds a {@link JettyHttpTransport}; every setting has a default. */
    public static final class Builder {

        /** The 64 KiB of response body DESIGN promises to keep. */
        public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
        /**
         * 64 KiB of status line and headers, eight times what Jetty's server accepts for a request's:
         * room for any real receiver's cookies and tracing headers.
         */
        public static final int DEFAULT_MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
        /** Jetty's own default: the pool grows to this under load and shrinks back when idle. */
        public static final int DEFAULT_MAX_THREADS = 200;
        /** Connections per destination, which is the per-destination concurrency limit. */
        public static final int DEFAULT_MAX_CONNECTIONS_PER_DESTINATION = 64;
        /** Requests that may wait for a connection to one destination. */
        public static final int DEFAULT_MAX_REQUESTS_QUEUED_PER_DESTINATION = 1024;
        /** One connection attempt; shorter than the default 15 s attempt deadline, so a dead host fails fast. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        /** Unused pooled connections close after this. */
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
        /** The {@code User-Agent} of every request that does not set one. */
        public static final String DEFAULT_USER_AGENT = "hookengine";
        /** On, allowing no private, loopback or otherwise special address. */
        public static final SsrfGuard DEFAULT_SSRF_GUARD = SsrfGuard.strict();

        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int maxResponseHeaderBytes = DEFAULT_MAX_RESPONSE_HEADER_BYTES;
        private int maxThreads = DEFAULT_MAX_THREADS;
        private int maxConnectionsPerDestination = DEFAULT_MAX_CONNECTIONS_PER_DESTINATION;
        private int maxRequestsQueuedPerDestination = DEFAULT_MAX_REQUESTS_QUEUED_PER_DESTINATION;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private String userAgent = DEFAULT_USER_AGENT;
        private SsrfGuard ssrfGuard = DEFAULT_SSRF_GUARD;
        private final List<String> allowedAddresses = new ArrayList<>();
        private SocketAddressResolver resolver;
        private KeyStore trustStore;

        private Builder() {}

        /** The most response body bytes kept (0 or more); the rest is not read. Default 64 KiB. */
        public Builder maxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * The largest response head (status line and headers) read, at least 1,024 bytes; a larger one
         * is not read on and the exchange fails as {@link Kind#CONNECTION_FAILED}. Default 64 KiB.
         */
        public Builder maxResponseHeaderBytes(int maxResponseHeaderBytes) {
            this.maxResponseHeaderBytes = maxResponseHeaderBytes;
            return this;
        }

        /**
         * The most threads of the transport's pool, at least 4 (Jetty's selector and its reserved
         * threads take some). Exchanges are asynchronous: one waiting on a slow or silent receiver holds
         * no thread, so this bounds CPU work in parallel, not exchanges in flight. Default 200.
         */
        public Builder maxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
            return this;
        }

        /** Connections, and so requests in flight, per destination (at least 1). Default 64. */
        public Builder maxConnectionsPerDestination(int maxConnectionsPerDestination) {
            this.maxConnectionsPerDestination = maxConnectionsPerDestination;
            return this;
        }

        /** Requests that may wait for a connection per destination (at least 1). Default 1024. */
        public Builder maxRequestsQueuedPerDestination(int maxRequestsQueuedPerDestination) {
            this.maxRequestsQueuedPerDestination = maxRequestsQueuedPerDestination;
            return this;
        }

        /** The most one connection attempt may take; the request deadline still bounds everything. Default 5 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long a pooled connection may stay unused. Default 30 s. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
            return this;
        }

        /** The {@code User-Agent} sent when a request has none. Default {@code hookengine}. */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /** The guard deciding which addresses may be connected to. Default {@link SsrfGuard#strict()}. */
        public Builder ssrfGuard(SsrfGuard ssrfGuard) {
            this.ssrfGuard = Objects.requireNonNull(ssrfGuard, "ssrfGuard");
            return this;
        }

        /**
         * {@code true} turns the guard off ({@link SsrfGuard#permissive()}); {@code false} restores the
         * strict default. Addresses given to {@link #allowAddresses} stay allowed either way.
         */
        public Builder allowPrivateTargets(boolean allow) {
            this.ssrfGuard = allow ? SsrfGuard.permissive() : SsrfGuard.strict();
            return this;
        }

        /**
         * Allows these CIDR blocks ({@code "127.0.0.1/32"}, {@code "::1/128"}) on top of the guard,
         * overriding its refusals.
         *
         * @throws IllegalArgumentException when one is not an IP literal with a valid prefix
         */
        public Builder allowAddresses(String... cidrs) {
            SsrfGuard.strict().allowing(cidrs); // validates now, where the mistake is made
            allowedAddresses.addAll(List.of(cidrs));
            return this;
        }

        /**
         * The certificates https receivers are trusted by, instead of the JVM's default trust store
         * (for receivers with a private CA, and for tests). Hostname verification stays on either way.
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /** Replaces name resolution; for tests that must not query DNS. */
        Builder resolver(SocketAddressResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /**
         * Validates the settings, starts the HTTP client and returns the transport.
         *
         * @throws IllegalArgumentException when a setting is out of range
         * @throws IllegalStateException    when the client does not start
         */
        public JettyHttpTransport build() {
            require(maxResponseBytes >= 0, "maxResponseBytes must not be negative");
            require(maxResponseHeaderBytes >= 1024, "maxResponseHeaderBytes must be at least 1024");
            require(maxThreads >= 4, "maxThreads must be at least 4");
            require(maxConnectionsPerDestination >= 1, "maxConnectionsPerDestination must be at least 1");
            require(maxRequestsQueuedPerDestination >= 1, "maxRequestsQueuedPerDestination must be at least 1");
            require(!connectTimeout.isNegative() && !connectTimeout.isZero(), "connectTimeout must be positive");
            require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idleTimeout must be positive");
            require(
                    !userAgent.isBlank() && userAgent.chars().noneMatch(c -> c < 0x20 || c == 0x7f),
                    "userAgent must be printable text");
            Settings settings = new Settings(
                    maxResponseBytes,
                    maxResponseHeaderBytes,
                    maxConnectionsPerDestination,
                    maxRequestsQueuedPerDestination,
                    connectTimeout,
                    idleTimeout,
                    userAgent,
                    maxThreads,
                    ssrfGuard.allowing(allowedAddresses.toArray(String[]::new)));
            JettyHttpTransport transport = new JettyHttpTransport(settings, resolver, trustStore);
            try {
                transport.client.start();
                // Starting loads the decoders found on the class path (gzip); drop them again.
                transport.client.getContentDecoderFactories().clear();
                // Starting also installs Jetty's redirect and authentication handlers, which would
                // answer a 401 or 407 on their own; a webhook sender must see every status as sent.
                transport.client.getProtocolHandlers().clear();
                transport.client.getProtocolHandlers().put(new ContinueProtocolHandler());
            } catch (Exception e) {
                transport.close();
                throw new IllegalStateException("the HTTP client did not start", e);
            }
            LOG.info(
                    "hookengine HTTP transport started: {}, trusting {}",
                    settings,
                    trustStore == null ? "the JVM's default trust store" : "the trust store given");
            return transport;
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
