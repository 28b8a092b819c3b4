package dev.hookengine.http;

import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.TransportResult.Failure;
import dev.hookengine.spi.TransportResult.Kind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.HttpException;

/**
 * Turns what Jetty reports when an exchange fails into the {@link Failure} the engine records: the
 * {@link Kind} that decides whether the attempt is retried, and a message that names the host, the
 * proxy and the stage that failed.
 *
 * <p>Messages end up in the event log, which tenants read: they are written from what the transport
 * knows, and an exception's own text is quoted only after {@link #scrub} took the request's header
 * values out of it.
 */
final class ExchangeFailures {

    private static final int MAX_MESSAGE_LENGTH = 500;

    private ExchangeFailures() {}

    /**
     * The failure of the exchange of {@code outbound} with {@code target}.
     *
     * @param headersReceived whether the response's headers had come, which tells a stalled body from no answer
     */
    static Failure describe(
            Throwable failure,
            boolean headersReceived,
            Duration elapsed,
            HttpTarget target,
            OutboundRequest outbound,
            long deadlineMillis) {
        // Only a failure needs the header values to scrub; splitting them for every request cost
        // about 5 % of a delivery thread's CPU under load (benchmarks/README.md, "Load harness").
        List<String> secrets = secretsOf(outbound);
        String where = "'" + target.host() + "'"
                + (outbound.proxy() != null
                        ? " through proxy " + outbound.proxy().host() + ":"
                                + outbound.proxy().port()
                        : "");
        Throwable blocked = find(failure, BlockedDestinationException.class);
        if (blocked != null) {
            return new Failure(Kind.BLOCKED_DESTINATION, scrub(blocked.getMessage(), secrets), elapsed);
        }
        if (find(failure, UnknownHostException.class) != null) {
            return new Failure(Kind.UNKNOWN_HOST, "host " + where + " does not resolve", elapsed);
        }
        if (find(failure, SSLException.class) != null && find(failure, CertificateException.class) != null) {
            // The handshake reached the certificate and refused it: untrusted, expired or for another
            // host. Bytes that are not TLS at all stay a connection error, below.
            return new Failure(
                    Kind.TLS_FAILED,
                    "the TLS certificate of " + where + " was refused: "
                            + scrub(find(failure, CertificateException.class).getMessage(), secrets),
                    elapsed);
        }
        if (find(failure, TimeoutException.class) != null
                || find(failure, SocketTimeoutException.class) != null
                || find(failure, InterruptedByTimeoutException.class) != null) {
            String stage = headersReceived ? "the body did not finish" : "no response";
            return new Failure(
                    Kind.TIMEOUT,
                    stage + " from " + where + " within the deadline of " + deadlineMillis + " ms",
                    elapsed);
        }
        if (find(failure, HttpResponseException.class) != null) {
            // The receiver's bytes are not an HTTP response: a head larger than the bound, a malformed
            // status line or header. The receiver's fault, not the engine's, and perhaps a passing
            // one: a connection error, retried, rather than a local error.
            return new Failure(
                    Kind.CONNECTION_FAILED,
                    "the response from " + where + " is not valid HTTP: " + protocolViolation(failure, secrets),
                    elapsed);
        }
        if (find(failure, IOException.class) != null) {
            return new Failure(
                    Kind.CONNECTION_FAILED,
                    "connection to " + where + " failed: " + summary(failure, secrets),
                    elapsed);
        }
        return new Failure(Kind.LOCAL_ERROR, "request to " + where + " failed: " + summary(failure, secrets), elapsed);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * What Jetty's parser refused, in Jetty's own words ("Response Header Bytes
     * Too Large", "Bad Response"...), which name the rule broken, not the receiver's bytes.
     */
    private static String protocolViolation(Throwable failure, List<String> secrets) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof HttpException http && http.getReason() != null) {
                return scrub(http.getReason(), secrets);
            }
        }
        return summary(failure, secrets);
    }

    /** The innermost cause's type and message, scrubbed of the request's header values. */
    private static String summary(Throwable failure, List<String> secrets) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable root = failure;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 16) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return scrub(text, secrets);
    }

    /**
     * Removes every header value of the request (and every longer word inside one) from a message.
     * Exception texts are not ours to control; a library that echoes a header in an error must not
     * put a bearer token into the event log.
     */
    static String scrub(String message, List<String> secrets) {
        if (message == null) {
            return "";
        }
        String text = message;
        for (String secret : secrets) {
            text = text.replace(secret, "<redacted>");
        }
        return text.length() > MAX_MESSAGE_LENGTH ? text.substring(0, MAX_MESSAGE_LENGTH) + "..." : text;
    }

    private static List<String> secretsOf(OutboundRequest request) {
        List<String> secrets = new ArrayList<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String value = header.getValue();
            if (value == null || value.isBlank()) {
                continue;
            }
            secrets.add(value);
            for (String word : value.split("[\\s,;=:]+")) {
                if (word.length() >= 6) {
                    secrets.add(word);
                }
            }
        }
        // Longest first, so a whole value is replaced before the words inside it.
        secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return secrets;
    }
}
