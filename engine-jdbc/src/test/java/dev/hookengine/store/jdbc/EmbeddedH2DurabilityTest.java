package dev.hookengine.store.jdbc;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.signing.AesGcmKeyCipher;
import dev.hookengine.spi.ClaimedJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default, an H2 file: commits reach the file before they return, and a store that is
 * the database's sole process takes back, at start, the leases a killed process left behind. (The
 * standalone server's crash tests kill a real process; these check the two settings directly.)
 */
class EmbeddedH2DurabilityTest {

    private static final Duration LEASE = Duration.ofSeconds(34);

    @TempDir
    Path directory;

    private JdbcWebhookStore open(boolean soleProcess) {
        return JdbcWebhookStore.builder(url(), "sa", "")
                .keyCipher(AesGcmKeyCipher.ofBase64(H2JdbcWebhookStoreTest.MASTER_KEY))
                .soleProcess(soleProcess)
                .build();
    }

    private String url() {
        return "jdbc:h2:file:" + directory.resolve("hookengine");
    }

    @Test
    void h2WritesEachCommitToItsFileAtOnce() throws Exception {
        try (JdbcWebhookStore store = open(false);
                Connection connection = DriverManager.getConnection(url(), "sa", "");
                ResultSet setting = connection
                        .createStatement()
                        .executeQuery(
                                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(setting.next()).isTrue();
            assertThat(setting.getString(1))
                    .as("H2's WRITE_DELAY (its default, 500 ms, loses commits to a kill)")
                    .isEqualTo("0");
        }
    }

    @Test
    void aSoleProcessTakesBackTheLeasesOfTheProcessBeforeIt() {
        WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", T0, EventStatus.IN_PROGRESS);
        ClaimedJob leftBehind;
        try (JdbcWebhookStore first = open(true)) {
            assertThat(first.appendEvent(event, List.of(job("job-1", event, 0, at(0)))))
                    .isTrue();
            leftBehind = first.claim(at(10), 1, LEASE, "node-dead").get(0);
            // closed without releasing: what a killed process leaves
        }

        try (JdbcWebhookStore next = open(true)) {
            List<ClaimedJob> claimed = next.claim(at(20), 1, LEASE, "node-next");

            assertThat(claimed).as("claimable at once, not one lease later").hasSize(1);
            assertThat(claimed.get(0).job()).isEqualTo(leftBehind.job());
        }
    }

    @Test
    void aSharedDatabaseKeepsLeasesUntilTheyExpire() {
        WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", T0, EventStatus.IN_PROGRESS);
        try (JdbcWebhookStore first = open(false)) {
            assertThat(first.appendEvent(event, List.of(job("job-1", event, 0, at(0)))))
                    .isTrue();
            assertThat(first.claim(at(10), 1, LEASE, "node-1")).hasSize(1);
        }

        try (JdbcWebhookStore next = open(false)) {
            assertThat(next.claim(at(20), 1, LEASE, "node-2"))
                    .as("another node's live lease")
                    .isEmpty();
            assertThat(next.claim(at(10).plus(LEASE), 1, LEASE, "node-2")).hasSize(1);
        }
    }
}
