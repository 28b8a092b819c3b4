package dev.hookengine.server.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web console's files ({@code GET /console}, {@code GET /console/{file}}): a fixed set of
 * classpath resources under {@value #RESOURCE_DIR}, read once, served without a token. The console
 * is a client of the public API like any other: its scripts call the API routes with the bearer
 * token the user signs in with, so serving the files themselves reveals nothing.
 *
 * <p>Every answer carries the headers that make the page safe with attacker-controlled data in it
 * (payloads and receivers' responses): a Content-Security-Policy that allows scripts, styles and
 * connections from this origin only (no inline script or style, no {@code eval}), no framing, no
 * MIME sniffing, no referrer. The files are a list rather than a directory listing so that nothing
 * else on the classpath can be fetched through this route.
 */
public final class ConsoleFiles {

    /** Where the console's files live on the classpath. */
    public static final String RESOURCE_DIR = "/dev/hookengine/server/console/";

    /**
     * The policy of every console answer. {@code form-action 'none'}: the console's forms are handled
     * by script and never submitted; {@code img-src 'self'}: a payload's {@code <img>} could not load
     * anything even if it were ever parsed as HTML.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "api.js", "text/javascript; charset=utf-8",
            "dom.js", "text/javascript; charset=utf-8",
            "screens.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> contents;

    public ConsoleFiles() {
        Map<String, byte[]> read = new LinkedHashMap<>();
        for (String name : FILES.keySet()) {
            read.put(name, resource(name));
        }
        this.contents = Map.copyOf(read);
    }

    /** {@code GET /console}: the page. */
    public void index(Context ctx) {
        serve(ctx, "index.html");
    }

    /** {@code GET /console/{file}}: one of the page's files, 404 for any other name. */
    public void file(Context ctx) {
        serve(ctx, ctx.pathParam("file"));
    }

    private void serve(Context ctx, String name) {
        securityHeaders(ctx);
        byte[] body = contents.get(name);
        if (body == null) {
            throw new ApiError(404, "No such console file");
        }
        ctx.contentType(FILES.get(name)).result(body);
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        // For browsers that predate frame-ancestors.
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        // The files change with the server's version; a stale script against a newer API helps no one.
        ctx.header("Cache-Control", "no-cache");
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing console resource " + RESOURCE_DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
