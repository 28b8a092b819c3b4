package dev.hookengine.server.internal;

import dev.hookengine.model.ErrorResp;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Makes every error body the web server writes itself the spec's {@code ErrorResp} as
 * {@code application/json}, like the routes' own errors: Jetty answers some requests before any
 * route sees them (a request line or path encoding it cannot parse, 400; a URI over its limit, 414;
 * a header block over its limit, 431; an HTTP version it does not speak, 505), and by default it
 * writes an HTML page for those.
 *
 * <p>Two handlers, because Jetty has two places that write such pages: the server's, for requests it
 * refuses while parsing them, and the servlet context's, for errors raised inside the context that
 * Javalin runs in. Both write the same body for every status and every method (Jetty's default
 * writes none for methods other than GET, POST and HEAD).
 *
 * <p>The message is the status's reason phrase ({@code URI Too Long}), never Jetty's detail: that
 * may quote the request, and a request may carry a secret.
 */
public final class JsonErrorPages {

    private final ApiJson json;

    public JsonErrorPages(ApiJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /** Installs the handler for the requests {@code server} refuses while parsing them. */
    public void install(Server server) {
        server.setErrorHandler(new ForServer());
    }

    /** Installs the handler for errors raised inside {@code context}, where Javalin runs. */
    public void install(ServletContextHandler context) {
        context.setErrorHandler(new ForServletContext());
    }

    /** The body of an error answer with {@code status}. */
    byte[] body(int status) {
        String reason = HttpStatus.getMessage(status);
        return json.write(new ErrorResp(reason == null ? "HTTP " + status : reason));
    }

    private void writeJson(Response response, int status, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status)), callback);
    }

    private final class ForServer extends ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(
                Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            writeJson(response, code, callback);
        }
    }

    private final class ForServletContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(
                Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            writeJson(response, code, callback);
        }
    }
}
