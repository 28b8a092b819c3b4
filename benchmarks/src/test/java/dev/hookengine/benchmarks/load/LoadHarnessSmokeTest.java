package dev.hookengine.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.testing.TestReceiver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the load harness working: its smoke mode on the in-memory store, checked for exact delivery
 * counts, never for timing (CI machines are too noisy for that). The PostgreSQL runs are left to
 * {@code benchmarks/run-load.sh --smoke}: starting the database and warming the JDBC path alone
 * would take longer than this whole test.
 */
class LoadHarnessSmokeTest {

    @Test
    @Timeout(120)
    void everyRunDeliversEveryWebhookExactlyOnce() throws Exception {
        LoadReport report = LoadHarness.run(LoadOptions.parse("--smoke", "--no-postgres"));

        assertThat(report.measured())
                .extracting(RunResult::scenario, RunResult::store, RunResult::deliveries)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("baseline signing", "none", 200),
                        org.assertj.core.groups.Tuple.tuple("baseline pre-signed", "none", 200),
                        org.assertj.core.groups.Tuple.tuple("drain", "in-memory", 200),
                        org.assertj.core.groups.Tuple.tuple("paced 200/s", "in-memory", 200),
                        org.assertj.core.groups.Tuple.tuple("waiting retries", "in-memory", 200));
        assertThat(report.measured())
                .allSatisfy(run -> assertThat(run.problems()).isEmpty());
        assertThat(report.passed()).isTrue();
        assertThat(report.markdown()).contains("| drain | in-memory | 200 |", "None: every run delivered");
    }

    @Test
    void aRunThatLosesOrDuplicatesDeliveriesSaysSo() throws Exception {
        DeliveryCounter counter = new DeliveryCounter();
        try (TestReceiver receiver = counter.startReceiver()) {
            DeliveryCounter.Expectation expected = counter.expect(10, 3, 200);
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            for (String body : List.of("{\"load_seq\":10}", "{\"load_seq\":10}", "{\"load_seq\":99}")) {
                client.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(receiver.url("/hooks/0")))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            }

            assertThat(expected.problems())
                    .containsExactly(
                            "2 of 3 webhooks never arrived (first missing: seq 11)",
                            "1 webhooks arrived more than once",
                            "1 requests carried no sequence number of this run");
        }
    }

    @Test
    void theReceiverReadsTheSequenceNumberAtTheEndOfTheBody() {
        assertThat(DeliveryCounter.sequenceOf(body("{\"metadata\":{\"load_seq\":1},\"load_seq\":4711}")))
                .isEqualTo(4711);
        assertThat(DeliveryCounter.sequenceOf(body("{\"entity\":{}}"))).isEqualTo(-1);
        assertThat(DeliveryCounter.sequenceOf(body("{\"load_seq\":\"x\"}"))).isEqualTo(-1);
    }

    @Test
    void optionsOverrideTheirMode() {
        LoadOptions options = LoadOptions.parse("--full", "--events", "500", "--rates", "100,200", "--no-postgres");

        assertThat(options.mode()).isEqualTo("full");
        assertThat(options.events()).isEqualTo(500);
        assertThat(options.pacedRates()).isEqualTo(List.of(100, 200));
        assertThat(options.postgres()).isFalse();
        assertThat(options.configs()).isEqualTo(LoadOptions.of("full").configs());
    }

    private static ByteBuffer body(String json) {
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    }
}
