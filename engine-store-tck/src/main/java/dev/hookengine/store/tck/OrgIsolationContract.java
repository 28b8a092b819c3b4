package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static dev.hookengine.store.tck.StoreFixtures.signingKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.StoredConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Organization isolation, across every part of the store: another organization's configs, events,
 * attempts and jobs do not exist to the caller, two organizations may use the same config and event
 * ids, and signing keys and variables are kept per organization.
 *
 * <p>Part of {@link WebhookStoreContract}, which runs it against the store under test.
 */
public abstract class OrgIsolationContract extends StoreContractSupport {

    /** Run only as part of {@link WebhookStoreContract}, which supplies the store under test. */
    OrgIsolationContract() {}

    @Test
    void configsOfAnotherOrganizationDoNotExist() {
        WebhookConfig config = config("cfg-1", "order.created", at(0));
        store.insertConfig(ORG_A, config);

        assertThat(store.findConfig(ORG_B, "cfg-1")).isEmpty();
        assertThat(store.listConfigs(ORG_B, null)).isEmpty();
        assertThat(store.listConfigs(ORG_B, "order.created")).isEmpty();
        assertThat(store.replaceConfig(
                        ORG_B, config.toBuilder().name("hijacked").build(), 1L))
                .isEmpty();
        assertThat(store.deleteConfig(ORG_B, "cfg-1")).isFalse();

        StoredConfig stored = store.findConfig(ORG_A, "cfg-1").orElseThrow();
        assertThat(stored.config()).isEqualTo(config);
        assertThat(stored.revision()).isEqualTo(1L);
        assertThat(store.findConfig(ORG_B, "cfg-1")).isEmpty();
    }

