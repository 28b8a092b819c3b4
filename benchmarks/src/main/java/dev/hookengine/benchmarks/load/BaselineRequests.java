package dev.hookengine.benchmarks.load;

import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.model.HttpMethod;
import dev.hookengine.signing.Ed25519KeyPair;
import dev.hookengine.signing.HmacKey;
import dev.hookengine.signing.SigningSecrets;
import dev.hookengine.signing.WebhookHeaders;
import dev.hookengine.signing.WebhookSigner;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.testing.TestReceiver;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The requests of the baseline run, made before it starts: for each sequence number, the body the
 * engine would send, signed the way it signs ({@code v1a} with an organization's Ed25519 key and
 * {@code v1} with a config's HMAC secret, keys of the engine's sizes) and with its headers. Sent straight
 * through the transport, they cost what the engine's requests cost on the wire, and nothing of the
 * engine's own work.
 */
final class BaselineRequests {

    private BaselineRequests() {}

    /** Requests for sequence numbers {@code first} to {@code first + events - 1}, event {@code i} to {@code targets[i % size]}. */
    static List<OutboundRequest> build(
            List<LoadTarget> targets, LoadPayloads payloads, TestReceiver receiver, long first, int events) {
        SecureRandom random = new SecureRandom();
        WebhookSigner signer = new WebhookSigner();
        Map<String, Ed25519KeyPair> orgKeys = new HashMap<>();
        Map<LoadTarget, HmacKey> secrets = new HashMap<>();
        for (LoadTarget target : targets) {
            orgKeys.computeIfAbsent(target.orgId(), org -> Ed25519KeyPair.generate(random));
            secrets.put(
                    target,
                    HmacKey.fromSecret(
                            SigningSecrets.generate(random, WebhookEngineBuilder.DEFAULT_SIGNING_SECRET_BYTES)));
        }
        List<OutboundRequest> requests = new ArrayList<>(events);
        Instant now = Instant.now();
        for (int i = 0; i < events; i++) {
            LoadTarget target = targets.get(i % targets.size());
            String eventId = UUID.randomUUID().toString();
            // a config id of the engine's length (16), so that the body has the engine's size
            String configId = String.format("loadcfg%09d", i % targets.size());
            byte[] body = payloads.body(
                    target, configId, first + i, now, UUID.randomUUID().toString());
            long timestamp = now.getEpochSecond();
            String signature = signer.sign(
                    eventId, timestamp, body, List.of(orgKeys.get(target.orgId())), List.of(secrets.get(target)));
            List<Map.Entry<String, String>> headers = List.of(
                    Map.entry("Content-Type", "application/json"),
                    Map.entry(WebhookHeaders.ID, eventId),
                    Map.entry(WebhookHeaders.TIMESTAMP, Long.toString(timestamp)),
                    Map.entry(WebhookHeaders.SIGNATURE, signature));
            requests.add(new OutboundRequest(
                    HttpMethod.POST,
                    URI.create(receiver.url(target.path())),
                    headers,
                    body,
                    WebhookEngineBuilder.DEFAULT_ATTEMPT_DEADLINE,
                    null));
        }
        return requests;
    }
}
