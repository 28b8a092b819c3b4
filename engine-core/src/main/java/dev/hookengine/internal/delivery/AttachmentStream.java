package dev.hookengine.internal.delivery;

import dev.hookengine.spi.AttachmentException;
import dev.hookengine.spi.AttachmentException.Problem;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An attachment's stream as the engine reads it: counted against the size cap whatever its source
 * declared, and remembering why it broke off, if it did. A multipart body is read by the transport
 * while it sends, where a failure can only end the exchange; {@link #problem()} lets the attempt
 * record the attachment's code instead of the transport's.
 */
final class AttachmentStream extends FilterInputStream {

    private final String name;
    private final long maxBytes;
    private long count;
    /** Written by the transport's thread that reads, read by the attempt's thread after the exchange. */
    private volatile AttachmentException problem;

    /** @param name how messages name the attachment */
    AttachmentStream(InputStream in, String name, long maxBytes) {
        super(in);
        this.name = name;
        this.maxBytes = maxBytes;
    }

    /** Why reading stopped short, or {@code null}. */
    AttachmentException problem() {
        return problem;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (problem != null) {
            throw new IOException(problem.getMessage());
        }
        int n;
        try {
            // The cause's message is left out of the record: it may quote a signed URL. One byte more than the cap
            // allows is enough to tell that the file is over it.
            n = in.read(buffer, offset, (int) Math.min(length, maxBytes - count + 1));
        } catch (IOException | RuntimeException e) {
            problem = new AttachmentException(
                    Problem.UNAVAILABLE,
                    true,
                    "reading attachment " + name + " broke off (" + e.getClass().getSimpleName() + ")");
            throw new IOException(problem.getMessage(), e);
        }
        if (n > 0) {
            count += n;
            if (count > maxBytes) {
                problem = new AttachmentException(
                        Problem.TOO_LARGE,
                        false,
                        "attachment " + name + " is over the limit of " + maxBytes + " bytes");
                throw new IOException(problem.getMessage());
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("an attachment is read, not skipped");
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
