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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The requests of the baseline runs: for each sequence number, the body the engine would send (made
 * beforehand, as the engine has it stored when it delivers), its {@code webhook-id}, and the keys a
 * delivery signs with (an organization's Ed25519 key pair for {@code v1a}, a config's HMAC secret for
 * {@code v1}, of the engine's sizes). {@link #signed} signs one of them the way the engine does, on the
 * calling thread: the pre-signed baseline calls it for every request before it starts, the signing
 * baseline on its sending threads, with the timestamp of the send.
 */
final class BaselineRequests {

    private final WebhookSigner signer = new WebhookSigner();
    private final List<LoadTarget> targets;
    private final Map<String, Ed25519KeyPair> orgKeys;
    private final Map<LoadTarget, HmacKey> secrets;
    private final Map<LoadTarget, URI> urls;
    private final String[] eventIds;
    private final byte[][] bodies;

    private BaselineRequests(
            List<LoadTarget> targets,
            Map<String, Ed25519KeyPair> orgKeys,
            Map<LoadTarget, HmacKey> secrets,
            Map<LoadTarget, URI> urls,
            String[] eventIds,
            byte[][] bodies) {
        this.targets = targets;
        this.orgKeys = orgKeys;
        this.secrets = secrets;
        this.urls = urls;
        this.eventIds = eventIds;
        this.bodies = bodies;
    }

    /** Bodies and keys for sequence numbers {@code first} to {@code first + events - 1}, event {@code i} to {@code targets[i % size]}. */
    static BaselineRequests prepare(
            List<LoadTarget> targets, LoadPayloads payloads, TestReceiver receiver, long first, int events) {
        SecureRandom random = new SecureRandom();
        Map<String, Ed25519KeyPair> orgKeys = new HashMap<>();
        Map<LoadTarget, HmacKey> secrets = new HashMap<>();
        Map<LoadTarget, URI> urls = new HashMap<>();
        for (LoadTarget target : targets) {
            orgKeys.computeIfAbsent(target.orgId(), org -> Ed25519KeyPair.generate(random));
            secrets.put(
                    target,
                    HmacKey.fromSecret(
                            SigningSecrets.generate(random, WebhookEngineBuilder.DEFAULT_SIGNING_SECRET_BYTES)));
            urls.put(target, URI.create(receiver.url(target.path())));
        }
        String[] eventIds = new String[events];
        byte[][] bodies = new byte[events][];
        Instant now = Instant.now();
        for (int i = 0; i < events; i++) {
            LoadTarget target = targets.get(i % targets.size());
            eventIds[i] = UUID.randomUUID().toString();
            // a config id of the engine's length (16), so that the body has the engine's size
            String configId = String.format("loadcfg%09d", i % targets.size());
            bodies[i] = payloads.body(
                    target, configId, first + i, now, UUID.randomUUID().toString());
        }
        return new BaselineRequests(targets, orgKeys, secrets, urls, eventIds, bodies);
    }

    int size() {
        return bodies.length;
    }

    /**
     * Request {@code index}, signed now on this thread as a delivery signs it: {@code v1a} with its
     * organization's key pair, then {@code v1} with its config's secret, over {@code id.timestamp.body}.
     *
     * @param timestamp the {@code webhook-timestamp}, unix seconds
     */
    OutboundRequest signed(int index, long timestamp) {
        LoadTarget target = targets.get(index % targets.size());
        String signature = signer.sign(
                eventIds[index],
                timestamp,
                bodies[index],
                List.of(orgKeys.get(target.orgId())),
                List.of(secrets.get(target)));
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Content-Type", "application/json"),
                Map.entry(WebhookHeaders.ID, eventIds[index]),
                Map.entry(WebhookHeaders.TIMESTAMP, Long.toString(timestamp)),
                Map.entry(WebhookHeaders.SIGNATURE, signature));
        return new OutboundRequest(
                HttpMethod.POST,
                urls.get(target),
                headers,
                bodies[index],
                WebhookEngineBuilder.DEFAULT_ATTEMPT_DEADLINE,
                null);
    }
}