    @Test
    void organizationsMayUseTheSameConfigId() {
        WebhookConfig ofA =
                config("cfg-1", "order.created", at(0)).toBuilder().name("A's").build();
        WebhookConfig ofB =
                config("cfg-1", "order.created", at(5)).toBuilder().name("B's").build();

        assertThat(store.insertConfig(ORG_A, ofA)).isTrue();
        assertThat(store.insertConfig(ORG_B, ofB)).isTrue();
        long revisionOfB = store.findConfig(ORG_B, "cfg-1").orElseThrow().revision();
        assertThat(store.replaceConfig(
                        ORG_B, ofB.toBuilder().name("B's changed").build(), revisionOfB))
                .isPresent();

        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().config()).isEqualTo(ofA);
        assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().revision()).isEqualTo(1L);
        assertThat(store.findConfig(ORG_B, "cfg-1").orElseThrow().config().name())
                .isEqualTo("B's changed");
        assertThat(store.listConfigs(ORG_A, null))
                .extracting(stored -> stored.config().name())
                .containsExactly("A's");

        assertThat(store.deleteConfig(ORG_B, "cfg-1")).isTrue();
        assertThat(store.findConfig(ORG_A, "cfg-1")).isPresent();
        assertThat(store.findConfig(ORG_B, "cfg-1")).isEmpty();
    }

    @Test
    void eventsOfAnotherOrganizationDoNotExist() {
        WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
        append(event);

        assertThat(store.findEvent(ORG_B, "evt-1")).isEmpty();
        assertThat(store.searchEvents(ORG_B, everything(25)).events()).isEmpty();
        assertThat(store.searchEvents(ORG_B, EventQuery.ofConfig("cfg-1", 25)).events())
                .isEmpty();
        assertThat(store.searchEvents(ORG_B, new EventQuery(null, null, "evt-1", null, null, null, 25))
                        .events())
                .isEmpty();

        assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
        assertThat(store.findEvent(ORG_B, "evt-1")).isEmpty();
    }

    @Test
    void organizationsMayUseTheSameEventId() {
        WebhookEvent ofA = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
        WebhookEvent ofB = event(ORG_B, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS).toBuilder()
                .payload("{\"of\":\"b\"}")
                .build();
        assertThat(store.appendEvent(ofA, List.of(job("job-a", ofA, 0, at(0))))).isTrue();
        assertThat(store.appendEvent(ofB, List.of(job("job-b", ofB, 0, at(0)), attemptCarrier(ofB, 0))))
                .isTrue();
        WebhookEvent doneB = ofB.toBuilder().status(EventStatus.SUCCEEDED).build();

        recordOutcome(attempt(ORG_B, "evt-1", 1, at(5), 200), doneB);

        assertThat(store.findEvent(ORG_A, "evt-1")).contains(ofA);
        assertThat(store.findEvent(ORG_B, "evt-1")).contains(doneB);
        assertThat(store.searchEvents(ORG_A, everything(25)).events()).containsExactly(ofA);
        assertThat(store.searchEvents(ORG_B, everything(25)).events()).containsExactly(doneB);
        assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
        assertThat(store.attemptsOf(ORG_B, "evt-1")).hasSize(1);
        assertThat(store.jobsOfEvent(ORG_A, "evt-1"))
                .extracting(DeliveryJob::jobId)
                .containsExactly("job-a");
        assertThat(store.jobsOfEvent(ORG_B, "evt-1"))
                .extracting(DeliveryJob::jobId)
                .containsExactly("job-b");
    }

    @Test
    void attemptsOfAnotherOrganizationAreInvisible() {
        WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
        append(event, attemptCarrier(event, 0));
        recordAttempt(attempt(ORG_A, "evt-1", 1, at(10), 500));

        assertThat(store.attemptsOf(ORG_B, "evt-1")).isEmpty();
        assertThat(store.attemptsOf(ORG_A, "evt-1")).hasSize(1);
    }

    @Test
    void jobsOfAnotherOrganizationAreInvisible() {
        appendWithJobs(ORG_A, "evt-1", at(0), at(10));

        assertThat(store.jobsOfEvent(ORG_B, "evt-1")).isEmpty();
        assertThat(store.jobsOfEvent(ORG_A, "evt-1")).hasSize(2);
    }

    @Test
    void signingKeysAreKeptPerOrganization() {
        SigningKey ofA = signingKey(ORG_A, "key-a", at(0));
        SigningKey ofB = signingKey(ORG_B, "key-b", at(10));
        store.insertKeyIfNoneCurrent(ofA);

        assertThat(store.activeKeys(ORG_B, at(100))).isEmpty();
        assertThat(store.insertKeyIfNoneCurrent(ofB)).isEqualTo(ofB);
        store.rotateKey(signingKey(ORG_B, "key-b2", at(20)), at(1000));

        assertThat(store.activeKeys(ORG_A, at(5000))).containsExactly(ofA);
        assertThat(store.activeKeys(ORG_B, at(100)))
                .extracting(SigningKey::keyId)
                .containsExactly("key-b2", "key-b");
        assertThat(store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-a2", at(30))))
                .isEqualTo(ofA);
    }

    @Test
    void variablesAreKeptPerOrganization() {
        store.putVariable(ORG_A, "TOKEN", Secret.of("a-secret"));

        assertThat(store.findVariable(ORG_B, "TOKEN")).isEmpty();
        assertThat(store.variableNames(ORG_B)).isEmpty();
        assertThat(store.deleteVariable(ORG_B, "TOKEN")).isFalse();
        store.putVariable(ORG_B, "TOKEN", Secret.of("b-secret"));
        store.putVariable(ORG_B, "ONLY_B", Secret.of("b-only"));

        assertThat(store.findVariable(ORG_A, "TOKEN")).contains(Secret.of("a-secret"));
        assertThat(store.findVariable(ORG_B, "TOKEN")).contains(Secret.of("b-secret"));
        assertThat(store.variableNames(ORG_A)).containsExactly("TOKEN");
        assertThat(store.variableNames(ORG_B)).containsExactly("ONLY_B", "TOKEN");
    }
}
