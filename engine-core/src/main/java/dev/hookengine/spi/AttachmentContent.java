package dev.hookengine.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An attachment's bytes, opened by an {@link AttachmentSource} and not yet read: the engine reads
 * {@link #stream()} once, while it sends the delivery (or, for {@code json_base64}, just before), and
 * closes it whatever happens.
 *
 * @param filename    the file name the receiver sees
 * @param contentType the content type the receiver sees
 * @param length      the length in bytes when known in advance, else {@code -1}
 * @param stream      the bytes; reading past the engine's size cap fails the attempt with
 *                    {@code ATTACHMENT_TOO_LARGE} whatever {@code length} said
 */
public record AttachmentContent(String filename, String contentType, long length, InputStream stream)
        implements AutoCloseable {

    public AttachmentContent {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(stream, "stream");
    }

    /** Closes the stream; a failure to close is of no interest once the delivery is over. */
    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing left to do with this stream
        }
    }
}
