package dev.hookengine.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parts of the runs through the standalone server that need no server: options, the ready line,
 * the publish body, and how the targets are judged. The runs themselves need the packaged jar, which
 * {@code mvn verify} builds only after this module's tests: {@code benchmarks/run-load.sh} runs them.
 */
class ServerModeTest {

    @Test
    void quickAndFullRunTheServerOnOneAndTwoProcessesAndSmokeDoesNot() {
        assertThat(LoadOptions.parse("--quick").server())
                .returns(true, LoadOptions.Server::enabled)
                .returns(false, LoadOptions.Server::only)
                .returns(List.of(1, 2), LoadOptions.Server::nodes)
                .returns(Path.of("engine-server/target/engine-server.jar"), LoadOptions.Server::jar);
        assertThat(LoadOptions.parse("--full").server().enabled()).isTrue();
        assertThat(LoadOptions.parse("--smoke").server().enabled()).isFalse();
        assertThat(LoadOptions.parse("--quick", "--no-server").server().enabled())
                .isFalse();
    }

    @Test
    void serverOptionsOverrideTheirMode() {
        LoadOptions.Server server = LoadOptions.parse(
                        "--smoke", "--server", "--server-nodes", "2", "--server-events", "300", "--server-jfr", "x/y")
                .server();

        assertThat(server.enabled()).isTrue();
        assertThat(server.nodes()).containsExactly(2);
        assertThat(server.events()).isEqualTo(300);
        assertThat(server.jfrPrefix()).isEqualTo("x/y");
        assertThat(LoadOptions.parse("--server-only").server())
                .returns(true, LoadOptions.Server::enabled)
                .returns(true, LoadOptions.Server::only);
    }

    @Test
    void theReadyLineGivesTheServersAddress() {
        String line = "2026-11-29T13:59:51.108+0000 INFO StandaloneServer - hookengine server ready on"
                + " http://127.0.0.1:41234 (ServerOptions[host=127.0.0.1, port=0, database=memory])";

        assertThat(ServerNode.readyAddress(line)).contains(URI.create("http://127.0.0.1:41234"));
        assertThat(ServerNode.readyAddress("hookengine server stopping")).isEmpty();
    }

    @Test
    void aMissingJarSaysHowToBuildIt() {
        LoadOptions.Server server = new LoadOptions.Server(true, false, List.of(1), 10, Path.of("no/such.jar"), null);

        assertThat(ServerRuns.missingJar(server))
                .hasValueSatisfying(
                        message -> assertThat(message).contains("no/such.jar", "mvn -B -q -DskipTests package"));
    }

    @Test
    void thePublishBodyCarriesTheSequenceNumberLast() {
        byte[] body = new LoadPayloads().publishBody("load.server.event", 4711);
        String json = new String(body, StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"eventName\":\"load.server.event\",\"metadata\":{");
        assertThat(json).contains("\"entity\":{").endsWith(",\"load_seq\":4711}");
        assertThat(body.length).isBetween(1_600, 2_600); // the ~2 KiB order; the webhook adds its own metadata
        assertThat(DeliveryCounter.sequenceOf(ByteBuffer.wrap(body))).isEqualTo(4711);
    }

    @Test
    void theServerTargetsAreJudgedOnOneProcessWithTheOthersBeside() {
        List<String[]> rows = ServerReport.targets(
                List.of(
                        run("in-memory", 1, 9_000, 3_000, 4_000),
                        run("PostgreSQL", 1, 3_100, 1_300, 4_000),
                        run("PostgreSQL", 2, 2_500, 1_000, 4_000)),
                true);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)[1]).isEqualTo("3,100 events/s with one process; 2 processes: 2,500/s");
        assertThat(rows.get(0)[2]).isEqualTo("met");
        assertThat(rows.get(1)[1]).startsWith("33 % (1,300 vs 4,000/s) with one process; 2 processes: 25 %");
        assertThat(rows.get(1)[2]).isEqualTo("met");
        assertThat(ServerReport.targets(List.of(), false).get(0)[1]).isEqualTo("not run (--server)");
    }

    private static ServerRunResult run(String store, int nodes, double published, double delivered, double direct) {
        return new ServerRunResult(
                store, nodes, 1_000, published, delivered, direct, null, 0, 0, 0, 0, List.of(), List.of());
    }
}
