package dev.hookengine.delivery;

import dev.hookengine.model.HttpMethod;
import dev.hookengine.spi.Attachment;
import dev.hookengine.spi.AttachmentContent;
import dev.hookengine.spi.AttachmentException;
import dev.hookengine.spi.AttachmentException.Problem;
import dev.hookengine.spi.AttachmentSource;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.StreamedResponse;
import dev.hookengine.spi.TransportResult;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link AttachmentSource}: a GET of the attachment's {@code url} (or {@code public_url})
 * through the engine's own {@link HttpTransport}, so that the transport's SSRF guard, its refusal of
 * redirects and its deadline apply to fetched files exactly as to deliveries. Nothing but the URL is
 * sent: no credentials, no headers of the config (a signed URL carries its own).
 *
 * <p>What fails how (the code the attempt records; see {@link AttachmentException}):
 * <ul>
 *   <li>no {@code url}, a URL that is not absolute {@code http(s)}, or one the guard refuses:
 *       {@code ATTACHMENT_UNAVAILABLE}, not retried (a later attempt would fetch the same URL);</li>
 *   <li>a timeout, a connection failure, or any status but 2xx (redirects are not followed):
 *       {@code ATTACHMENT_UNAVAILABLE}, retried like a receiver that cannot be reached;</li>
 *   <li>a {@code Content-Length} over the cap: {@code ATTACHMENT_TOO_LARGE} at once, nothing read;
 *       without one, the engine's count stops the stream at the cap with the same code.</li>
 * </ul>
 */
public final class TransportAttachmentSource implements AttachmentSource {

    /** Past the deadline, how long to wait for a transport that should have answered by then. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final HttpTransport transport;

    public TransportAttachmentSource(HttpTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public AttachmentContent open(String orgId, Attachment attachment, long maxBytes, Duration deadline) {
        URI url = urlOf(attachment);
        StreamedResponse response = fetch(url, deadline);
        if (response.head() instanceof TransportResult.Failure failure) {
            throw new AttachmentException(
                    Problem.UNAVAILABLE,
                    failure.kind().isRetryable(),
                    "attachment " + describe(attachment, url) + " could not be fetched: " + failure.message());
        }
        TransportResult.Response head = (TransportResult.Response) response.head();
        if (head.status() / 100 != 2) {
            response.close();
            throw new AttachmentException(
                    Problem.UNAVAILABLE,
                    true,
                    "attachment " + describe(attachment, url) + " could not be fetched: its server answered "
                            + head.status());
        }
        long length = contentLength(head);
        if (length > maxBytes) {
            response.close();
            throw new AttachmentException(
                    Problem.TOO_LARGE,
                    false,
                    "attachment " + describe(attachment, url) + " is " + length + " bytes, over the limit of "
                            + maxBytes);
        }
        String contentType = attachment.mimeType() != null
                ? attachment.mimeType()
                : head.header("content-type") != null ? head.header("content-type") : "application/octet-stream";
        return new AttachmentContent(filenameOf(attachment, url), contentType, length, response.body());
    }

    private StreamedResponse fetch(URI url, Duration deadline) {
        OutboundRequest request = new OutboundRequest(HttpMethod.GET, url, List.of(), new byte[0], deadline, null);
        try {
            return transport.stream(request).get(deadline.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttachmentException(Problem.UNAVAILABLE, true, "interrupted while fetching an attachment");
        } catch (Exception e) {
            throw new AttachmentException(
                    Problem.UNAVAILABLE, true, "the transport did not answer within the attachment deadline");
        }
    }

    private static URI urlOf(Attachment attachment) {
        if (attachment.url() == null) {
            throw new AttachmentException(
                    Problem.UNAVAILABLE,
                    false,
                    "attachment " + describe(attachment, null) + " has no url (or public_url) to fetch it from");
        }
        try {
            URI url = URI.create(attachment.url());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new AttachmentException(
                    Problem.UNAVAILABLE,
                    false,
                    "attachment " + describe(attachment, null) + " has a url that is not an absolute http(s) URL");
        }
    }

    private static long contentLength(TransportResult.Response head) {
        String value = head.header("content-length");
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The attachment's file name, else the URL's last path segment, else {@code file}. */
    private static String filenameOf(Attachment attachment, URI url) {
        if (attachment.filename() != null) {
            return attachment.filename();
        }
        String path = url.getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? "file" : last;
    }

    /** How a message names the attachment: its file name, else its host; never the URL's path or query, which may be signed. */
    private static String describe(Attachment attachment, URI url) {
        if (attachment.filename() != null) {
            return "'" + attachment.filename() + "'";
        }
        return url != null && url.getHost() != null ? "from " + url.getHost() : "(unnamed)";
    }
}
