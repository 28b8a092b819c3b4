package dev.hookengine.delivery;

import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A receiver on 127.0.0.1 that either never answers (holding every request until it stops), or,
 * given a latch, answers 200 at once and counts the latch down per request.
 */
final class HoldingReceiver implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    /** Never answers. */
    HoldingReceiver() throws Exception {
        this(null);
    }

    HoldingReceiver(CountDownLatch answered) throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (answered == null) {
                    return true; // hold: neither respond nor complete the callback
                }
                response.setStatus(200);
                callback.succeeded();
                answered.countDown();
                return true;
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/hook";
    }

    @Override
    public void close() throws Exception {
        // No graceful wait: a held request never completes, and the test is done with it.
        server.setStopTimeout(0);
        server.stop();
    }
}
