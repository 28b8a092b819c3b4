package dev.hookengine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookengine.delivery.RetrySchedule;
import dev.hookengine.model.ApiKeyConfig;
import dev.hookengine.model.Auth;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.signing.WebhookHeaders;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.ProxyAddress;
import dev.hookengine.spi.SecureProxyRouter;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.spi.WebhookStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes delivery attempts: claims due jobs, builds each request (URL and headers with references
 * resolved, auth, signatures), sends it, records the attempt and the event's outcome, and completes
 * or reschedules the job.
 *
 * <p>Outcomes: 2xx succeeds. 410 Gone fails the event and disables the config. 408, 429, 5xx,
 * connection errors and timeouts are retried per the config's {@code retryPolicy} and the
 * {@link RetrySchedule}, {@code Retry-After} honoured. Any other status (redirects included: they
 * are not followed) fails at once, and so do a missing variable, a refused destination, an
 * unavailable proxy and an OAuth token failure ({@code OAuthTokenExchangeError}). With OAuth, a 401
 * drops the token, and the request is sent once more with a fresh one within the same attempt.
 *
 * <p>Delivery is at-least-once: a node that dies mid-attempt loses its lease, and another node makes
 * the attempt again once it expires. Receivers dedupe on {@code webhook-id}, the event id. Leases are
 * short ({@link #lease()}), so that a dead node's jobs come free soon, and safe: an exchange starts
 * only when its whole deadline ends inside the claim's lease (renewed first if need be), so a live
 * node never sends a job another node may have claimed.
 *
 * <p>Each destination has a circuit breaker ({@link DestinationBreakers}): while it is open, its
 * jobs wait for it without spending attempts.
 */
public final class DeliveryService {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);
    /** How long a claim waits for a quarter of a batch of threads to come free. */
    private static final long REFILL_WAIT_MILLIS = 20;
    /**
     * How long past a request's deadline the engine still waits for its transport to answer; the
     * Jetty transport ends every exchange within its deadline plus 2 s.
     */
    static final Duration EXCHANGE_GRACE = Duration.ofSeconds(2);

    /** Outcome codes recorded on events, beside the spec's own. */
    public static final String TIMEOUT = "TIMEOUT";
    public static final String CONNECTION_ERROR = "CONNECTION_ERROR";
    public static final String DESTINATION_BLOCKED = "DESTINATION_BLOCKED";
    public static final String RESPONSE_TOO_LARGE = "INTERNAL_RESPONSE_TOO_LARGE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String CONFIG_NOT_FOUND = "CONFIG_NOT_FOUND";
    public static final String CONFIG_INCOMPLETE = "CONFIG_INCOMPLETE";
    public static final String INVALID_HEADER = "INVALID_HEADER";
    public static final String SECURE_PROXY_UNAVAILABLE = "SECURE_PROXY_UNAVAILABLE";
    public static final String STATIC_IP_UNAVAILABLE = "STATIC_IP_UNAVAILABLE";

    private final WebhookStore store;
    private final ConfigIndex configs;
    private final HttpTransport transport;
    private final SigningService signing;
    private final OAuthTokens tokens;
    private final Clock clock;
    private final RetrySchedule schedule;
    private final SecureProxyRouter secureProxies;
    private final ProxyAddress staticIpProxy;
    private final Duration attemptDeadline;
    private final Duration lease;
    private final int batchSize;
    private final String nodeId;
    private final Runnable onConfigChanged;
    private final Executor workers;
    private final EngineMetrics metrics;
    private final DestinationBreakers breakers;
    /** Delivery threads, and one permit per thread not running an attempt. */
    private final int threads;
    private final Semaphore slots;
    private final OutcomeWriter outcomes;
    private volatile boolean stopping;
    private volatile long lastQueueSample;

    public DeliveryService(WebhookStore store, ConfigIndex configs, HttpTransport transport, SigningService signing, Clock clock,
                           RetrySchedule schedule, SecureProxyRouter secureProxies, ProxyAddress staticIpProxy,
                           Duration attemptDeadline, int threads, int batchSize, String nodeId, Runnable onConfigChanged,
                           Executor workers, EngineMetrics metrics, int breakerFailureThreshold, Duration breakerDelay) {
        this.store = store;
        this.configs = configs;
        this.transport = transport;
        this.signing = signing;
        this.tokens = new OAuthTokens(transport, clock, attemptDeadline);
        this.clock = clock;
        this.schedule = schedule;
        this.secureProxies = secureProxies;
        this.staticIpProxy = staticIpProxy;
        this.attemptDeadline = attemptDeadline;
        this.lease = leaseFor(attemptDeadline);
        this.threads = threads;
        this.slots = new Semaphore(threads);
        this.batchSize = Math.min(batchSize, threads);
        this.nodeId = nodeId;
        this.onConfigChanged = onConfigChanged;
        this.workers = workers;
        this.metrics = metrics;
        this.breakers = new DestinationBreakers(breakerFailureThreshold, breakerDelay);
        // A write carries at most one outcome per delivery thread, plus any from synchronous triggers.
        this.outcomes = new OutcomeWriter(store, threads);
    }

    /** Destinations whose circuit breaker is open now. */
    public int openBreakers() {
        return breakers.openCount();
    }

    /** How long a claim holds a job: {@link #leaseFor} this engine's attempt deadline. */
    public Duration lease() {
        return lease;
    }

    /**
     * The lease for an attempt deadline: two exchanges' worth, {@code 2 × (attemptDeadline + 2 s)}
     * (34 s with the default 15 s deadline). The first exchange starts right after the claim; a later
     * one in the same attempt (after a slow OAuth token request, or the resend after a 401) renews the
     * lease first when what is left would not cover it. A dead node's jobs come free one lease after
     * its last claim or renewal.
     */
    public static Duration leaseFor(Duration attemptDeadline) {
        return attemptDeadline.plus(EXCHANGE_GRACE).multipliedBy(2);
    }

    /**
     * Claims and delivers every job due now, and returns when the queue has nothing due and the
     * attempts have ended: for tests and for embedders that drive delivery themselves.
     *
     * @return how many jobs were claimed
     */
    public int deliverDue() {
        try {
            return startDue();
        } finally {
            awaitInFlight();
        }
    }

    /**
     * The poller's round: claims every job due now and starts its attempt, with up to one attempt per
     * delivery thread in flight, and returns once the queue has nothing due, without waiting for the
     * attempts it started.
     *
     * <p>Jobs are claimed as threads come free, never more than can start at once (a claimed job
     * waiting for a thread would burn its lease), and nothing waits for an attempt to end but the
     * thread making it: a slow receiver holds one thread, not the node.
     *
     * @return how many jobs were claimed
     */
    public int startDue() {
        int total = 0;
        while (!stopping) {
            sampleQueue();
            int free = takeFreeSlots();
            if (free == 0) {
                break; // interrupted while waiting for a thread
            }
            List<ClaimedJob> claims;
            try {
                claims = store.claim(now(), free, lease, nodeId);
            } catch (RuntimeException e) {
                slots.release(free);
                throw e;
            }
            Map<String, WebhookEvent> events;
            try {
                events = claims.isEmpty() ? Map.of() : eventsOf(claims);
            } catch (RuntimeException e) {
                slots.release(free);
                claims.forEach(this::releaseQuietly); // for another round or node, rather than after the lease
                throw e;
            }
            slots.release(free - claims.size());
            for (ClaimedJob claim : claims) {
                start(claim, Optional.ofNullable(events.get(claim.job().jobId())));
            }
            total += claims.size();
            if (claims.size() < free) {
                break; // nothing more is due now
            }
        }
        return total;
    }

    /**
     * Waits for free delivery threads and takes every free one, up to a claim's batch. It waits a
     * moment for a quarter of a batch to come free, so that a busy node claims in batches rather than
     * one job per claim as threads finish; after that moment, one free thread is enough.
     *
     * @return the threads taken, or 0 when interrupted
     */
    private int takeFreeSlots() {
        int refill = Math.max(1, batchSize / 4);
        int taken;
        try {
            if (slots.tryAcquire(refill, REFILL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                taken = refill;
            } else {
                slots.acquire();
                taken = 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        int drained = slots.drainPermits();
        int more = Math.min(drained, batchSize - taken);
        slots.release(drained - more);
        return taken + more;
    }

    /** Starts one attempt on a delivery thread; its slot is given back when it ends. */
    private void start(ClaimedJob claim, Optional<WebhookEvent> event) {
        try {
            workers.execute(() -> {
                try {
                    if (stopping) {
                        store.release(claim); // closing: leave it for whichever node runs next
                    } else {
                        attempt(claim, event);
                    }
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException closing) {
            slots.release();
            releaseQuietly(claim);
        }
    }

    /** Gives a claimed job back untouched; if the store refuses, its lease expires instead. */
    private void releaseQuietly(ClaimedJob claim) {
        try {
            store.release(claim);
        } catch (RuntimeException e) {
            LOG.warn("could not release job {}; it is taken again once its lease expires", claim.job().jobId(), e);
        }
    }

    /** Waits, at most one lease, until no attempt of this node is in flight. */
    private void awaitInFlight() {
        try {
            if (slots.tryAcquire(threads, lease.toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(threads);
            } else {
                LOG.warn("attempts still running after a lease; their jobs are taken again once their leases expire");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events of the claimed jobs by job id, read in one call per organization. */
    private Map<String, WebhookEvent> eventsOf(List<ClaimedJob> claims) {
        Map<String, Map<String, List<String>>> jobIdsByOrgAndEvent = new HashMap<>();
        for (ClaimedJob claim : claims) {
            jobIdsByOrgAndEvent.computeIfAbsent(claim.job().orgId(), org -> new HashMap<>())
                    .computeIfAbsent(claim.job().eventId(), event -> new ArrayList<>(1))
                    .add(claim.job().jobId());
        }
        Map<String, WebhookEvent> byJobId = new HashMap<>();
        jobIdsByOrgAndEvent.forEach((orgId, jobIdsByEvent) -> {
            for (WebhookEvent event : store.findEvents(orgId, jobIdsByEvent.keySet())) {
                jobIdsByEvent.get(event.eventId()).forEach(jobId -> byJobId.put(jobId, event));
            }
        });
        return byJobId;
    }

    /** Samples the queue for the gauges at most once a second, also while rounds never run dry. */
    private void sampleQueue() {
        long nanos = System.nanoTime();
        if (nanos - lastQueueSample >= 1_000_000_000L) {
            lastQueueSample = nanos;
            Instant now = now();
            metrics.queue(store.stats(now), now);
        }
    }

    /** Stops claiming: a round in progress finishes its batch and returns. */
    public void stop() {
        stopping = true;
    }

    /**
     * Makes one attempt for a claimed job and records its outcome.
     *
     * @return the event as recorded after the attempt, or empty when the job had nothing to deliver
     */
    public Optional<WebhookEvent> attempt(ClaimedJob claim) {
        return attempt(claim, store.findEvent(claim.job().orgId(), claim.job().eventId()));
    }

    /** {@link #attempt(ClaimedJob)} for a job whose event was read already (empty: there is none). */
    private Optional<WebhookEvent> attempt(ClaimedJob claim, Optional<WebhookEvent> found) {
        try {
            return attemptUnsafe(claim, found);
        } catch (LeaseLost e) {
            // The store could not extend the lease (a database outage, or the lease ran out): another
            // node may hold the job by now, so nothing is sent and no attempt is counted.
            LOG.warn("attempt of event {} given up before sending: its lease could not be extended; the job is "
                    + "attempted again once it is free", claim.job().eventId());
            releaseQuietly(claim);
            return Optional.empty();
        } catch (Interrupted e) {
            // Shutting down mid-attempt is not the receiver's fault: no attempt is counted.
            store.release(claim);
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException e) {
            // A bug or a store failure: leave the job to be taken again when its lease expires.
            LOG.warn("delivery attempt of event {} failed unexpectedly; it is retried after its lease expires",
                    claim.job().eventId(), e);
            return Optional.empty();
        }
    }

    private Optional<WebhookEvent> attemptUnsafe(ClaimedJob claim, Optional<WebhookEvent> found) {
        String orgId = claim.job().orgId();
        if (found.isEmpty() || found.get().status() != EventStatus.IN_PROGRESS) {
            store.complete(claim); // purged, or already ended: nothing left to do
            return found;
        }
        WebhookEvent event = found.get();
        int attemptNumber = claim.job().attempt() + 1;
        Instant started = now();
        Optional<StoredConfig> config = configOf(claim.job());
        if (config.isEmpty()) {
            return Optional.of(finish(claim, event, attemptNumber, started,
                    new Outcome(EventStatus.FAILED, false, false,
                            new EventHttpResponse(null, "the webhook config was deleted", null, CONFIG_NOT_FOUND))));
        }
        if (ConfigStatuses.of(config.get().config()) == ConfigStatus.INCOMPLETE) {
            return Optional.of(finish(claim, event, attemptNumber, started, Outcome.failed(null,
                    "the webhook config is incomplete (no URL, or auth without a required field)", CONFIG_INCOMPLETE)));
        }
        Outcome outcome = send(config.get(), event, claim);
        Duration took = Duration.between(started, now());
        if (outcome.deferredFor().isPresent()) {
            // The destination's breaker is open: wait for it without spending an attempt.
            store.reschedule(claim, claim.job().attempt(), now().plus(outcome.deferredFor().get()));
            metrics.attempt("deferred", Duration.ZERO);
            return Optional.of(event);
        }
        if (outcome.disableConfig()) {
            disable(config.get());
        }
        if (outcome.retryable() && retriesLeft(config.get().config(), attemptNumber)) {
            Duration delay = schedule.delayBefore(attemptNumber, outcome.retryAfter());
            metrics.attempt("retrying", took);
            return Optional.of(retryLater(claim, event, attemptNumber, started, outcome, now().plus(delay)));
        }
        Outcome terminal = outcome.retryable() ? outcome.asFailed() : outcome;
        if (terminal.status() == EventStatus.SUCCEEDED) {
            metrics.attempt("succeeded", took);
            metrics.delivered(Duration.between(event.createdAt(), now()));
        } else {
            metrics.attempt("failed", took);
        }
        return Optional.of(finish(claim, event, attemptNumber, started, terminal));
    }

    private Outcome send(StoredConfig stored, WebhookEvent event, ClaimedJob claim) {
        WebhookConfig config = stored.config();
        EnvResolver env = new EnvResolver(store, stored.orgId());
        HttpMethod method = config.httpMethod() == null ? HttpMethod.POST : config.httpMethod();
        boolean withBody = method != HttpMethod.GET && method != HttpMethod.HEAD;
        byte[] body = withBody && event.payload() != null ? event.payload().getBytes(StandardCharsets.UTF_8) : new byte[0];
        URI url;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        ProxyAddress proxy;
        String tokenKey = stored.orgId() + "/" + config.id() + "/" + stored.revision();
        try {
            url = URI.create(env.resolve(config.url()));
            proxy = route(stored);
            if (withBody) {
                headers.add(header("Content-Type", "application/json"));
            }
            long timestamp = now().getEpochSecond();
            headers.add(header(WebhookHeaders.ID, event.eventId()));
            headers.add(header(WebhookHeaders.TIMESTAMP, Long.toString(timestamp)));
            headers.add(header(WebhookHeaders.SIGNATURE, signing.sign(stored, event.eventId(), timestamp, body)));
            if (config.payloadConfiguration() != null && config.payloadConfiguration().customHeaders() != null) {
                for (Map.Entry<String, String> custom : config.payloadConfiguration().customHeaders().entrySet()) {
                    if (!HeaderRules.isForbidden(custom.getKey())) {
                        headers.add(header(custom.getKey(), env.resolve(custom.getValue())));
                    }
                }
            }
            addAuth(config.auth(), env, tokenKey, headers);
            for (Map.Entry<String, String> header : headers) {
                if (!HeaderRules.isValidValue(header.getValue())) {
                    return Outcome.failed(null, "header " + header.getKey()
                            + " has control characters after resolving its variables", INVALID_HEADER);
                }
            }
        } catch (EnvResolver.MissingVariableException e) {
            return Outcome.failed(null, e.getMessage(), EnvResolver.MissingVariableException.CODE);
        } catch (OAuthTokens.ExchangeException e) {
            return Outcome.failed(null, e.getMessage(), OAuthTokens.ERROR_CODE);
        } catch (UnavailableRouteException e) {
            return Outcome.failed(null, e.getMessage(), e.code);
        } catch (IllegalArgumentException e) {
            return Outcome.failed(null, "the URL is not valid after resolving its variables", INTERNAL_ERROR);
        }
        ClaimedJob held = coverExchange(claim);
        dev.failsafe.CircuitBreaker<Object> breaker = breakers.of(stored.orgId(), url);
        if (!breaker.tryAcquirePermit()) {
            Duration wait = breaker.getRemainingDelay();
            return Outcome.deferred(wait.isZero() || wait.isNegative() ? Duration.ofSeconds(1) : wait);
        }
        TransportResult result = null;
        try {
            result = exchange(new OutboundRequest(method, url, headers, body, attemptDeadline, proxy));
            if (result instanceof TransportResult.Response response && response.status() == 401 && isOAuth(config.auth())) {
                tokens.invalidate(tokenKey);
                try {
                    headers.removeIf(h -> h.getKey().equalsIgnoreCase("Authorization"));
                    addAuth(config.auth(), env, tokenKey, headers);
                } catch (OAuthTokens.ExchangeException e) {
                    return Outcome.failed(null, e.getMessage(), OAuthTokens.ERROR_CODE);
                }
                held = coverExchange(held);
                result = exchange(new OutboundRequest(method, url, headers, body, attemptDeadline, proxy));
            }
            return Outcome.of(result, now());
        } finally {
            // Every permit is given back, whatever happened, or a half-open breaker would hold its
            // destination forever. Only what the receiver did counts against it.
            if (result != null && receiverFailed(result)) {
                breaker.recordFailure();
            } else {
                breaker.recordSuccess();
            }
        }
    }

    private static boolean receiverFailed(TransportResult result) {
        if (result instanceof TransportResult.Response response) {
            int status = response.status();
            return status == 408 || status == 429 || status / 100 == 5;
        }
        TransportResult.Kind kind = ((TransportResult.Failure) result).kind();
        return kind == TransportResult.Kind.TIMEOUT || kind == TransportResult.Kind.CONNECTION_FAILED
                || kind == TransportResult.Kind.UNKNOWN_HOST;
    }

    /**
     * The claim, renewed when its lease would end before an exchange started now must have ended, so
     * that no exchange outlives the lease it runs under.
     *
     * @throws LeaseLost when the store does not renew it (lease expired or taken over, or the store failed)
     */
    private ClaimedJob coverExchange(ClaimedJob claim) {
        Instant now = now();
        if (!claim.leaseExpiresAt().isBefore(now.plus(attemptDeadline).plus(EXCHANGE_GRACE))) {
            return claim;
        }
        try {
            return store.renewLease(claim, now, lease).orElseThrow(LeaseLost::new);
        } catch (RuntimeException storeFailed) {
            throw storeFailed instanceof LeaseLost lost ? lost : new LeaseLost();
        }
    }

    private TransportResult exchange(OutboundRequest request) {
        try {
            return transport.send(request).get(request.deadline().plus(EXCHANGE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new Interrupted();
        } catch (Exception e) {
            return new TransportResult.Failure(TransportResult.Kind.TIMEOUT,
                    "the transport did not answer within the deadline", attemptDeadline);
        }
    }

    private void addAuth(Auth auth, EnvResolver env, String tokenKey, List<Map.Entry<String, String>> headers) {
        if (auth == null || auth.authType() == null) {
            return;
        }
        switch (auth.authType()) {
            case BASIC -> {
                BasicAuthConfig basic = auth.basicAuthConfig();
                String credentials = env.resolve(basic.username()) + ":"
                        + (basic.password() == null ? "" : env.resolve(basic.password().reveal()));
                headers.add(header("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
            }
            case API_KEY -> {
                ApiKeyConfig apiKey = auth.apiKeyConfig();
                headers.add(header(apiKey.keyName(), env.resolve(apiKey.keyValue().reveal())));
            }
            case OAUTH_CLIENT_CREDENTIALS -> {
                OAuthTokens.Token token = tokens.token(tokenKey, auth.oauthConfig(), env);
                headers.add(header("Authorization", "Bearer " + token.accessToken()));
            }
            case NONE -> {
            }
        }
    }

    /** The OAuth token exchange alone, for {@code testOAuth}. */
    OAuthTokens.Token exchangeToken(StoredConfig stored) {
        return tokens.exchange(stored.config().auth().oauthConfig(), new EnvResolver(store, stored.orgId()));
    }

    private static boolean isOAuth(Auth auth) {
        return auth != null && auth.authType() == dev.hookengine.model.AuthType.OAUTH_CLIENT_CREDENTIALS;
    }

    private ProxyAddress route(StoredConfig stored) {
        WebhookConfig config = stored.config();
        if (config.secureProxy() != null) {
            return secureProxies.route(stored.orgId(), config.secureProxy()).orElseThrow(() ->
                    new UnavailableRouteException(SECURE_PROXY_UNAVAILABLE,
                            "no secure proxy is configured for integration " + config.secureProxy().integrationId()));
        }
        if (Boolean.TRUE.equals(config.enableStaticIP())) {
            if (staticIpProxy == null) {
                throw new UnavailableRouteException(STATIC_IP_UNAVAILABLE,
                        "enableStaticIP is set but this engine has no static egress proxy configured");
            }
            return staticIpProxy;
        }
        return null;
    }

    private static boolean retriesLeft(WebhookConfig config, int attemptNumber) {
        RetryPolicy policy = config.retryPolicy();
        if (policy == null || !Boolean.TRUE.equals(policy.enabled())) {
            return false;
        }
        int maxRetries = policy.maxAttempts() == null ? RetryPolicy.DEFAULT_MAX_ATTEMPTS : policy.maxAttempts();
        return attemptNumber - 1 < maxRetries;
    }

    private WebhookEvent retryLater(ClaimedJob claim, WebhookEvent event, int attemptNumber, Instant started,
                                    Outcome outcome, Instant dueAt) {
        WebhookEvent updated = event.toBuilder().httpResponse(outcome.response()).retryAttempt(attemptNumber - 1).build();
        return record(claim, event, updated, attemptNumber, started, outcome, dueAt);
    }

    private WebhookEvent finish(ClaimedJob claim, WebhookEvent event, int attemptNumber, Instant started, Outcome outcome) {
        WebhookEvent updated = event.toBuilder()
                .status(outcome.status())
                .httpResponse(outcome.response())
                .retryAttempt(attemptNumber - 1)
                .build();
        return record(claim, event, updated, attemptNumber, started, outcome, null);
    }

    /**
     * Writes an attempt's outcome (the attempt, the event's new state, the job completed or
     * rescheduled to {@code retryAt}) as one unit, batched with other threads' outcomes. A claim that
     * outlived its lease and was taken over writes nothing: the new holder's outcome stands.
     */
    private WebhookEvent record(ClaimedJob claim, WebhookEvent before, WebhookEvent after, int attemptNumber,
                                Instant started, Outcome outcome, Instant retryAt) {
        EventHttpResponse response = outcome.response();
        DeliveryAttempt attempt = new DeliveryAttempt(after.orgId(), after.eventId(), attemptNumber, started, now(),
                response.statusCode(), response.code(), response.statusCode() == null ? response.message() : null);
        long writing = System.nanoTime();
        boolean written = outcomes.write(new AttemptOutcome(claim, attempt, after, retryAt));
        metrics.outcomeWritten(Duration.ofNanos(System.nanoTime() - writing));
        if (!written) {
            LOG.warn("attempt {} of event {} ended after its lease was taken over; its outcome is dropped",
                    attemptNumber, before.eventId());
            return before;
        }
        return after;
    }

    /**
     * The job's config from the index, which spares the store a read (and a decryption) per attempt.
     * A config the index does not know yet (made on another node since the last refresh) is read
     * from the store, and the organization's entry reloaded.
     */
    private Optional<StoredConfig> configOf(DeliveryJob job) {
        Optional<StoredConfig> indexed = configs.find(job.orgId(), job.configId());
        if (indexed.isPresent()) {
            return indexed;
        }
        Optional<StoredConfig> stored = store.findConfig(job.orgId(), job.configId());
        if (stored.isPresent()) {
            configs.invalidate(job.orgId());
        }
        return stored;
    }

    private void disable(StoredConfig seen) {
        // The index may lag behind another node's change; the compare-and-set needs the current revision.
        Optional<StoredConfig> current = store.findConfig(seen.orgId(), seen.id());
        if (current.isEmpty()) {
            return;
        }
        StoredConfig stored = current.get();
        WebhookConfig config = stored.config();
        WebhookConfig disabled = config.toBuilder().enabled(false).build();
        disabled = disabled.toBuilder().status(ConfigStatuses.of(disabled)).updatedTime(now()).build();
        if (store.replaceConfig(stored.orgId(), disabled, stored.revision()).isPresent()) {
            LOG.info("config {} of org {} disabled: its receiver answered 410 Gone", config.id(), stored.orgId());
            onConfigChanged.run();
        }
    }

    private Instant now() {
        return Timestamps.now(clock);
    }

    private static Map.Entry<String, String> header(String name, String value) {
        return new AbstractMap.SimpleEntry<>(name, value);
    }

    /** The claim's lease does not cover another exchange and could not be renewed; nothing is sent. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }

    /** The attempt's thread was interrupted (the engine is closing); the attempt does not count. */
    private static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted", null, false, false);
        }
    }

    /** A route the config asks for is not available: the delivery fails with {@link #code}. */
    private static final class UnavailableRouteException extends RuntimeException {
        final String code;

        UnavailableRouteException(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /**
     * What one attempt came to.
     *
     * @param status        the event's status if this is the last attempt
     * @param retryable     whether a later attempt may succeed
     * @param disableConfig whether the receiver asked to stop (410 Gone)
     * @param response      what the event records
     * @param retryAfter    the receiver's {@code Retry-After}, when it sent one
     */
    record Outcome(EventStatus status, boolean retryable, boolean disableConfig, EventHttpResponse response,
                   Optional<Duration> retryAfter, Optional<Duration> deferredFor) {

        Outcome(EventStatus status, boolean retryable, boolean disableConfig, EventHttpResponse response) {
            this(status, retryable, disableConfig, response, Optional.empty(), Optional.empty());
        }

        Outcome(EventStatus status, boolean retryable, boolean disableConfig, EventHttpResponse response,
                Optional<Duration> retryAfter) {
            this(status, retryable, disableConfig, response, retryAfter, Optional.empty());
        }

        /** Nothing was sent: the destination's circuit breaker is open for {@code wait} more. */
        static Outcome deferred(Duration wait) {
            return new Outcome(EventStatus.IN_PROGRESS, false, false, null, Optional.empty(), Optional.of(wait));
        }

        static Outcome failed(Integer status, String message, String code) {
            return new Outcome(EventStatus.FAILED, false, false, new EventHttpResponse(status, message, null, code));
        }

        Outcome asFailed() {
            return new Outcome(EventStatus.FAILED, false, disableConfig, response, retryAfter, Optional.empty());
        }

        static Outcome of(TransportResult result, Instant now) {
            if (result instanceof TransportResult.Failure failure) {
                String code = switch (failure.kind()) {
                    case TIMEOUT -> TIMEOUT;
                    case BLOCKED_DESTINATION -> DESTINATION_BLOCKED;
                    case CONNECTION_FAILED, UNKNOWN_HOST -> CONNECTION_ERROR;
                    case INVALID_URL, LOCAL_ERROR -> INTERNAL_ERROR;
                };
                return new Outcome(EventStatus.FAILED, failure.kind().isRetryable(), false,
                        new EventHttpResponse(null, failure.message(), null, code));
            }
            TransportResult.Response response = (TransportResult.Response) result;
            int status = response.status();
            EventHttpResponse recorded = record(response);
            if (status / 100 == 2) {
                return new Outcome(EventStatus.SUCCEEDED, false, false, recorded);
            }
            if (status == 410) {
                return new Outcome(EventStatus.FAILED, false, true, recorded);
            }
            boolean retryable = status == 408 || status == 429 || status / 100 == 5;
            return new Outcome(EventStatus.FAILED, retryable, false, recorded,
                    retryable ? retryAfter(response.header("retry-after"), now) : Optional.empty());
        }

        /** The response as the event keeps it: a JSON object as {@code body}, anything else as {@code message}. */
        private static EventHttpResponse record(TransportResult.Response response) {
            if (response.truncated()) {
                return new EventHttpResponse(response.status(), "the response was larger than "
                        + response.body().length + " bytes and was not recorded", null, RESPONSE_TOO_LARGE);
            }
            if (response.body().length == 0) {
                return new EventHttpResponse(response.status(), null, null, null);
            }
            try {
                JsonNode json = Json.MAPPER.readTree(response.body());
                if (json != null && json.isObject()) {
                    return new EventHttpResponse(response.status(), null, json, null);
                }
            } catch (Exception notJson) {
                // recorded as text below
            }
            return new EventHttpResponse(response.status(), new String(response.body(), StandardCharsets.UTF_8), null, null);
        }

        private static Optional<Duration> retryAfter(String value, Instant now) {
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration until = Duration.between(now, at.toInstant());
                    return Optional.of(until.isNegative() ? Duration.ZERO : until);
                } catch (RuntimeException notDate) {
                    return Optional.empty();
                }
            }
        }
    }
}
