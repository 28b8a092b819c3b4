package dev.hookengine.internal.delivery;

import dev.failsafe.CircuitBreaker;
import dev.hookengine.EngineConfig;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttachmentSource;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.TransportResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sends one attempt's request and says what came of it: the request is built
 * ({@link SignedRequests}), the claim's lease checked ({@link LeaseFence}), the destination's
 * circuit breaker asked for a permit ({@link DestinationBreakers}), and the exchange waited for no
 * longer than its deadline plus the transport's grace. A file delivery's attachments are opened
 * ({@link FileDeliveries}) before the lease is checked, and their streams closed once it ended. When an OAuth receiver answers 401, the token
 * is dropped and the request sent once more with a fresh one, within the same attempt.
 *
 * <p>While a destination's breaker is open nothing is sent and the outcome is
 * {@linkplain Outcome#deferred deferred}: the job waits for the breaker without spending an attempt.
 */
public final class Exchange {

    private final HttpTransport transport;
    private final SignedRequests requests;
    private final FileDeliveries files;
    private final DestinationBreakers breakers;
    private final DeliverySettings settings;

    public Exchange(
            HttpTransport transport,
            SignedRequests requests,
            AttachmentSource attachments,
            DestinationBreakers breakers,
            DeliverySettings settings) {
        this.transport = transport;
        this.requests = requests;
        this.files = new FileDeliveries(
                requests,
                attachments,
                settings.maxAttachmentBytes(),
                settings.attachmentDeadline(),
                settings.expressionLimits());
        this.breakers = breakers;
        this.settings = settings;
    }

    /**
     * Delivers {@code event} to {@code stored}'s receiver.
     *
     * @throws LeaseFence.LeaseLost when the claim's lease could not be renewed before an exchange
     * @throws Interrupted          when the thread was interrupted while waiting for the receiver
     */
    Outcome send(StoredConfig stored, WebhookEvent event, LeaseFence fence) {
        SignedRequests.Prepared prepared = files.prepare(stored, event);
        if (prepared instanceof SignedRequests.Refused refused) {
            return refused.outcome();
        }
        SignedRequests.Ready ready = (SignedRequests.Ready) prepared;
        OutboundRequest sent = ready.request();
        TransportResult result = null;
        Optional<Outcome> attachmentProblem = Optional.empty();
        CircuitBreaker<Object> breaker = null;
        try {
            fence.beforeExchange();
            breaker = breakers.of(stored.orgId(), sent.url());
            if (!breaker.tryAcquirePermit()) {
                Duration wait = breaker.getRemainingDelay();
                breaker = null; // no permit taken, none to give back
                return Outcome.deferred(wait.isZero() || wait.isNegative() ? Duration.ofSeconds(1) : wait);
            }
            result = exchange(sent);
            attachmentProblem = FileDeliveries.problemOf(sent);
            if (attachmentProblem.isEmpty()
                    && result instanceof TransportResult.Response response
                    && response.status() == 401
                    && ready.isOAuth()) {
                SignedRequests.Prepared again = resend(ready, stored, event);
                if (again instanceof SignedRequests.Refused refused) {
                    return refused.outcome();
                }
                closeFiles(sent);
                sent = ((SignedRequests.Ready) again).request();
                fence.beforeExchange();
                result = exchange(sent);
                attachmentProblem = FileDeliveries.problemOf(sent);
            }
            // A file that broke off while it was streamed is the attachment's failure, not the receiver's.
            return attachmentProblem.orElse(Outcome.of(result, Timestamps.now(settings.clock())));
        } finally {
            closeFiles(sent);
            // Every permit is given back, whatever happened, or a half-open breaker would hold its
            // destination forever. Only what the receiver did counts against it.
            if (breaker != null) {
                if (result != null && attachmentProblem.isEmpty() && receiverFailed(result)) {
                    breaker.recordFailure();
                } else {
                    breaker.recordSuccess();
                }
            }
        }
    }

    /**
     * The request again with a fresh OAuth token, after a 401. A multipart body's files were read
     * while it was sent, so a file delivery is built anew, its attachments opened again.
     */
    private SignedRequests.Prepared resend(SignedRequests.Ready ready, StoredConfig stored, WebhookEvent event) {
        if (ready.request().multipart() == null) {
            return requests.withFreshToken(ready);
        }
        requests.forgetToken(ready);
        return files.prepare(stored, event);
    }

    private static void closeFiles(OutboundRequest request) {
        if (request.multipart() != null) {
            request.multipart().close();
        }
    }

    private static boolean receiverFailed(TransportResult result) {
        if (result instanceof TransportResult.Response response) {
            int status = response.status();
            return status == 408 || status == 429 || status / 100 == 5;
        }
        TransportResult.Kind kind = ((TransportResult.Failure) result).kind();
        return kind == TransportResult.Kind.TIMEOUT
                || kind == TransportResult.Kind.CONNECTION_FAILED
                || kind == TransportResult.Kind.UNKNOWN_HOST
                || kind == TransportResult.Kind.TLS_FAILED;
    }

    private TransportResult exchange(OutboundRequest request) {
        try {
            return transport
                    .send(request)
                    .get(request.deadline().plus(EngineConfig.EXCHANGE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new Interrupted();
        } catch (Exception e) {
            return new TransportResult.Failure(
                    TransportResult.Kind.TIMEOUT,
                    "the transport did not answer within the deadline",
                    settings.attemptDeadline());
        }
    }

    /** The attempt's thread was interrupted (the engine is closing); the attempt does not count. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted", null, false, false);
        }
    }
}
