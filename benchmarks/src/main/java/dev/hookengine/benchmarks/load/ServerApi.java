package dev.hookengine.benchmarks.load;

import java.util.List;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The standalone server's API as the harness's one organization sees it, through its token, on each of
 * a run's server processes: publishes spread round-robin over them, reads from the first (they share
 * one store).
 */
record ServerApi(LoadClient client, String token, List<ServerNode> nodes) {

    static final String PUBLISH = "/v1/webhooks/events";

    /** {@code POST /v1/webhooks/events} of event {@code index} of a phase, to process {@code index % nodes}. */
    Request publish(int index, byte[] body) {
        return client.request(HttpMethod.POST, nodes.get(index % nodes.size()).uri(PUBLISH), token, body);
    }

    /** {@code GET path} on the first process, waited for. */
    LoadClient.Answer get(String path) throws InterruptedException {
        return client.exchange(client.request(HttpMethod.GET, nodes.get(0).uri(path), token, null));
    }
}
