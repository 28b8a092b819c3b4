package dev.hookengine.spi;

import java.time.Duration;

/**
 * Where the bytes of a file delivery come from ({@code deliveryMode} {@code binary_multipart} or
 * {@code json_base64}): turns an {@link Attachment}, as the event's payload describes it, into a
 * stream with a file name, a content type and, when known, a length.
 *
 * <p><b>The default</b> ({@link dev.hookengine.delivery.TransportAttachmentSource}) fetches the
 * attachment's {@code url} with a GET through the engine's own {@link HttpTransport}, so the SSRF guard
 * that protects deliveries protects these fetches too. Implement this interface to read files from
 * your own storage instead (an {@code s3ref} with your bucket's credentials, say) and hand it to
 * {@code WebhookEngine.builder().attachmentSource(...)}.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@link #open} is called on a delivery thread, once per attachment per attempt (again on a
 *       retry), and may block until the bytes can start to flow; it must return or throw within
 *       {@code deadline}. The stream it returns is read once, and closed by the engine.</li>
 *   <li>Bytes past {@code maxBytes} are never sent: the engine counts what it reads and fails the
 *       attempt with {@code ATTACHMENT_TOO_LARGE}. A source that knows the size beforehand should
 *       refuse at once ({@link AttachmentException.Problem#TOO_LARGE}) rather than stream to the cap.</li>
 *   <li>Any failure is an {@link AttachmentException}: the attempt fails with its code, nothing is sent
 *       to the receiver. Any other exception counts as a retryable {@code ATTACHMENT_UNAVAILABLE}.</li>
 *   <li>Implementations are thread-safe; the organization is passed so that a multi-tenant source
 *       reads only that tenant's files.</li>
 * </ul>
 */
public interface AttachmentSource {

    /**
     * Opens {@code attachment}'s bytes for a delivery of organization {@code orgId}.
     *
     * @param maxBytes the most bytes the engine sends of one attachment
     * @param deadline how long opening and reading the bytes may take, from now
     * @throws AttachmentException when the bytes cannot be had
     */
    AttachmentContent open(String orgId, Attachment attachment, long maxBytes, Duration deadline);
}
