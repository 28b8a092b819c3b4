package dev.hookengine.testing;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * How a {@link TestReceiver} answers a request: a fixed {@link Answer}, the receiver's script of
 * answers (its default), or a test's own code on Jetty's request and response.
 *
 * <p>Contract: {@link #respond} runs on one of the receiver's server threads, which it may block (to
 * stall a response, or wait for {@link TestReceiver#awaitRelease()}). When it returns, the response is
 * complete as written: the status it set (200 if none), the headers it put, the body it wrote (empty if
 * none). A behaviour still running when the receiver closes leaves its request unanswered: the
 * connection is closed under it. When the receiver records requests, the request's body has been read
 * into the {@link Received} already; a behaviour that reads the body itself belongs on a receiver that
 * does not record.
 */
@FunctionalInterface
public interface Behaviour {

    /**
     * Answers one request.
     *
     * @throws Exception to fail the exchange; Jetty answers 500 if nothing was sent yet, else closes the connection
     */
    void respond(Request request, Response response, TestReceiver receiver) throws Exception;
}
