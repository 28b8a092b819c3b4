package dev.hookengine.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.testing.TestReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A smaller version of each fault run of {@code run-load.sh --faults}, in {@code mvn verify}: the
 * packaged standalone server ({@code engine-server/target/engine-server.jar}, which the reactor packages
 * before this module's integration tests; failsafe passes its path) on an embedded PostgreSQL, with the
 * same exactly-once-or-explained check asserted. About two minutes in all on 2 cores:
 *
 * <ul>
 *   <li>one SIGKILL of one of two servers, and the restart;
 *   <li>one PostgreSQL stop and start under one server;
 *   <li>a short hostile mix (with stalls ten times as common as in the long run, 1 %).
 * </ul>
 *
 * Nothing here asserts a timing: the machine may be busy. Each run's whole report is the assertion's
 * description, so that a failure shows the receiver's, the store's and the servers' side.
 */
class FaultRunsIT {

    private static final String JAR_PROPERTY = "hookengine.server.jar";

    private static FaultReceiver behaviour;
    private static TestReceiver receiver;
    private static PostgresDatabase database;
    private static FaultRuns runs;
    private static FaultOptions options;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "../engine-server/target/engine-server.jar"));
        assertThat(jar)
                .as("the packaged server; build it with  mvn -B -q -DskipTests package  from the repository root")
                .satisfies(path -> assertThat(Files.isRegularFile(path)).isTrue());
        options = new FaultOptions(
                FaultOptions.ALL_RUNS,
                40,
                2,
                Duration.ofSeconds(14),
                Duration.ofSeconds(7),
                Duration.ofSeconds(6),
                Duration.ofSeconds(5),
                Duration.ofSeconds(6),
                1,
                Duration.ofSeconds(10),
                new FaultReceiver.Mix(8, 8, 8, 10, Duration.ofSeconds(20)),
                1,
                Duration.ofSeconds(120),
                jar,
                null,
                null);
        behaviour = new FaultReceiver();
        receiver = behaviour.startReceiver();
        database = PostgresDatabase.start(2, true);
        runs = new FaultRuns(options, database, behaviour, receiver);
    }

    @AfterAll
    static void stop() throws Exception {
        if (database != null) {
            database.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aServerKilledWithSigkillLosesNothingAndItsDuplicatesAreExplained() throws Exception {
        FaultRuns.Outcome run = runs.killLoop();

        assertPassed(run);
        assertThat(run.kills()).isEqualTo(1);
        assertThat(run.check().delivered()).isEqualTo(run.check().acknowledged());
    }

    @Test
    void aPostgresRestartLosesNothingAndTheServersRecover() throws Exception {
        FaultRuns.Outcome run = runs.databaseRestart();

        assertPassed(run);
        assertThat(run.check().delivered()).isEqualTo(run.check().acknowledged());
        assertThat(run.publishRecoverySeconds())
                .as("publishes acknowledged again")
                .isNotNull();
        assertThat(run.deliveryRecoverySeconds())
                .as("an event published after the restart delivered")
                .isNotNull();
    }

    @Test
    void aHostileReceiverGetsEveryEventDeliveredOrFailedForGood() throws Exception {
        FaultRuns.Outcome run = runs.hostileReceiver();

        assertPassed(run);
        assertThat(run.check().delivered() + run.check().terminallyFailed())
                .isEqualTo(run.check().acknowledged());
        assertThat(run.answers())
                .as("the mix was exercised")
                .hasEntrySatisfying(
                        FaultReceiver.Action.ERROR, count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        FaultReceiver.Action.THROTTLE,
                        count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        FaultReceiver.Action.RESET, count -> assertThat(count).isPositive());
    }

    private static void assertPassed(FaultRuns.Outcome run) {
        String report = new FaultReport(
                        options, Instant.now(), LoadHarness.Machine.describe(), "PostgreSQL", List.of(run))
                .markdown();
        System.out.println(report);
        assertThat(run.problems()).as(report).isEmpty();
        assertThat(run.check()).as(report).isNotNull();
        assertThat(run.check().problems()).as(report).isEmpty();
        assertThat(run.check().acknowledged()).as(report).isPositive();
        assertThat(run.check().explainedDuplicates())
                .as(report)
                .isEqualTo(run.check().duplicates());
    }
}
