package dev.hookengine.http;

import dev.hookengine.model.HttpMethod;
import dev.hookengine.spi.MultipartBody;
import dev.hookengine.spi.OutboundRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.content.InputStreamContentSource;

/**
 * Turns an {@link OutboundRequest} into the Jetty {@link Request} that sends exactly what the engine
 * asked for: its method, its headers in their order (its own {@code User-Agent} instead of the
 * client's, if it names one), its body bytes or its multipart form (none for GET and HEAD), no redirect followed, and its
 * deadline as Jetty's total timeout. Headers are checked before anything is built, so that a value
 * cannot smuggle in a header of its own.
 */
final class JettyRequests {

    private JettyRequests() {}

    /**
     * Why {@code headers} cannot be sent, if they cannot: header names must be tokens and values free of
     * CR, LF and NUL (no header injection). The reason names the header, never its value.
     */
    static Optional<String> invalidHeader(List<Map.Entry<String, String>> headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.get(i).getKey();
            String value = headers.get(i).getValue();
            if (name == null || name.isEmpty() || !name.chars().allMatch(JettyRequests::isTokenChar)) {
                return Optional.of("header " + (i + 1) + " has an invalid name");
            }
            if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                return Optional.of("header '" + name + "' has an invalid value");
            }
        }
        return Optional.empty();
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /**
     * A multipart body as Jetty streams it: text fields from memory, each file read from its stream as
     * the request is sent. Jetty picks the boundary and sets the request's {@code Content-Type}. Names,
     * file names and content types come from configs and payloads: control characters in them are
     * replaced, so that none can break the part's headers.
     */
    static MultiPartRequestContent multipart(MultipartBody body) {
        MultiPartRequestContent content = new MultiPartRequestContent();
        for (MultipartBody.Part part : body.parts()) {
            if (part instanceof MultipartBody.Field field) {
                HttpFields fields = field.contentType() == null
                        ? HttpFields.EMPTY
                        : HttpFields.build().put(HttpHeader.CONTENT_TYPE, headerSafe(field.contentType()));
                content.addPart(new MultiPart.ByteBufferPart(
                        headerSafe(field.name()), null, fields, ByteBuffer.wrap(field.value())));
            } else {
                MultipartBody.File file = (MultipartBody.File) part;
                content.addPart(new MultiPart.ContentSourcePart(
                        headerSafe(file.name()),
                        headerSafe(file.filename()),
                        HttpFields.build().put(HttpHeader.CONTENT_TYPE, headerSafe(file.contentType())),
                        new InputStreamContentSource(file.content())));
            }
        }
        content.close();
        return content;
    }

    private static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> safe.appendCodePoint(c < 0x20 || c == 0x7f ? '_' : c));
        return safe.toString();
    }

    /** The request to {@code target} on {@code client}, routed through its proxy if it names one. */
    static Request build(
            HttpClient client, ProxyRoutes proxies, OutboundRequest outbound, HttpTarget target, long deadlineMillis) {
        Request request = client.newRequest(target.uri())
                .method(outbound.method().wireName())
                .followRedirects(false)
                .timeout(deadlineMillis, TimeUnit.MILLISECONDS);
        if (outbound.proxy() != null) {
            request.tag(proxies.tagFor(outbound.proxy()));
        }
        boolean ownUserAgent =
                outbound.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("User-Agent"));
        request.headers(fields -> {
            if (ownUserAgent) {
                fields.remove(HttpHeader.USER_AGENT);
            }
            for (Map.Entry<String, String> header : outbound.headers()) {
                fields.add(header.getKey(), header.getValue());
            }
        });
        if (outbound.method() != HttpMethod.GET && outbound.method() != HttpMethod.HEAD) {
            request.body(
                    outbound.multipart() != null
                            ? multipart(outbound.multipart())
                            : new BytesRequestContent(outbound.body()));
        }
        return request;
    }
}
