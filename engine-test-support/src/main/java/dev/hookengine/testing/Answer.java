package dev.hookengine.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One answer a receiver gives: a status, headers and a text body, or none at all ({@link #hold()}).
 * An answer is a {@link Behaviour} of its own (a receiver that always answers the same), and the unit
 * of a receiver's script ({@link TestReceiver#answer}).
 *
 * @param held no answer at all: the request stays open until the receiver closes
 */
public record Answer(int status, Map<String, String> headers, String body, boolean held) implements Behaviour {

    public Answer(int status, Map<String, String> headers, String body) {
        this(status, headers, body, false);
    }

    /** Never answers: the sender waits until its own deadline, or until it dies. */
    public static Answer hold() {
        return new Answer(0, Map.of(), "", true);
    }

    /** {@code status} with no body. */
    public static Answer of(int status) {
        return new Answer(status, Map.of(), "");
    }

    /** {@code status} with a JSON body. */
    public static Answer json(int status, String body) {
        return new Answer(status, Map.of("Content-Type", "application/json"), body);
    }

    /** {@code status} with a plain-text body. */
    public static Answer text(int status, String body) {
        return new Answer(status, Map.of("Content-Type", "text/plain"), body);
    }

    /**
     * Writes this answer as the whole response, blocking until it is written; for a behaviour that
     * adds to the response first (a header, say) and then answers.
     *
     * @throws IOException when the sender went away before the body was written
     */
    public void writeTo(Response response) throws IOException {
        if (held) {
            throw new IllegalStateException("a held answer writes nothing");
        }
        response.setStatus(status);
        headers.forEach((name, value) -> response.getHeaders().put(name, value));
        Content.Sink.write(response, true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void respond(Request request, Response response, TestReceiver receiver) throws Exception {
        if (held) {
            receiver.awaitClose();
        } else {
            writeTo(response);
        }
    }
}
