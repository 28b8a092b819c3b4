package dev.hookengine.store.tck;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hookengine.OutcomeCode;
import dev.hookengine.model.Auth;
import dev.hookengine.model.BasicAuthConfig;
import dev.hookengine.model.ConfigStatus;
import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.ReapplyTransformReason;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Test data for {@link WebhookStoreContract}: configs, events, jobs, attempts and keys with every
 * timestamp at millisecond precision, derived from the fixed instant {@link #T0} (never from the
 * wall clock), so that a store that compares or round-trips timestamps can be checked exactly.
 */
public final class StoreFixtures {

    /** The instant every fixture timestamp is an offset of. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The organization most tests write to. */
    public static final String ORG_A = "org-a";

    /** A second organization, for isolation tests. */
    public static final String ORG_B = "org-b";

    /**
     * The listing order of {@code EventStore#searchEvents}, computed here independently of any
     * store: {@code created_at} descending, then {@code event_id} descending.
     */
    public static final Comparator<WebhookEvent> NEWEST_FIRST = Comparator.comparing(WebhookEvent::createdAt)
            .thenComparing(WebhookEvent::eventId)
            .reversed();

    private StoreFixtures() {}

    /** {@link #T0} plus {@code millis} milliseconds. */
    public static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    /**
     * A config with most fields set, secrets included, created and updated at {@code createdAt}.
     */
    public static WebhookConfig config(String id, String eventName, Instant createdAt) {
        return WebhookConfig.builder()
                .id(id)
                .name("config " + id)
                .eventName(eventName)
                .eventVersion("1.0")
                .url("https://receiver.example.com/hooks/" + id + "?token={{ env.TOKEN }}")
                .creationTime(createdAt)
                .updatedTime(createdAt)
                .httpMethod(HttpMethod.POST)
                .enabled(true)
                .auth(Auth.basic(new BasicAuthConfig("user-" + id, Secret.of("password-" + id), false)))
                .isProtected(false)
                .status(ConfigStatus.ACTIVE)
                .jsonataExpression("{ \"id\": metadata.webhook_id }")
                .retryPolicy(RetryPolicy.DEFAULT)
                .manifest(List.of("manifest-1"))
                .signingSecret(Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" + id))
                .build();
    }

    /** A minimal event: ids, organization, config, creation time, status and a payload. */
    public static WebhookEvent event(
            String orgId, String eventId, String configId, Instant createdAt, EventStatus status) {
        return WebhookEvent.builder()
                .eventId(eventId)
                .orgId(orgId)
                .webhookConfigId(configId)
                .url("https://receiver.example.com/hooks/" + configId)
                .createdAt(createdAt)
                .eventName("order.created")
                .status(status)
                .httpMethod(HttpMethod.POST)
                .payload("{\"event\":\"" + eventId + "\"}")
                .retryAttempt(0)
                .build();
    }

    /** An event with every field set, including a JSON response body and extra metadata. */
    public static WebhookEvent fullEvent(String orgId, String eventId, String configId, Instant createdAt) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", "upstream unavailable");
        body.putArray("details").add("a").add("b");
        Metadata metadata = Metadata.builder()
                .action("created")
                .origin("api")
                .creationTimestamp("2025-12-31T23:59:59.123Z")
                .webhookId(configId)
                .webhookName("config " + configId)
                .organizationId(orgId)
                .userId("user-7")
                .correlationId("corr-" + eventId)
                .additionalProperties(Map.of("tenant_tier", JsonNodeFactory.instance.textNode("gold")))
                .build();
        return event(orgId, eventId, configId, createdAt, EventStatus.FAILED).toBuilder()
                .httpResponse(new EventHttpResponse(503, null, body, null))
                .metadata(metadata)
                .httpMethod(HttpMethod.PUT)
                .payload("{\"id\":\"" + eventId + "\",\"total\":12.5}")
                .originalPayload("{\"entity\":{\"id\":\"" + eventId + "\"}}")
                .retryAttempt(2)
                .canReapplyTransform(true)
                .canReapplyTransformReason(ReapplyTransformReason.AVAILABLE)
                .build();
    }

    /** A job of {@code event}, first queued at the event's creation time. */
    public static DeliveryJob job(String jobId, WebhookEvent event, int attempt, Instant dueAt) {
        return new DeliveryJob(
                jobId, event.orgId(), event.eventId(), event.webhookConfigId(), attempt, dueAt, event.createdAt());
    }

    /**
     * An attempt of an event that lasted 250 ms: with a status, the receiver's answer as its response
     * excerpt; without one, a refused connection, which has no response.
     */
    public static DeliveryAttempt attempt(
            String orgId, String eventId, int number, Instant startedAt, Integer statusCode) {
        return new DeliveryAttempt(
                orgId,
                eventId,
                number,
                startedAt,
                startedAt.plusMillis(250),
                statusCode,
                statusCode == null ? OutcomeCode.CONNECTION_ERROR.code() : null,
                statusCode == null ? "connection refused" : null,
                statusCode == null ? null : "{\"answer\": " + statusCode + ", \"attempt\": " + number + "}");
    }

    /** A current key ({@code expiresAt == null}) with key material derived from its id. */
    public static SigningKey signingKey(String orgId, String keyId, Instant createdAt) {
        return new SigningKey(
                orgId,
                keyId,
                base64Of32("public:" + keyId),
                Secret.of(base64Of32("private:" + keyId)),
                createdAt,
                null);
    }

    /** {@code key} as a rotated-out key that stops signing at {@code expiresAt}. */
    public static SigningKey expiring(SigningKey key, Instant expiresAt) {
        return new SigningKey(key.orgId(), key.keyId(), key.publicKey(), key.privateKey(), key.createdAt(), expiresAt);
    }

    /** Whether {@code event} lies strictly after {@code cursor} in the listing order. */
    public static boolean isAfter(WebhookEvent event, EventCursor cursor) {
        int byTime = event.createdAt().compareTo(cursor.createdAt());
        return byTime < 0 || (byTime == 0 && event.eventId().compareTo(cursor.eventId()) < 0);
    }

    private static String base64Of32(String seed) {
        byte[] bytes = new byte[32];
        byte[] source = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (source[i % source.length] + i);
        }
        return Base64.getEncoder().encodeToString(bytes);
    }
}
