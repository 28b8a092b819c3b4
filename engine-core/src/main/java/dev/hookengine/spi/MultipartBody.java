package dev.hookengine.spi;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * A {@code multipart/form-data} request body the transport encodes and streams: text fields, held in
 * memory, and file parts read from their streams while the request is sent, so that a large file is
 * never held whole in memory. The transport chooses the boundary and sets the request's
 * {@code Content-Type} ({@code multipart/form-data; boundary=...}).
 *
 * @param parts the parts, in the order they are sent
 */
public record MultipartBody(List<Part> parts) implements AutoCloseable {

    public MultipartBody {
        parts = List.copyOf(parts);
    }

    /** One form part. */
    public sealed interface Part permits Field, File {
        /** The part's form field name. */
        String name();
    }

    /**
     * A text field.
     *
     * @param contentType its content type, or {@code null} for none (a plain form field)
     */
    public record Field(String name, String contentType, byte[] value) implements Part {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A file, streamed.
     *
     * @param filename    the file name the part's {@code Content-Disposition} carries
     * @param contentType the part's content type
     * @param content     the bytes, read once while the request is sent, closed by whoever made the body
     */
    public record File(String name, String filename, String contentType, InputStream content) implements Part {
        public File {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(content, "content");
        }
    }

    /** Closes every file part's stream, sent or not. */
    @Override
    public void close() {
        for (Part part : parts) {
            if (part instanceof File file) {
                try {
                    file.content().close();
                } catch (java.io.IOException | RuntimeException ignored) {
                    // nothing left to do with this stream
                }
            }
        }
    }
}
