package dev.hookengine.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.DomainEvent;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.Secret;
import dev.hookengine.spi.EntityHydrator;
import dev.hookengine.spi.EntityUnavailableException;
import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.TransportResult;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link EntityHydrator} that fetches entities, and their relations, from an HTTP service of the
 * operator's: {@code GET} on URL templates such as {@code https://entities.internal/{orgId}/{schema}/{entityId}},
 * sent through an {@link HttpTransport} (give it the engine's {@link JettyHttpTransport}, and the
 * entity service gets the same SSRF guard, deadline and bounded reading as every delivery: a service
 * on a private address needs {@code allowPrivateTargets} or {@code allowAddresses} there).
 *
 * <p><b>Placeholders</b>, each replaced by its value, percent-encoded as a path segment:
 * {@code {orgId}} (the event's organization), {@code {eventName}}, and from the event's {@code entity}
 * (the spec's entities carry them): {@code {entityId}} (its {@code _id}) and {@code {schema}} (its
 * {@code _schema}). For relations, the entity is the one the payload carries (hydrated first when the
 * config asks for both). An entity without a value a template needs fails the hydration for good.
 *
 * <p><b>Answers.</b> The entity URL answers a JSON object, the entity; the relations URL a JSON array,
 * or an object whose {@code relations} is one. A 404 (or 410) is final: the entity is gone, and asking
 * again will not bring it back ({@code HYDRATION_ERROR}), as is any other 4xx, a body that is not what
 * is expected, one larger than {@code maxBytes}, or a destination the SSRF guard refuses. A timeout, a
 * connection error, 408, 429 or a 5xx may mend: they throw {@link EntityUnavailableException}, and the
 * engine makes the event's dispatch again later ({@code HYDRATION_UNAVAILABLE}).
 *
 * <p><b>Auth.</b> One header of its own (such as {@code Authorization: Bearer ...}), a {@link Secret}:
 * never in a message, log line or {@code toString}. Messages name the service by scheme, host, port and
 * path only, never the query.
 *
 * <p><b>Cache.</b> None here: the engine asks once per published event and form for each config that
 * needs it ({@code EventPayloads}), and keeping entities across events would deliver stale ones. A
 * dispatch made again after {@code HYDRATION_UNAVAILABLE} asks again, once per waiting event.
 *
 * <p>Without a relations URL, relations are what the event carries (as {@link EntityHydrator#PASS_THROUGH});
 * without an entity URL, so is the entity. Thread-safe; it blocks the publishing thread for at most
 * its deadline per call.
 */
public final class HttpEntityHydrator implements EntityHydrator {

    /** The placeholders a template may hold. */
    public static final Set<String> PLACEHOLDERS = Set.of("orgId", "eventName", "entityId", "schema");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpTransport transport;
    private final String entityUrl;
    private final String relationsUrl;
    private final String authHeaderName;
    private final Secret authHeaderValue;
    private final Duration deadline;
    private final int maxBytes;

    private HttpEntityHydrator(Builder builder) {
        this.transport = builder.transport;
        this.entityUrl = builder.entityUrl;
        this.relationsUrl = builder.relationsUrl;
        this.authHeaderName = builder.authHeaderName;
        this.authHeaderValue = builder.authHeaderValue;
        this.deadline = builder.deadline;
        this.maxBytes = builder.maxBytes;
    }

    /** A hydrator sending through {@code transport}, which its maker closes. */
    public static Builder builder(HttpTransport transport) {
        return new Builder(transport);
    }

    @Override
    public ObjectNode hydrateEntity(DomainEvent event) {
        if (entityUrl == null) {
            return EntityHydrator.PASS_THROUGH.hydrateEntity(event);
        }
        JsonNode entity = event.body().get("entity");
        JsonNode answer = fetch(expand(entityUrl, event, entity instanceof ObjectNode object ? object : null));
        if (answer instanceof ObjectNode object) {
            return object;
        }
        throw new IllegalStateException("the entity service answered " + kind(answer) + ", not a JSON object");
    }

    @Override
    public ArrayNode relations(DomainEvent event, ObjectNode entity) {
        if (relationsUrl == null) {
            return EntityHydrator.PASS_THROUGH.relations(event, entity);
        }
        JsonNode answer = fetch(expand(relationsUrl, event, entity));
        if (answer instanceof ArrayNode array) {
            return array;
        }
        if (answer instanceof ObjectNode object && object.get("relations") instanceof ArrayNode array) {
            return array;
        }
        throw new IllegalStateException("the relations service answered " + kind(answer)
                + ", not a JSON array (nor an object with a relations array)");
    }

    private JsonNode fetch(URI url) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(2);
        headers.add(Map.entry("Accept", "application/json"));
        if (authHeaderName != null) {
            headers.add(Map.entry(authHeaderName, authHeaderValue.reveal()));
        }
        OutboundRequest request = new OutboundRequest(HttpMethod.GET, url, headers, new byte[0], deadline, null);
        String where = request.toString()
                .substring("OutboundRequest[".length(), request.toString().length() - 1);
        TransportResult result;
        try {
            // The transport ends every exchange within its deadline; the grace only guards a broken one.
            result = transport.send(request).get(deadline.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EntityUnavailableException(where + ": interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new EntityUnavailableException(where + ": no answer within " + deadline.toMillis() + " ms");
        }
        if (result instanceof TransportResult.Failure failure) {
            String message = where + ": " + failure.kind() + " (" + failure.message() + ")";
            if (failure.kind().isRetryable()) {
                throw new EntityUnavailableException(message);
            }
            throw new IllegalStateException(message);
        }
        TransportResult.Response response = (TransportResult.Response) result;
        int status = response.status();
        if (status == 408 || status == 429 || status >= 500) {
            throw new EntityUnavailableException(where + " answered " + status);
        }
        if (status < 200 || status > 299) {
            throw new IllegalStateException(
                    where + " answered " + status + (status == 404 || status == 410 ? ": no such entity" : ""));
        }
        if (response.truncated() || response.body().length > maxBytes) {
            throw new IllegalStateException(where + " answered more than " + maxBytes + " bytes");
        }
        try {
            return MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(where + " answered a body that is not JSON");
        }
    }

    /** {@code template} with its placeholders replaced, each value percent-encoded. */
    private static URI expand(String template, DomainEvent event, ObjectNode entity) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case "orgId" -> event.orgId();
                case "eventName" -> event.eventName();
                case "entityId" -> text(entity, "_id");
                case "schema" -> text(entity, "_schema");
                default -> throw new IllegalStateException("unknown placeholder " + matcher.group());
            };
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException(
                        "the event's entity has no " + (matcher.group(1).equals("schema") ? "_schema" : "_id") + " for "
                                + matcher.group() + " of the hydration URL");
            }
            matcher.appendReplacement(
                    url,
                    Matcher.quoteReplacement(
                            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        matcher.appendTail(url);
        return URI.create(url.toString());
    }

    private static String text(ObjectNode entity, String field) {
        JsonNode value = entity == null ? null : entity.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static String kind(JsonNode answer) {
        return answer.isArray()
                ? "an array"
                : answer.isObject()
                        ? "an object"
                        : "a " + answer.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Never the auth header's value. */
    @Override
    public String toString() {
        return "HttpEntityHydrator[entityUrl=" + entityUrl + ", relationsUrl=" + relationsUrl + ", authHeader="
                + (authHeaderName == null ? "none" : authHeaderName + ": ****") + ", deadline=" + deadline
                + ", maxBytes=" + maxBytes + "]";
    }

    /** Builds an {@link HttpEntityHydrator}; {@link #build()} checks every setting. */
    public static final class Builder {
        /** Default deadline of one request to the entity service. */
        public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
        /** Default largest answer kept: the {@link JettyHttpTransport}'s default read limit. */
        public static final int DEFAULT_MAX_BYTES = 64 * 1024;

        private final HttpTransport transport;
        private String entityUrl;
        private String relationsUrl;
        private String authHeaderName;
        private Secret authHeaderValue;
        private Duration deadline = DEFAULT_DEADLINE;
        private int maxBytes = DEFAULT_MAX_BYTES;

        private Builder(HttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /** The entity's URL template; without one, the entity is the event's own. */
        public Builder entityUrl(String template) {
            this.entityUrl = template;
            return this;
        }

        /** The relations' URL template; without one, relations are the event's own. */
        public Builder relationsUrl(String template) {
            this.relationsUrl = template;
            return this;
        }

        /** A header sent with every request, such as {@code Authorization} and {@code Bearer ...}. */
        public Builder authHeader(String name, Secret value) {
            this.authHeaderName = Objects.requireNonNull(name, "name");
            this.authHeaderValue = Objects.requireNonNull(value, "value");
            return this;
        }

        /** The deadline of each request, connect to last byte; default 5 s. */
        public Builder deadline(Duration deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /** The largest answer taken, in bytes; a larger one fails the hydration. At most the transport reads. */
        public Builder maxBytes(int maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting at fault: no URL at all, a template that
         *                                  is not an absolute http(s) URL or names an unknown
         *                                  placeholder, a bad header, a deadline or size not positive
         */
        public HttpEntityHydrator build() {
            if (entityUrl == null && relationsUrl == null) {
                throw new IllegalArgumentException("entityUrl or relationsUrl is required");
            }
            checkTemplate("entityUrl", entityUrl);
            checkTemplate("relationsUrl", relationsUrl);
            if (authHeaderName != null) {
                if (!HEADER_NAME.matcher(authHeaderName).matches()) {
                    throw new IllegalArgumentException("authHeader: the name must be an HTTP header name");
                }
                String value = authHeaderValue.value().orElse("");
                if (value.isEmpty() || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                    throw new IllegalArgumentException(
                            "authHeader: the value must not be empty nor contain control characters");
                }
            }
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive");
            }
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
            return new HttpEntityHydrator(this);
        }

        private static void checkTemplate(String name, String template) {
            if (template == null) {
                return;
            }
            Matcher matcher = PLACEHOLDER.matcher(template);
            StringBuilder sample = new StringBuilder();
            while (matcher.find()) {
                if (!PLACEHOLDERS.contains(matcher.group(1))) {
                    throw new IllegalArgumentException(name + ": unknown placeholder " + matcher.group()
                            + "; known: {orgId}, {eventName}, {entityId}, {schema}");
                }
                matcher.appendReplacement(sample, "x");
            }
            matcher.appendTail(sample);
            URI uri;
            try {
                uri = new URI(sample.toString());
            } catch (Exception e) {
                throw new IllegalArgumentException(name + " is not a URL template: " + e.getMessage());
            }
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an absolute http(s) URL");
            }
        }
    }
}
