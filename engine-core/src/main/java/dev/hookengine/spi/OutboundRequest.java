package dev.hookengine.spi;

import dev.hookengine.model.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request the engine wants sent: a webhook delivery or an OAuth token request.
 *
 * @param method   the method; GET and HEAD are sent without a body
 * @param url      an absolute {@code http} or {@code https} URL, references already resolved
 * @param headers  header name and value pairs, in order; a name may repeat
 * @param body     the exact bytes to send, or an empty array
 * @param deadline the whole exchange (connect, send, response headers and body) must end within this
 * @param proxy    send through this proxy instead of connecting directly, or {@code null}
 * @param multipart a {@code multipart/form-data} body to stream instead of {@code body} (which is then
 *                  empty), or {@code null}: only file deliveries ({@code binary_multipart}) have one
 */
public record OutboundRequest(
        HttpMethod method,
        URI url,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        Duration deadline,
        ProxyAddress proxy,
        MultipartBody multipart) {

    public OutboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(deadline, "deadline");
        if (multipart != null && body.length > 0) {
            throw new IllegalArgumentException("a request has either body bytes or a multipart body, not both");
        }
    }

    /** A request whose body is {@code body}, the exact bytes to send. */
    public OutboundRequest(
            HttpMethod method,
            URI url,
            List<Map.Entry<String, String>> headers,
            byte[] body,
            Duration deadline,
            ProxyAddress proxy) {
        this(method, url, headers, body, deadline, proxy, null);
    }

    /** Only the method and URL: headers can hold credentials, and the body customer data. */
    @Override
    public String toString() {
        return "OutboundRequest[" + method + " " + url.getScheme() + "://" + url.getHost()
                + (url.getPort() >= 0 ? ":" + url.getPort() : "") + url.getRawPath() + "]";
    }
}
