package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.NEWEST_FIRST;
import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.ORG_B;
import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static dev.hookengine.store.tck.StoreFixtures.attempt;
import static dev.hookengine.store.tck.StoreFixtures.config;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.expiring;
import static dev.hookengine.store.tck.StoreFixtures.fullEvent;
import static dev.hookengine.store.tck.StoreFixtures.isAfter;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static dev.hookengine.store.tck.StoreFixtures.signingKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hookengine.model.EventCursor;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventPage;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.RetiredSecret;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executable contract of {@link WebhookStore}: every method of {@code ConfigStore},
 * {@code EventStore}, {@code DeliveryQueue}, {@code SigningKeyStore} and {@code VariableStore}, each
 * documented return value, organization isolation, keyset pagination and concurrent claiming.
 *
 * <p>A store module uses it from its tests: add {@code engine-store-tck} as a {@code test}
 * dependency (with {@code junit-jupiter} to run it), extend this class in {@code src/test/java} and
 * implement {@link #newStore()}:
 *
 * <pre>{@code
 * class JdbcWebhookStoreTest extends WebhookStoreContract {
 *     protected WebhookStore newStore() {
 *         return JdbcWebhookStore.builder(freshDataSource()).build();
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #newStore()} is called before every test and must return a store holding no data at all
 * (a new instance, or one whose tables were emptied). After the test the store is handed to
 * {@link #closeStore(WebhookStore)}, which closes it when it is {@link AutoCloseable}; override it
 * when the store shares resources across tests. The tests are grouped in {@link Nested} classes, one
 * per concern, which JUnit runs as part of the subclass.
 *
 * <p>All data is built by {@link StoreFixtures}: timestamps are fixed instants at millisecond
 * precision, never read from the wall clock, and time is passed to the store as {@code now}.
 * The concurrency tests use up to eight threads and ten thousand jobs; an in-memory store runs the
 * whole suite in a few seconds.
 */
public abstract class WebhookStoreContract {

    /** The lease most tests claim with. */
    protected static final Duration LEASE = Duration.ofMinutes(5);

    /** How long a concurrency test waits for its threads before it fails. */
    private static final long THREAD_TIMEOUT_SECONDS = 60;

    /** The store under test, fresh for every test. */
    protected WebhookStore store;

    /**
     * A new store holding no configs, events, jobs, keys or variables. Called before every test.
     */
    protected abstract WebhookStore newStore();

    /**
     * Releases a store after its test; closes it when it is {@link AutoCloseable}.
     */
    protected void closeStore(WebhookStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @BeforeEach
    void createStore() {
        store = newStore();
        assertThat(store).as("newStore()").isNotNull();
    }

    @AfterEach
    void releaseStore() throws Exception {
        if (store != null) {
            closeStore(store);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers shared by the nested classes
    // ---------------------------------------------------------------------------------------------

    private void append(WebhookEvent event, DeliveryJob... jobs) {
        assertThat(store.appendEvent(event, List.of(jobs)))
                .as("appendEvent(%s/%s)", event.orgId(), event.eventId())
                .isTrue();
    }

    private WebhookEvent appendWithJobs(String orgId, String eventId, Instant... dueAts) {
        WebhookEvent event = event(orgId, eventId, "cfg-1", T0, EventStatus.IN_PROGRESS);
        DeliveryJob[] jobs = new DeliveryJob[dueAts.length];
        for (int i = 0; i < dueAts.length; i++) {
            jobs[i] = job(orgId + "-" + eventId + "-job-" + i, event, 0, dueAts[i]);
        }
        append(event, jobs);
        return event;
    }

    /**
     * A job of {@code event} that exists only to carry an attempt into the store: the SPI writes
     * attempts through {@code recordOutcomes} alone, with the outcome of a claimed job. Append it with
     * the event, then {@link #recordAttempt} or {@link #recordOutcome} completes it.
     */
    private static DeliveryJob attemptCarrier(WebhookEvent event, int number) {
        return job(event.orgId() + "-" + event.eventId() + "-carrier-" + number, event, 0, event.createdAt());
    }

    /** Writes {@code attempt} of a stored event, leaving the event as it is; see {@link #recordOutcome}. */
    private void recordAttempt(DeliveryAttempt attempt) {
        recordOutcome(attempt, store.findEvent(attempt.orgId(), attempt.eventId()).orElseThrow());
    }

    /**
     * Writes {@code attempt} and the event's new state {@code after} the way the engine does, through
     * {@code recordOutcomes}: as the outcome of a claim of one of the event's {@link #attemptCarrier}s,
     * which the outcome completes.
     */
    private void recordOutcome(DeliveryAttempt attempt, WebhookEvent after) {
        String prefix = attempt.orgId() + "-" + attempt.eventId() + "-carrier-";
        DeliveryJob carrier = store.jobsOfEvent(attempt.orgId(), attempt.eventId()).stream()
                .filter(job -> job.jobId().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no carrier job left for attempt " + attempt));
        ClaimedJob claim = store.claimJob(carrier.orgId(), carrier.jobId(), carrier.dueAt(), LEASE, "recorder")
                .orElseThrow();
        assertThat(store.recordOutcomes(List.of(new AttemptOutcome(claim, attempt, after, null))))
                .as("recordOutcomes(attempt %d of %s/%s)", attempt.attempt(), attempt.orgId(), attempt.eventId())
                .containsExactly(true);
    }

    private static EventQuery everything(int limit) {
        return new EventQuery(null, null, null, null, null, null, limit);
    }

    private static List<String> ids(List<WebhookEvent> events) {
        return events.stream().map(WebhookEvent::eventId).toList();
    }

    private static List<String> jobIds(List<ClaimedJob> claims) {
        return claims.stream().map(claim -> claim.job().jobId()).toList();
    }

    /**
     * Runs {@code threads} tasks at once, released together by a start gate, and returns their
     * results in task order.
     */
    private static <T> List<T> runConcurrently(int threads, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier startGate = new CyclicBarrier(threads);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    startGate.await(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return body.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Configs {

        @Test
        void insertedConfigIsFoundAtRevisionOneWithEveryFieldAndSecret() {
            WebhookConfig config = config("cfg-1", "order.created", at(1));

            assertThat(store.insertConfig(ORG_A, config)).isTrue();

            Optional<StoredConfig> found = store.findConfig(ORG_A, "cfg-1");
            assertThat(found).isPresent();
            assertThat(found.get().orgId()).isEqualTo(ORG_A);
            assertThat(found.get().id()).isEqualTo("cfg-1");
            assertThat(found.get().config()).isEqualTo(config);
            assertThat(found.get().config().signingSecret()).isEqualTo(config.signingSecret());
            assertThat(found.get().config().auth().basicAuthConfig().password())
                    .isEqualTo(Secret.of("password-cfg-1"));
            assertThat(found.get().revision()).isEqualTo(1L);
        }

        @Test
        void rotatingTheSigningSecretRetiresTheOldOneUntilItExpires() {
            WebhookConfig config = config("cfg-1", "order.created", at(0));
            store.insertConfig(ORG_A, config);
            Secret first = config.signingSecret();

            StoredConfig once = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_second"), at(100), at(10))
                    .orElseThrow();

            assertThat(once.config().signingSecret()).isEqualTo(Secret.of("whsec_second"));
            assertThat(once.config().toBuilder().signingSecret(first).build()).as("nothing else changes").isEqualTo(config);
            assertThat(once.retiredSecrets()).containsExactly(new RetiredSecret(first, at(100)));
            assertThat(once.revision()).isEqualTo(2L);
            assertThat(store.findConfig(ORG_A, "cfg-1")).contains(once);

            StoredConfig twice = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_third"), at(200), at(50))
                    .orElseThrow();
            assertThat(twice.retiredSecrets()).as("newest first, both still active at the rotation")
                    .containsExactly(new RetiredSecret(Secret.of("whsec_second"), at(200)), new RetiredSecret(first, at(100)));

            StoredConfig thrice = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_fourth"), at(300), at(100))
                    .orElseThrow();
            assertThat(thrice.retiredSecrets()).as("a secret expiring at the rotation instant is dropped")
                    .containsExactly(new RetiredSecret(Secret.of("whsec_third"), at(300)),
                            new RetiredSecret(Secret.of("whsec_second"), at(200)));
        }

        @Test
        void replacingAConfigKeepsItsRetiredSecrets() {
            store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
            StoredConfig rotated = store.rotateSigningSecret(ORG_A, "cfg-1", Secret.of("whsec_new"), at(100), at(10))
                    .orElseThrow();

            StoredConfig replaced = store.replaceConfig(ORG_A,
                    rotated.config().toBuilder().name("renamed").build(), rotated.revision()).orElseThrow();

            assertThat(replaced.retiredSecrets()).isEqualTo(rotated.retiredSecrets());
            assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().retiredSecrets()).isEqualTo(rotated.retiredSecrets());
        }

        @Test
        void rotatingAnUnknownOrForeignConfigChangesNothing() {
            WebhookConfig config = config("cfg-1", "order.created", at(0));
            store.insertConfig(ORG_A, config);

            assertThat(store.rotateSigningSecret(ORG_A, "cfg-2", Secret.of("whsec_x"), at(100), at(10))).isEmpty();
            assertThat(store.rotateSigningSecret(ORG_B, "cfg-1", Secret.of("whsec_x"), at(100), at(10))).isEmpty();

            StoredConfig stored = store.findConfig(ORG_A, "cfg-1").orElseThrow();
            assertThat(stored.config()).isEqualTo(config);
            assertThat(stored.retiredSecrets()).isEmpty();
            assertThat(stored.revision()).isEqualTo(1L);
        }

        @Test
        void findingAnUnknownIdGivesEmpty() {
            store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));

            assertThat(store.findConfig(ORG_A, "cfg-2")).isEmpty();
        }

        @Test
        void insertingADuplicateIdReturnsFalseAndStoresNothing() {
            WebhookConfig original = config("cfg-1", "order.created", at(0));
            WebhookConfig duplicate = config("cfg-1", "invoice.paid", at(5)).toBuilder().name("other").build();
            assertThat(store.insertConfig(ORG_A, original)).isTrue();

            assertThat(store.insertConfig(ORG_A, duplicate)).isFalse();

            StoredConfig stored = store.findConfig(ORG_A, "cfg-1").orElseThrow();
            assertThat(stored.config()).isEqualTo(original);
            assertThat(stored.revision()).isEqualTo(1L);
            assertThat(store.listConfigs(ORG_A, null)).extracting(StoredConfig::config).containsExactly(original);
            assertThat(store.listConfigs(ORG_A, "invoice.paid")).isEmpty();
        }

        @Test
        void listIsOldestFirstWithTiesBrokenById() {
            WebhookConfig newest = config("cfg-a", "order.created", at(3000));
            WebhookConfig tieB = config("cfg-c", "order.created", at(2000));
            WebhookConfig tieA = config("cfg-b", "invoice.paid", at(2000));
            WebhookConfig oldest = config("cfg-z", "order.created", at(1000));
            for (WebhookConfig config : List.of(tieB, newest, oldest, tieA)) {
                assertThat(store.insertConfig(ORG_A, config)).isTrue();
            }

            List<StoredConfig> listed = store.listConfigs(ORG_A, null);

            assertThat(listed).extracting(StoredConfig::id).containsExactly("cfg-z", "cfg-b", "cfg-c", "cfg-a");
            assertThat(listed).extracting(StoredConfig::config).containsExactly(oldest, tieA, tieB, newest);
            assertThat(listed).allSatisfy(stored -> {
                assertThat(stored.orgId()).isEqualTo(ORG_A);
                assertThat(stored.revision()).isEqualTo(1L);
            });
        }

        @Test
        void listFiltersByEventName() {
            store.insertConfig(ORG_A, config("cfg-1", "order.created", at(1)));
            store.insertConfig(ORG_A, config("cfg-2", "invoice.paid", at(2)));
            store.insertConfig(ORG_A, config("cfg-3", "order.created", at(3)));

            assertThat(store.listConfigs(ORG_A, "order.created")).extracting(StoredConfig::id)
                    .containsExactly("cfg-1", "cfg-3");
            assertThat(store.listConfigs(ORG_A, "invoice.paid")).extracting(StoredConfig::id)
                    .containsExactly("cfg-2");
            assertThat(store.listConfigs(ORG_A, "order")).isEmpty();
            assertThat(store.listConfigs(ORG_A, "nobody.listens")).isEmpty();
            assertThat(store.listConfigs(ORG_A, null)).extracting(StoredConfig::id)
                    .containsExactly("cfg-1", "cfg-2", "cfg-3");
        }

        @Test
        void listIsEmptyForAnOrganizationWithoutConfigs() {
            assertThat(store.listConfigs(ORG_A, null)).isEmpty();
            assertThat(store.listConfigs(ORG_A, "order.created")).isEmpty();
        }

        @Test
        void replaceWithTheCurrentRevisionStoresTheNewContentAtAHigherRevision() {
            WebhookConfig original = config("cfg-1", "order.created", at(0));
            store.insertConfig(ORG_A, original);
            long revision1 = store.findConfig(ORG_A, "cfg-1").orElseThrow().revision();
            WebhookConfig changed = original.toBuilder()
                    .name("renamed")
                    .url("https://elsewhere.example.com/")
                    .enabled(false)
                    .signingSecret(null)
                    .updatedTime(at(60_000))
                    .build();

            Optional<StoredConfig> replaced = store.replaceConfig(ORG_A, changed, revision1);

            assertThat(replaced).isPresent();
            assertThat(replaced.get().orgId()).isEqualTo(ORG_A);
            assertThat(replaced.get().config()).isEqualTo(changed);
            long revision2 = replaced.get().revision();
            assertThat(revision2).isGreaterThan(revision1);
            assertThat(store.findConfig(ORG_A, "cfg-1")).contains(replaced.get());

            WebhookConfig changedAgain = changed.toBuilder().name("renamed twice").updatedTime(at(120_000)).build();
            Optional<StoredConfig> replacedAgain = store.replaceConfig(ORG_A, changedAgain, revision2);
            assertThat(replacedAgain).isPresent();
            assertThat(replacedAgain.get().config()).isEqualTo(changedAgain);
            assertThat(replacedAgain.get().revision()).isGreaterThan(revision2);
            assertThat(store.findConfig(ORG_A, "cfg-1")).contains(replacedAgain.get());
            assertThat(store.listConfigs(ORG_A, null)).containsExactly(replacedAgain.get());
        }

        @Test
        void replaceWithAStaleRevisionReturnsEmptyAndChangesNothing() {
            WebhookConfig original = config("cfg-1", "order.created", at(0));
            store.insertConfig(ORG_A, original);
            long revision1 = store.findConfig(ORG_A, "cfg-1").orElseThrow().revision();
            StoredConfig current = store.replaceConfig(
                    ORG_A, original.toBuilder().name("first writer").build(), revision1).orElseThrow();

            Optional<StoredConfig> stale = store.replaceConfig(
                    ORG_A, original.toBuilder().name("second writer").build(), revision1);
            Optional<StoredConfig> future = store.replaceConfig(
                    ORG_A, original.toBuilder().name("from the future").build(), current.revision() + 1000);

            assertThat(stale).isEmpty();
            assertThat(future).isEmpty();
            assertThat(store.findConfig(ORG_A, "cfg-1")).contains(current);
            assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().config().name()).isEqualTo("first writer");
        }

        @Test
        void replaceOfAnUnknownConfigReturnsEmptyAndCreatesNothing() {
            store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));

            Optional<StoredConfig> replaced = store.replaceConfig(ORG_A, config("cfg-2", "order.created", at(0)), 1L);

            assertThat(replaced).isEmpty();
            assertThat(store.findConfig(ORG_A, "cfg-2")).isEmpty();
            assertThat(store.listConfigs(ORG_A, null)).extracting(StoredConfig::id).containsExactly("cfg-1");
        }

        @Test
        @Timeout(value = 2 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
        void concurrentReplacesOfTheSameRevisionLetExactlyOneWin() throws Exception {
            WebhookConfig original = config("cfg-1", "order.created", at(0));
            store.insertConfig(ORG_A, original);
            long revision = store.findConfig(ORG_A, "cfg-1").orElseThrow().revision();

            List<Optional<StoredConfig>> results = runConcurrently(8, i -> () ->
                    store.replaceConfig(ORG_A, original.toBuilder().name("writer-" + i).build(), revision));

            List<StoredConfig> winners = results.stream().flatMap(Optional::stream).toList();
            assertThat(winners).hasSize(1);
            assertThat(store.findConfig(ORG_A, "cfg-1")).contains(winners.get(0));
            assertThat(winners.get(0).revision()).isGreaterThan(revision);
        }

        @Test
        void deleteRemovesTheConfigOnce() {
            store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
            store.insertConfig(ORG_A, config("cfg-2", "order.created", at(1)));

            assertThat(store.deleteConfig(ORG_A, "cfg-1")).isTrue();
            assertThat(store.deleteConfig(ORG_A, "cfg-1")).isFalse();
            assertThat(store.deleteConfig(ORG_A, "cfg-unknown")).isFalse();

            assertThat(store.findConfig(ORG_A, "cfg-1")).isEmpty();
            assertThat(store.findConfig(ORG_A, "cfg-2")).isPresent();
            assertThat(store.listConfigs(ORG_A, null)).extracting(StoredConfig::id).containsExactly("cfg-2");
            assertThat(store.listConfigs(ORG_A, "order.created")).extracting(StoredConfig::id)
                    .containsExactly("cfg-2");
            assertThat(store.replaceConfig(ORG_A, config("cfg-1", "order.created", at(0)), 1L)).isEmpty();
        }

        @Test
        void aDeletedIdCanBeInsertedAgain() {
            store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
            store.deleteConfig(ORG_A, "cfg-1");
            WebhookConfig again = config("cfg-1", "invoice.paid", at(10));

            assertThat(store.insertConfig(ORG_A, again)).isTrue();

            assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().config()).isEqualTo(again);
            assertThat(store.listConfigs(ORG_A, "invoice.paid")).extracting(StoredConfig::id).containsExactly("cfg-1");
        }

        @Test
        void deleteLeavesTheConfigsEventsAndQueuedJobsAlone() {
            store.insertConfig(ORG_A, config("cfg-1", "order.created", at(0)));
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(10), EventStatus.IN_PROGRESS);
            DeliveryJob job = job("job-1", event, 0, at(10));
            append(event, job, attemptCarrier(event, 0));
            recordAttempt(attempt(ORG_A, "evt-1", 1, at(20), 500));

            assertThat(store.deleteConfig(ORG_A, "cfg-1")).isTrue();

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
            assertThat(store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-1", 10)).events()).containsExactly(event);
            assertThat(store.attemptsOf(ORG_A, "evt-1")).hasSize(1);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(jobIds(store.claim(at(10), 10, LEASE, "node-1"))).containsExactly("job-1");
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Events {

        @Test
        void appendedEventRoundTripsEveryFieldExactly() {
            WebhookEvent event = fullEvent(ORG_A, "evt-1", "cfg-1", at(123));

            assertThat(store.appendEvent(event, List.of())).isTrue();

            Optional<WebhookEvent> found = store.findEvent(ORG_A, "evt-1");
            assertThat(found).contains(event);
            assertThat(found.get().createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
        }

        @Test
        void findingAnUnknownEventGivesEmpty() {
            append(event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.SUCCEEDED));

            assertThat(store.findEvent(ORG_A, "evt-2")).isEmpty();
        }

        @Test
        void findingSeveralEventsGivesThoseOfTheOrganizationThatExist() {
            WebhookEvent first = fullEvent(ORG_A, "evt-1", "cfg-1", at(1));
            WebhookEvent second = event(ORG_A, "evt-2", "cfg-2", at(2), EventStatus.IN_PROGRESS);
            append(first);
            append(second);
            append(event(ORG_B, "evt-3", "cfg-1", at(3), EventStatus.IN_PROGRESS));

            assertThat(store.findEvents(ORG_A, List.of("evt-2", "evt-unknown", "evt-3", "evt-1")))
                    .containsExactlyInAnyOrder(first, second);
            assertThat(store.findEvents(ORG_B, List.of("evt-1", "evt-2"))).as("another organization's ids").isEmpty();
            assertThat(store.findEvents(ORG_A, List.of())).isEmpty();
        }

        @Test
        void appendQueuesTheEventsJobs() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob late = job("job-late", event, 0, at(300));
            DeliveryJob early = job("job-early", event, 0, at(100));
            DeliveryJob middle = job("job-middle", event, 1, at(200));

            assertThat(store.appendEvent(event, List.of(late, early, middle))).isTrue();

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(early, middle, late);
            assertThat(store.stats(at(1000))).isEqualTo(new QueueStats(3, 3, at(100)));
        }

        @Test
        void anEventWithoutJobsQueuesNothing() {
            WebhookEvent skipped = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.SKIPPED);

            assertThat(store.appendEvent(skipped, List.of())).isTrue();

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(skipped);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
            assertThat(store.stats(at(1000))).isEqualTo(new QueueStats(0, 0, null));
            assertThat(store.claim(at(1000), 10, LEASE, "node-1")).isEmpty();
        }

        @Test
        void appendingADuplicateIdReturnsFalseAndStoresNeitherEventNorJobs() {
            WebhookEvent original = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob originalJob = job("job-1", original, 0, at(0));
            append(original, originalJob);
            WebhookEvent duplicate = event(ORG_A, "evt-1", "cfg-2", at(50), EventStatus.SKIPPED)
                    .toBuilder().payload("{\"other\":true}").build();

            boolean appended = store.appendEvent(duplicate, List.of(job("job-2", duplicate, 0, at(50))));

            assertThat(appended).isFalse();
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(original);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(originalJob);
            assertThat(store.stats(at(1000)).depth()).isEqualTo(1);
            assertThat(store.searchEvents(ORG_A, everything(10)).events()).containsExactly(original);
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Attempts {

        @Test
        void attemptsComeBackByAttemptNumberExactlyAsAppended() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(event, attemptCarrier(event, 0), attemptCarrier(event, 1), attemptCarrier(event, 2));
            DeliveryAttempt first = attempt(ORG_A, "evt-1", 1, at(1_001), null);
            DeliveryAttempt second = attempt(ORG_A, "evt-1", 2, at(6_002), 503);
            DeliveryAttempt third = new DeliveryAttempt(
                    ORG_A, "evt-1", 3, at(306_003), at(306_004), 413, "INTERNAL_RESPONSE_TOO_LARGE", "response over 64 KiB");

            recordAttempt(third);
            recordAttempt(first);
            recordAttempt(second);

            assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(first, second, third);
        }

        @Test
        void anEventWithoutAttemptsHasNone() {
            append(event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS));

            assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
            assertThat(store.attemptsOf(ORG_A, "evt-unknown")).isEmpty();
        }

        @Test
        void attemptsBelongToTheirEvent() {
            WebhookEvent first = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            WebhookEvent second = event(ORG_A, "evt-2", "cfg-1", at(1), EventStatus.IN_PROGRESS);
            append(first, attemptCarrier(first, 0));
            append(second, attemptCarrier(second, 0), attemptCarrier(second, 1));
            DeliveryAttempt ofFirst = attempt(ORG_A, "evt-1", 1, at(10), 500);
            DeliveryAttempt ofSecond1 = attempt(ORG_A, "evt-2", 1, at(11), 200);
            DeliveryAttempt ofSecond2 = attempt(ORG_A, "evt-2", 2, at(12), 200);

            recordAttempt(ofSecond2);
            recordAttempt(ofFirst);
            recordAttempt(ofSecond1);

            assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(ofFirst);
            assertThat(store.attemptsOf(ORG_A, "evt-2")).containsExactly(ofSecond1, ofSecond2);
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class EventSearch {

        /** Appends events in a shuffled order, so that insertion order says nothing about listing order. */
        private List<WebhookEvent> appendShuffled(List<WebhookEvent> events) {
            List<WebhookEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(20260101));
            shuffled.forEach(event -> append(event));
            return events;
        }

        /**
         * 40 events of {@code ORG_A} over 7 distinct instants (so up to 6 share a {@code created_at}),
         * three configs and every status, with ids whose order is unrelated to time.
         */
        private List<WebhookEvent> mixedDataset() {
            List<Integer> idNumbers = IntStream.range(0, 40).boxed().collect(Collectors.toCollection(ArrayList::new));
            Collections.shuffle(idNumbers, new Random(7));
            EventStatus[] statuses = EventStatus.values();
            List<WebhookEvent> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                events.add(event(
                        ORG_A,
                        String.format("evt%03d", idNumbers.get(i)),
                        "cfg-" + (i % 3),
                        at((i % 7) * 1000L),
                        statuses[i % statuses.length]));
            }
            return appendShuffled(events);
        }

        private List<WebhookEvent> expected(List<WebhookEvent> all, Predicate<WebhookEvent> filter) {
            return all.stream().filter(filter).sorted(NEWEST_FIRST).toList();
        }

        /**
         * Pages through {@code query} with {@link EventPage#nextCursor()}, checking every page
         * against the slice of {@code expected} it must hold, and returns the concatenated pages.
         */
        private List<WebhookEvent> pageThrough(EventQuery query, List<WebhookEvent> expected) {
            List<WebhookEvent> seen = new ArrayList<>();
            EventQuery next = query;
            for (int pageNumber = 0; pageNumber <= expected.size() + 1; pageNumber++) {
                EventPage page = store.searchEvents(ORG_A, next);
                int from = seen.size();
                int to = Math.min(from + query.limit(), expected.size());
                assertThat(page.events())
                        .as("page %d of %s", pageNumber, query)
                        .containsExactlyElementsOf(expected.subList(from, to));
                boolean more = to < expected.size();
                assertThat(page.hasMore()).as("hasMore of page %d of %s", pageNumber, query).isEqualTo(more);
                seen.addAll(page.events());
                if (!more) {
                    assertThat(page.nextCursor()).as("nextCursor of the last page").isNull();
                    return seen;
                }
                WebhookEvent last = page.events().get(page.events().size() - 1);
                assertThat(page.nextCursor()).isEqualTo(new EventCursor(last.createdAt(), last.eventId()));
                next = query.after(page.nextCursor());
            }
            throw new AssertionError("paging did not end");
        }

        @Test
        void anOrganizationWithoutEventsGivesAnEmptyLastPage() {
            EventPage page = store.searchEvents(ORG_A, everything(25));

            assertThat(page.events()).isEmpty();
            assertThat(page.hasMore()).isFalse();
            assertThat(page.nextCursor()).isNull();
        }

        @Test
        void aQueryMatchingNothingGivesAnEmptyLastPage() {
            List<WebhookEvent> all = mixedDataset();

            EventPage noConfig = store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-none", 25));
            EventPage beforeEverything = store.searchEvents(ORG_A, everything(25).after(new EventCursor(at(-1), "zzz")));
            EventPage emptyRange = store.searchEvents(ORG_A, new EventQuery(null, null, null, at(500), at(999), null, 25));

            for (EventPage page : List.of(noConfig, beforeEverything, emptyRange)) {
                assertThat(page.events()).isEmpty();
                assertThat(page.hasMore()).isFalse();
                assertThat(page.nextCursor()).isNull();
            }
            assertThat(all).hasSize(40);
        }

        @Test
        void eventsComeNewestFirstWithTiesBrokenByIdDescending() {
            List<WebhookEvent> all = mixedDataset();

            EventPage page = store.searchEvents(ORG_A, everything(100));

            assertThat(page.events()).containsExactlyElementsOf(expected(all, event -> true));
            assertThat(page.hasMore()).isFalse();
            assertThat(page.nextCursor()).isNull();
        }

        @Test
        void pagingThroughATieGroupNeitherSkipsNorRepeats() {
            List<WebhookEvent> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.add(event(ORG_A, "old" + i, "cfg-1", at(1000 + i), EventStatus.SUCCEEDED));
                all.add(event(ORG_A, "new" + i, "cfg-1", at(9000 + i), EventStatus.SUCCEEDED));
            }
            for (int i = 0; i < 12; i++) {
                // 12 events sharing one created_at, ids deliberately not in insertion order
                all.add(event(ORG_A, String.format("tie%02d", (i * 5) % 12), "cfg-1", at(5000), EventStatus.FAILED));
            }
            appendShuffled(all);
            List<WebhookEvent> expected = expected(all, event -> true);
            assertThat(expected).hasSize(22);

            for (int pageSize : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 21, 22, 23}) {
                List<WebhookEvent> paged = pageThrough(everything(pageSize), expected);

                assertThat(paged).as("page size %d", pageSize).containsExactlyElementsOf(expected);
                assertThat(new HashSet<>(ids(paged))).as("page size %d", pageSize).hasSize(22);
            }
        }

        @Test
        void theLastPageHasNoMoreAndNoCursor() {
            List<WebhookEvent> all = appendShuffled(IntStream.range(0, 5)
                    .mapToObj(i -> event(ORG_A, "evt" + i, "cfg-1", at(i * 10L), EventStatus.SUCCEEDED))
                    .toList());

            EventPage first = store.searchEvents(ORG_A, everything(2));
            EventPage second = store.searchEvents(ORG_A, everything(2).after(first.nextCursor()));
            EventPage third = store.searchEvents(ORG_A, everything(2).after(second.nextCursor()));

            assertThat(ids(first.events())).containsExactly("evt4", "evt3");
            assertThat(first.hasMore()).isTrue();
            assertThat(first.nextCursor()).isEqualTo(new EventCursor(at(30), "evt3"));
            assertThat(ids(second.events())).containsExactly("evt2", "evt1");
            assertThat(second.hasMore()).isTrue();
            assertThat(ids(third.events())).containsExactly("evt0");
            assertThat(third.hasMore()).isFalse();
            assertThat(third.nextCursor()).isNull();
            assertThat(all).hasSize(5);
        }

        @Test
        void aPageExactlyFilledByTheLastEventsHasNoMore() {
            appendShuffled(IntStream.range(0, 6)
                    .mapToObj(i -> event(ORG_A, "evt" + i, "cfg-1", at(i < 3 ? 0 : 1000), EventStatus.SUCCEEDED))
                    .toList());

            EventPage first = store.searchEvents(ORG_A, everything(3));
            EventPage second = store.searchEvents(ORG_A, everything(3).after(first.nextCursor()));
            EventPage whole = store.searchEvents(ORG_A, everything(6));

            assertThat(ids(first.events())).containsExactly("evt5", "evt4", "evt3");
            assertThat(first.hasMore()).isTrue();
            assertThat(ids(second.events())).containsExactly("evt2", "evt1", "evt0");
            assertThat(second.hasMore()).isFalse();
            assertThat(second.nextCursor()).isNull();
            assertThat(whole.events()).hasSize(6);
            assertThat(whole.hasMore()).isFalse();
            assertThat(whole.nextCursor()).isNull();
        }

        @Test
        void aCursorNeedNotNameAStoredEvent() {
            List<WebhookEvent> all = mixedDataset();
            List<EventCursor> cursors = List.of(
                    new EventCursor(at(3000), "evt020"),   // inside a tie group, between stored ids
                    new EventCursor(at(3000), "evt999"),   // before the whole tie group
                    new EventCursor(at(3000), "aaa"),      // after the whole tie group
                    new EventCursor(at(2500), "evt020"),   // between two instants
                    new EventCursor(at(99_000), "evt000")); // newer than every event

            for (EventCursor cursor : cursors) {
                List<WebhookEvent> expected = expected(all, event -> isAfter(event, cursor));

                EventPage page = store.searchEvents(ORG_A, everything(100).after(cursor));

                assertThat(page.events()).as("after %s", cursor).containsExactlyElementsOf(expected);
                assertThat(page.hasMore()).isFalse();
            }
        }

        @Test
        void statusFilterCombinesWithTheCursor() {
            List<WebhookEvent> all = mixedDataset();

            for (EventStatus status : EventStatus.values()) {
                List<WebhookEvent> expected = expected(all, event -> event.status() == status);
                assertThat(expected).isNotEmpty();

                List<WebhookEvent> paged = pageThrough(new EventQuery(null, status, null, null, null, null, 3), expected);

                assertThat(paged).containsExactlyElementsOf(expected);
            }
        }

        @Test
        void configFilterCombinesWithTheCursor() {
            List<WebhookEvent> all = mixedDataset();

            for (String configId : List.of("cfg-0", "cfg-1", "cfg-2")) {
                List<WebhookEvent> expected = expected(all, event -> event.webhookConfigId().equals(configId));
                assertThat(expected).hasSizeGreaterThan(10);

                List<WebhookEvent> paged = pageThrough(EventQuery.ofConfig(configId, 4), expected);

                assertThat(paged).containsExactlyElementsOf(expected);
            }
        }

        @Test
        void eventIdFilterFindsOnlyThatEvent() {
            List<WebhookEvent> all = mixedDataset();
            WebhookEvent target = all.get(17);
            EventStatus otherStatus = target.status() == EventStatus.FAILED ? EventStatus.SUCCEEDED : EventStatus.FAILED;

            EventPage byId = store.searchEvents(ORG_A, new EventQuery(null, null, target.eventId(), null, null, null, 5));
            EventPage byIdAndConfig = store.searchEvents(ORG_A,
                    new EventQuery(target.webhookConfigId(), target.status(), target.eventId(), null, null, null, 5));
            EventPage byIdWrongStatus = store.searchEvents(ORG_A,
                    new EventQuery(null, otherStatus, target.eventId(), null, null, null, 5));
            EventPage byIdWrongConfig = store.searchEvents(ORG_A,
                    new EventQuery("cfg-none", null, target.eventId(), null, null, null, 5));
            EventPage byIdOutOfRange = store.searchEvents(ORG_A,
                    new EventQuery(null, null, target.eventId(), target.createdAt().plusMillis(1), null, null, 5));
            EventPage cursorPastIt = store.searchEvents(ORG_A, new EventQuery(null, null, target.eventId(), null, null,
                    new EventCursor(target.createdAt(), target.eventId()), 5));
            EventPage cursorBeforeIt = store.searchEvents(ORG_A, new EventQuery(null, null, target.eventId(), null, null,
                    new EventCursor(target.createdAt().plusMillis(1), "evt000"), 5));
            EventPage unknown = store.searchEvents(ORG_A, new EventQuery(null, null, "evt-unknown", null, null, null, 5));

            assertThat(byId.events()).containsExactly(target);
            assertThat(byId.hasMore()).isFalse();
            assertThat(byIdAndConfig.events()).containsExactly(target);
            assertThat(byIdWrongStatus.events()).isEmpty();
            assertThat(byIdWrongConfig.events()).isEmpty();
            assertThat(byIdOutOfRange.events()).isEmpty();
            assertThat(cursorPastIt.events()).isEmpty();
            assertThat(cursorBeforeIt.events()).containsExactly(target);
            assertThat(unknown.events()).isEmpty();
            assertThat(unknown.hasMore()).isFalse();
        }

        @Test
        void fromAndToAreInclusiveBounds() {
            List<WebhookEvent> all = mixedDataset();
            Instant from = at(2000);
            Instant to = at(5000);

            List<WebhookEvent> expected = expected(all,
                    event -> !event.createdAt().isBefore(from) && !event.createdAt().isAfter(to));
            assertThat(expected).extracting(WebhookEvent::createdAt).contains(from, to);

            assertThat(pageThrough(new EventQuery(null, null, null, from, to, null, 2), expected))
                    .containsExactlyElementsOf(expected);
            assertThat(pageThrough(new EventQuery(null, null, null, from, null, null, 5),
                    expected(all, event -> !event.createdAt().isBefore(from))))
                    .extracting(WebhookEvent::createdAt).allMatch(createdAt -> !createdAt.isBefore(from));
            assertThat(pageThrough(new EventQuery(null, null, null, null, to, null, 5),
                    expected(all, event -> !event.createdAt().isAfter(to))))
                    .extracting(WebhookEvent::createdAt).allMatch(createdAt -> !createdAt.isAfter(to));
            EventCursor newerThanTo = new EventCursor(to.plusMillis(1500), "evt000");
            assertThat(all).as("events between the upper bound and the cursor")
                    .anyMatch(event -> event.createdAt().isAfter(to) && isAfter(event, newerThanTo));
            assertThat(pageThrough(new EventQuery(null, null, null, from, to, newerThanTo, 3), expected))
                    .as("a cursor newer than the upper bound")
                    .containsExactlyElementsOf(expected);
            assertThat(pageThrough(new EventQuery(null, null, null, to, to, null, 2),
                    expected(all, event -> event.createdAt().equals(to))))
                    .isNotEmpty()
                    .extracting(WebhookEvent::createdAt).containsOnly(to);
        }

        @Test
        void everyFilterCombinesWithPaging() {
            List<WebhookEvent> all = mixedDataset();
            Instant from = at(1000);
            Instant to = at(5000);
            int checkedQueries = 0;

            for (String configId : List.of("cfg-0", "cfg-2")) {
                for (EventStatus status : List.of(EventStatus.SUCCEEDED, EventStatus.IN_PROGRESS)) {
                    List<WebhookEvent> expected = expected(all, event -> event.webhookConfigId().equals(configId)
                            && event.status() == status
                            && !event.createdAt().isBefore(from)
                            && !event.createdAt().isAfter(to));
                    EventQuery query = new EventQuery(configId, status, null, from, to, null, 1);

                    assertThat(pageThrough(query, expected)).containsExactlyElementsOf(expected);
                    checkedQueries += expected.isEmpty() ? 0 : 1;
                }
            }
            assertThat(checkedQueries).as("queries with a non-empty result").isGreaterThan(1);
        }

        @Test
        void searchSeesUpdatedStatuses() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(event, attemptCarrier(event, 0));
            WebhookEvent done = event.toBuilder().status(EventStatus.SUCCEEDED).build();

            recordOutcome(attempt(ORG_A, "evt-1", 1, at(10), 200), done);

            assertThat(store.searchEvents(ORG_A, new EventQuery(null, EventStatus.IN_PROGRESS, null, null, null, null, 5))
                    .events()).isEmpty();
            assertThat(store.searchEvents(ORG_A, new EventQuery(null, EventStatus.SUCCEEDED, null, null, null, null, 5))
                    .events()).containsExactly(done);
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Queue {

        @Test
        void claimHandsOutDueJobsEarliestFirstUnderALease() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob third = job("job-c", event, 0, at(300));
            DeliveryJob first = job("job-a", event, 2, at(100));
            DeliveryJob second = job("job-b", event, 0, at(200));
            append(event, third, first, second);
            Instant now = at(1000);

            List<ClaimedJob> claimed = store.claim(now, 10, LEASE, "node-1");

            assertThat(claimed).extracting(ClaimedJob::job).containsExactly(first, second, third);
            assertThat(claimed).allSatisfy(claim -> {
                assertThat(claim.nodeId()).isEqualTo("node-1");
                assertThat(claim.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
            });
        }

        @Test
        void claimJobLeasesOneNamedJobWhateverItsDueAt() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob later = job("job-later", event, 0, at(5000));
            DeliveryJob other = job("job-other", event, 0, at(0));
            append(event, later, other);

            ClaimedJob claim = store.claimJob(ORG_A, "job-later", at(10), LEASE, "node-1").orElseThrow();

            assertThat(claim.job()).isEqualTo(later);
            assertThat(claim.nodeId()).isEqualTo("node-1");
            assertThat(claim.leaseExpiresAt()).isEqualTo(at(10).plus(LEASE));
            assertThat(jobIds(store.claim(at(6000), 10, LEASE, "node-2"))).as("the claimed job is leased")
                    .containsExactly("job-other");
            assertThat(store.claimJob(ORG_A, "job-later", at(20), LEASE, "node-2")).as("a live lease holds it").isEmpty();
            ClaimedJob again = store.claimJob(ORG_A, "job-later", at(10).plus(LEASE), LEASE, "node-2").orElseThrow();
            assertThat(again.leaseToken()).as("an expired lease is free").isNotEqualTo(claim.leaseToken());
            assertThat(store.complete(claim)).isFalse();
            assertThat(store.complete(again)).isTrue();
        }

        @Test
        void claimJobFindsNothingUnknownOrForeign() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            append(event, job("job-1", event, 0, at(0)));

            assertThat(store.claimJob(ORG_B, "job-1", at(10), LEASE, "node-1")).isEmpty();
            assertThat(store.claimJob(ORG_A, "job-2", at(10), LEASE, "node-1")).isEmpty();
            assertThat(jobIds(store.claim(at(10), 10, LEASE, "node-1"))).containsExactly("job-1");
        }

        @Test
        void aJobIsNotClaimableBeforeItsDueAt() {
            appendWithJobs(ORG_A, "evt-1", at(1000), at(1001));

            assertThat(store.claim(at(999), 10, LEASE, "node-1")).isEmpty();
            assertThat(jobIds(store.claim(at(1000), 10, LEASE, "node-1"))).containsExactly("org-a-evt-1-job-0");
            assertThat(jobIds(store.claim(at(1000), 10, LEASE, "node-1"))).isEmpty();
            assertThat(jobIds(store.claim(at(1001), 10, LEASE, "node-1"))).containsExactly("org-a-evt-1-job-1");
        }

        @Test
        void claimReturnsAtMostMaxJobs() {
            appendWithJobs(ORG_A, "evt-1", at(50), at(40), at(30), at(20), at(10));
            Instant now = at(100);

            List<ClaimedJob> first = store.claim(now, 2, LEASE, "node-1");
            List<ClaimedJob> second = store.claim(now, 2, LEASE, "node-1");
            List<ClaimedJob> third = store.claim(now, 2, LEASE, "node-1");
            List<ClaimedJob> fourth = store.claim(now, 2, LEASE, "node-1");

            assertThat(first).extracting(claim -> claim.job().dueAt()).containsExactly(at(10), at(20));
            assertThat(second).extracting(claim -> claim.job().dueAt()).containsExactly(at(30), at(40));
            assertThat(third).extracting(claim -> claim.job().dueAt()).containsExactly(at(50));
            assertThat(fourth).isEmpty();
            assertThat(store.claim(now, 1, LEASE, "node-2")).isEmpty();
        }

        @Test
        void jobsWhoseLeaseExpiredAndJobsNeverClaimedComeTogetherEarliestFirst() {
            appendWithJobs(ORG_A, "evt-1", at(10), at(20), at(30), at(40));
            List<ClaimedJob> shortLeases = store.claim(at(25), 10, Duration.ofSeconds(1), "node-1");
            assertThat(shortLeases).extracting(claim -> claim.job().dueAt()).containsExactly(at(10), at(20));

            List<ClaimedJob> claimed = store.claim(at(25).plusSeconds(1), 10, LEASE, "node-2");

            assertThat(claimed).extracting(claim -> claim.job().dueAt()).containsExactly(at(10), at(20), at(30), at(40));
            assertThat(claimed).allSatisfy(claim -> assertThat(claim.nodeId()).isEqualTo("node-2"));
        }

        @Test
        void jobsOfEveryOrganizationAreClaimed() {
            appendWithJobs(ORG_A, "evt-1", at(10));
            appendWithJobs(ORG_B, "evt-1", at(20));

            List<ClaimedJob> claimed = store.claim(at(100), 10, LEASE, "node-1");

            assertThat(claimed).extracting(claim -> claim.job().orgId()).containsExactly(ORG_A, ORG_B);
            assertThat(jobIds(claimed)).containsExactly("org-a-evt-1-job-0", "org-b-evt-1-job-0");
        }

        @Test
        void aLeasedJobIsClaimableAgainOnlyOnceItsLeaseExpired() {
            DeliveryJob job = store.jobsOfEvent(ORG_A, appendWithJobs(ORG_A, "evt-1", at(0)).eventId()).get(0);
            Instant now = at(1000);
            ClaimedJob first = store.claim(now, 10, LEASE, "node-1").get(0);

            assertThat(store.claim(now, 10, LEASE, "node-2")).isEmpty();
            assertThat(store.claim(now.plus(LEASE).minusMillis(1), 10, LEASE, "node-2")).isEmpty();
            List<ClaimedJob> again = store.claim(now.plus(LEASE), 10, LEASE, "node-2");

            assertThat(again).hasSize(1);
            ClaimedJob second = again.get(0);
            assertThat(second.job()).isEqualTo(job);
            assertThat(second.nodeId()).isEqualTo("node-2");
            assertThat(second.leaseExpiresAt()).isEqualTo(now.plus(LEASE).plus(LEASE));
            assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());
            assertThat(store.claim(now.plus(LEASE), 10, LEASE, "node-3")).isEmpty();
        }

        @Test
        void everyClaimOfAJobHasItsOwnLeaseToken() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            Set<Long> tokens = new HashSet<>();
            Instant now = at(0);

            for (int round = 0; round < 3; round++) {
                ClaimedJob released = store.claim(now, 1, LEASE, "node-1").get(0);
                tokens.add(released.leaseToken());
                assertThat(store.release(released)).isTrue();
                ClaimedJob expired = store.claim(now, 1, LEASE, "node-2").get(0);
                tokens.add(expired.leaseToken());
                now = now.plus(LEASE);
            }

            assertThat(tokens).hasSize(6);
        }

        @Test
        void completeRemovesTheJob() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0), at(5000));
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);

            assertThat(store.complete(claim)).isTrue();

            assertThat(store.jobsOfEvent(ORG_A, event.eventId())).extracting(DeliveryJob::jobId)
                    .containsExactly("org-a-evt-1-job-1");
            assertThat(store.stats(at(10)).depth()).isEqualTo(1);
            assertThat(jobIds(store.claim(at(10).plus(LEASE).plus(LEASE), 10, LEASE, "node-2")))
                    .containsExactly("org-a-evt-1-job-1");
            assertThat(store.complete(claim)).isFalse();
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
        }

        @Test
        void completeWithAStaleClaimReturnsFalseAndChangesNothing() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant later = at(10).plus(LEASE);
            ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);

            assertThat(store.complete(stale)).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.claim(later, 1, LEASE, "node-3")).as("the current lease still holds").isEmpty();
            assertThat(store.complete(current)).isTrue();
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
        }

        @Test
        void rescheduleSetsAttemptAndDueAtAndClearsTheLease() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant retryAt = at(20); // well before the lease would expire

            assertThat(store.reschedule(claim, 1, retryAt)).isTrue();

            DeliveryJob rescheduled = new DeliveryJob(
                    job.jobId(), job.orgId(), job.eventId(), job.configId(), 1, retryAt, job.createdAt());
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(rescheduled);
            assertThat(store.stats(at(19))).isEqualTo(new QueueStats(1, 0, null));
            assertThat(store.claim(at(19), 1, LEASE, "node-2")).isEmpty();
            List<ClaimedJob> reclaimed = store.claim(retryAt, 1, LEASE, "node-2");
            assertThat(reclaimed).extracting(ClaimedJob::job).containsExactly(rescheduled);
            assertThat(reclaimed.get(0).leaseToken()).isNotEqualTo(claim.leaseToken());
            assertThat(store.complete(claim)).as("the rescheduled claim no longer holds the job").isFalse();
            assertThat(store.complete(reclaimed.get(0))).isTrue();
        }

        @Test
        void rescheduleWithAStaleClaimReturnsFalseAndChangesNothing() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant later = at(10).plus(LEASE);
            ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);

            assertThat(store.reschedule(stale, 3, later.plusSeconds(1))).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.claim(later.plusSeconds(1), 1, LEASE, "node-3")).as("the current lease still holds")
                    .isEmpty();
            assertThat(store.reschedule(current, 1, later.plusSeconds(2))).isTrue();
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).extracting(DeliveryJob::attempt, DeliveryJob::dueAt)
                    .containsExactly(tuple(1, later.plusSeconds(2)));
        }

        @Test
        void releaseGivesTheJobBackUntouchedAndClaimableAtOnce() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob job = job("job-1", event, 2, at(100));
            append(event, job);
            Instant now = at(1000);
            ClaimedJob claim = store.claim(now, 1, LEASE, "node-1").get(0);

            assertThat(store.release(claim)).isTrue();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.stats(now)).isEqualTo(new QueueStats(1, 1, at(100)));
            List<ClaimedJob> again = store.claim(now, 1, LEASE, "node-2");
            assertThat(again).extracting(ClaimedJob::job).containsExactly(job);
            assertThat(again.get(0).leaseToken()).isNotEqualTo(claim.leaseToken());
        }

        @Test
        void releaseWithAStaleClaimReturnsFalseAndChangesNothing() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant later = at(10).plus(LEASE);
            ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);

            assertThat(store.release(stale)).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
            assertThat(store.claim(later, 1, LEASE, "node-3")).as("the current lease still holds").isEmpty();
            assertThat(store.release(current)).isTrue();
            assertThat(jobIds(store.claim(later, 1, LEASE, "node-3"))).containsExactly(job.jobId());
        }

        @Test
        void aReleasedClaimNoLongerHoldsTheJob() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
            assertThat(store.release(claim)).isTrue();

            assertThat(store.release(claim)).isFalse();
            assertThat(store.reschedule(claim, 1, at(99_999))).isFalse();
            assertThat(store.complete(claim)).isFalse();

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(job);
        }

        @Test
        void jobsOfEventListsLeasedAndWaitingJobsEarliestFirst() {
            WebhookEvent event = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            DeliveryJob later = job("job-later", event, 0, at(5000));
            DeliveryJob sooner = job("job-sooner", event, 0, at(10));
            DeliveryJob middle = job("job-middle", event, 0, at(3000));
            append(event, later, sooner, middle);
            appendWithJobs(ORG_A, "evt-2", at(1));

            assertThat(jobIds(store.claim(at(20), 10, LEASE, "node-1"))).containsExactly("org-a-evt-2-job-0", "job-sooner");

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(sooner, middle, later);
            assertThat(store.jobsOfEvent(ORG_A, "evt-2")).extracting(DeliveryJob::jobId)
                    .containsExactly("org-a-evt-2-job-0");
            assertThat(store.jobsOfEvent(ORG_A, "evt-unknown")).isEmpty();
        }

        @Test
        void renewingALiveClaimExtendsItsLeaseFromNow() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            DeliveryJob job = store.jobsOfEvent(ORG_A, event.eventId()).get(0);
            Instant claimedAt = at(10);
            ClaimedJob claim = store.claim(claimedAt, 1, LEASE, "node-1").get(0);
            Instant renewedAt = claimedAt.plus(LEASE.dividedBy(2));

            Optional<ClaimedJob> renewed = store.renewLease(claim, renewedAt, LEASE);

            assertThat(renewed).contains(new ClaimedJob(job, "node-1", renewedAt.plus(LEASE), claim.leaseToken()));
            assertThat(store.claim(claimedAt.plus(LEASE), 1, LEASE, "node-2"))
                    .as("the first lease's expiry no longer frees the job").isEmpty();
            assertThat(store.claim(renewedAt.plus(LEASE).minusMillis(1), 1, LEASE, "node-2")).isEmpty();
            assertThat(store.stats(renewedAt.plus(LEASE).minusMillis(1))).isEqualTo(new QueueStats(1, 0, null));
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).as("renewal changes nothing else").containsExactly(job);
            assertThat(store.complete(claim)).as("the claim still holds its job under its token").isTrue();
        }

        @Test
        void aRenewedLeaseExpiresLikeAnyOther() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant renewedAt = at(20);
            ClaimedJob renewed = store.renewLease(claim, renewedAt, LEASE).orElseThrow();

            List<ClaimedJob> taken = store.claim(renewed.leaseExpiresAt(), 1, LEASE, "node-2");

            assertThat(jobIds(taken)).containsExactly("org-a-evt-1-job-0");
            assertThat(store.renewLease(renewed, renewed.leaseExpiresAt(), LEASE))
                    .as("the taken-over claim is not renewed").isEmpty();
            assertThat(store.claim(renewed.leaseExpiresAt().plusSeconds(1), 1, LEASE, "node-3"))
                    .as("the new holder's lease stands").isEmpty();
            assertThat(store.complete(taken.get(0))).isTrue();
        }

        @Test
        void anExpiredLeaseIsNotRenewedEvenWhenNobodyClaimedTheJobAgain() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant expired = at(10).plus(LEASE);

            assertThat(store.renewLease(claim, expired, LEASE)).isEmpty();

            assertThat(jobIds(store.claim(expired, 1, LEASE, "node-2"))).containsExactly("org-a-evt-1-job-0");
        }

        @Test
        void releasedCompletedAndForeignClaimsAreNotRenewed() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            appendWithJobs(ORG_A, "evt-2", at(0));
            List<ClaimedJob> claims = store.claim(at(10), 2, LEASE, "node-1");
            ClaimedJob released = claims.get(0);
            ClaimedJob completed = claims.get(1);
            assertThat(store.release(released)).isTrue();
            assertThat(store.complete(completed)).isTrue();
            ClaimedJob reclaimed = store.claim(at(10), 1, LEASE, "node-2").get(0);
            ClaimedJob inAnotherOrg = new ClaimedJob(new DeliveryJob(reclaimed.job().jobId(), ORG_B,
                    reclaimed.job().eventId(), reclaimed.job().configId(), 0, at(0), at(0)), "node-2",
                    reclaimed.leaseExpiresAt(), reclaimed.leaseToken());

            assertThat(store.renewLease(released, at(20), LEASE)).as("released").isEmpty();
            assertThat(store.renewLease(completed, at(20), LEASE)).as("completed").isEmpty();
            assertThat(store.renewLease(inAnotherOrg, at(20), LEASE)).as("another organization's job").isEmpty();

            assertThat(store.jobsOfEvent(ORG_A, "evt-2")).as("a renewal never brings a completed job back").isEmpty();
            assertThat(jobIds(store.claim(reclaimed.leaseExpiresAt(), 1, LEASE, "node-3")))
                    .as("the current lease was not renewed by the others").containsExactly(released.job().jobId());
        }

        @Test
        void aRenewalWithoutAPositiveLeaseIsRefusedAndChangesNothing() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);

            assertThatThrownBy(() -> store.renewLease(claim, at(20), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(jobIds(store.claim(at(10).plus(LEASE), 1, LEASE, "node-2")))
                    .as("the lease was not renewed").containsExactly("org-a-evt-1-job-0");
        }

        @Test
        void statsOfAnEmptyQueue() {
            assertThat(store.stats(at(0))).isEqualTo(new QueueStats(0, 0, null));
        }

        @Test
        void statsCountDepthDueJobsAndTheOldestDueAt() {
            appendWithJobs(ORG_A, "evt-1", at(50), at(60), at(100), at(200));
            appendWithJobs(ORG_B, "evt-1", at(5000));
            ClaimedJob shortLease = store.claim(at(50), 1, Duration.ofMillis(100), "node-1").get(0);
            ClaimedJob longLease = store.claim(at(60), 1, LEASE, "node-1").get(0);
            assertThat(shortLease.job().dueAt()).isEqualTo(at(50));
            assertThat(longLease.job().dueAt()).isEqualTo(at(60));

            // at 10 nothing is due; everything counts toward depth
            assertThat(store.stats(at(10))).isEqualTo(new QueueStats(5, 0, null));
            // at 120 the job due at 100 waits; the jobs due at 50 and 60 are leased
            assertThat(store.stats(at(120))).isEqualTo(new QueueStats(5, 1, at(100)));
            // at 1000 the short lease expired: the job due at 50 waits again, with those due at 100 and 200
            assertThat(store.stats(at(1000))).isEqualTo(new QueueStats(5, 3, at(50)));
            // once every lease expired, every due job counts, in every organization
            assertThat(store.stats(at(60).plus(LEASE).plusSeconds(10))).isEqualTo(new QueueStats(5, 5, at(50)));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Outcomes {

        private AttemptOutcome outcome(ClaimedJob claim, EventStatus status, Integer statusCode, Instant retryAt) {
            DeliveryJob job = claim.job();
            WebhookEvent stored = store.findEvent(job.orgId(), job.eventId()).orElseThrow();
            WebhookEvent after = stored.toBuilder()
                    .status(status)
                    .httpResponse(new EventHttpResponse(statusCode, "answer " + statusCode, null, null))
                    .retryAttempt(job.attempt())
                    .build();
            return new AttemptOutcome(claim, attempt(job.orgId(), job.eventId(), job.attempt() + 1, at(20), statusCode),
                    after, retryAt);
        }

        @Test
        void eachOutcomeMovesItsJobAndWritesItsEventAndAttempt() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            appendWithJobs(ORG_B, "evt-2", at(1));
            List<ClaimedJob> claims = store.claim(at(10), 2, LEASE, "node-1");
            AttemptOutcome delivered = outcome(claims.get(0), EventStatus.SUCCEEDED, 200, null);
            AttemptOutcome retried = outcome(claims.get(1), EventStatus.IN_PROGRESS, 503, at(5_000));

            assertThat(store.recordOutcomes(List.of(delivered, retried))).containsExactly(true, true);

            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(delivered.event());
            assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(delivered.attempt());
            DeliveryJob job = claims.get(1).job();
            assertThat(store.jobsOfEvent(ORG_B, "evt-2")).containsExactly(new DeliveryJob(
                    job.jobId(), job.orgId(), job.eventId(), job.configId(), 1, at(5_000), job.createdAt()));
            assertThat(store.findEvent(ORG_B, "evt-2")).contains(retried.event());
            assertThat(store.attemptsOf(ORG_B, "evt-2")).containsExactly(retried.attempt());
            assertThat(store.claim(at(4_999), 10, LEASE, "node-2")).as("the lease is cleared, the job not yet due")
                    .isEmpty();
            assertThat(jobIds(store.claim(at(5_000), 10, LEASE, "node-2"))).containsExactly(job.jobId());
        }

        @Test
        void anOutcomeReplacesTheEventButKeepsIdentityConfigAndCreationTime() {
            WebhookEvent original = fullEvent(ORG_A, "evt-1", "cfg-1", at(100)).toBuilder()
                    .status(EventStatus.IN_PROGRESS)
                    .build();
            append(original, job("job-1", original, 0, at(100)));
            ClaimedJob claim = store.claim(at(100), 1, LEASE, "node-1").get(0);
            EventHttpResponse response = new EventHttpResponse(
                    200, "accepted", JsonNodeFactory.instance.objectNode().put("ok", true), null);
            // as the engine hands it over: the stored event, its identity, config, creation time and
            // payloads as read, with the attempt's outcome applied
            WebhookEvent update = original.toBuilder()
                    .url("https://changed.example.com/")
                    .status(EventStatus.SUCCEEDED)
                    .httpResponse(response)
                    .metadata(null)
                    .retryAttempt(1)
                    .canReapplyTransform(false)
                    .canReapplyTransformReason(null)
                    .build();

            assertThat(store.recordOutcomes(List.of(
                    new AttemptOutcome(claim, attempt(ORG_A, "evt-1", 1, at(150), 200), update, null))))
                    .containsExactly(true);

            WebhookEvent expected = update.toBuilder()
                    .webhookConfigId("cfg-1")
                    .createdAt(at(100))
                    .build();
            assertThat(store.findEvent(ORG_A, "evt-1")).contains(expected);
            assertThat(store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-1", 10)).events()).containsExactly(expected);
            assertThat(store.searchEvents(ORG_A, EventQuery.ofConfig("cfg-other", 10)).events()).isEmpty();
            assertThat(store.searchEvents(ORG_A, new EventQuery(null, null, null, at(100), at(100), null, 10))
                    .events()).containsExactly(expected);
        }

        @Test
        void aStaleClaimsOutcomeWritesNothingAndTheOthersStand() {
            WebhookEvent first = appendWithJobs(ORG_A, "evt-1", at(0));
            ClaimedJob stale = store.claim(at(10), 1, LEASE, "node-1").get(0);
            Instant later = at(10).plus(LEASE);
            ClaimedJob current = store.claim(later, 1, LEASE, "node-2").get(0);
            appendWithJobs(ORG_A, "evt-2", at(0));
            ClaimedJob other = store.claim(later, 1, LEASE, "node-1").get(0);
            DeliveryJob held = store.jobsOfEvent(ORG_A, "evt-1").get(0);

            assertThat(store.recordOutcomes(List.of(
                    outcome(stale, EventStatus.FAILED, 500, null),
                    outcome(other, EventStatus.SUCCEEDED, 200, null))))
                    .containsExactly(false, true);

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(first);
            assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).containsExactly(held);
            assertThat(store.claim(later, 1, LEASE, "node-3")).as("the current lease still holds").isEmpty();
            assertThat(store.findEvent(ORG_A, "evt-2").map(WebhookEvent::status)).contains(EventStatus.SUCCEEDED);
            assertThat(store.recordOutcomes(List.of(outcome(current, EventStatus.SUCCEEDED, 200, null))))
                    .containsExactly(true);
            assertThat(store.attemptsOf(ORG_A, "evt-1")).hasSize(1);
        }

        @Test
        void anEmptyListWritesNothing() {
            appendWithJobs(ORG_A, "evt-1", at(0));

            assertThat(store.recordOutcomes(List.of())).isEmpty();

            assertThat(store.stats(at(0)).depth()).isEqualTo(1);
        }

        @Test
        void twoOutcomesOfOneClaimAreRefusedWritingNothing() {
            WebhookEvent event = appendWithJobs(ORG_A, "evt-1", at(0));
            ClaimedJob claim = store.claim(at(10), 1, LEASE, "node-1").get(0);
            AttemptOutcome once = outcome(claim, EventStatus.SUCCEEDED, 200, null);

            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> store.recordOutcomes(List.of(once, once)))
                    .withMessageContaining(claim.job().jobId());

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
            assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
            assertThat(store.recordOutcomes(List.of(once))).as("the claim still holds").containsExactly(true);
        }

        @Test
        void outcomesOfOneJobUnderTwoClaimsInOneCallWriteOnlyTheCurrentHolders() {
            appendWithJobs(ORG_A, "evt-1", at(0));
            ClaimedJob expired = store.claim(at(10), 1, LEASE, "node-1").get(0);
            ClaimedJob current = store.claim(at(10).plus(LEASE), 1, LEASE, "node-1").get(0);
            AttemptOutcome late = outcome(expired, EventStatus.FAILED, 500, null);
            AttemptOutcome fresh = outcome(current, EventStatus.SUCCEEDED, 200, null);

            assertThat(store.recordOutcomes(List.of(late, fresh))).containsExactly(false, true);

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(fresh.event());
            assertThat(store.attemptsOf(ORG_A, "evt-1")).containsExactly(fresh.attempt());
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).isEmpty();
        }

        @Test
        void staleAndCurrentHoldersWritingAtOnceNeitherDeadlockNorBothWin() throws Exception {
            int jobs = 100;
            for (int i = 0; i < jobs; i++) {
                appendWithJobs(ORG_A, "evt-" + i, at(i));
            }
            List<ClaimedJob> stale = store.claim(at(1_000), jobs, LEASE, "node-1");
            List<ClaimedJob> current = store.claim(at(1_000).plus(LEASE), jobs, LEASE, "node-2");
            assertThat(stale).hasSize(jobs);
            assertThat(current).hasSize(jobs);
            List<AttemptOutcome> staleOutcomes = new ArrayList<>();
            stale.forEach(claim -> staleOutcomes.add(outcome(claim, EventStatus.FAILED, 500, null)));
            Collections.reverse(staleOutcomes); // the other order from the current holder's
            List<AttemptOutcome> currentOutcomes = new ArrayList<>();
            current.forEach(claim -> currentOutcomes.add(outcome(claim, EventStatus.SUCCEEDED, 200, null)));

            List<List<Boolean>> written = runConcurrently(2,
                    thread -> () -> store.recordOutcomes(thread == 0 ? staleOutcomes : currentOutcomes));

            assertThat(written.get(0)).as("stale").containsOnly(false);
            assertThat(written.get(1)).as("current").hasSize(jobs).containsOnly(true);
            for (int i = 0; i < jobs; i++) {
                assertThat(store.findEvent(ORG_A, "evt-" + i).map(WebhookEvent::status)).contains(EventStatus.SUCCEEDED);
                assertThat(store.attemptsOf(ORG_A, "evt-" + i)).extracting(DeliveryAttempt::statusCode)
                        .containsExactly(200);
            }
            assertThat(store.stats(at(1_000).plus(LEASE)).depth()).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class QueueConcurrency {

        private static final int EVENTS = 1_000;
        private static final int JOBS_PER_EVENT = 10;
        private static final int JOBS = EVENTS * JOBS_PER_EVENT;
        private static final int THREADS = 8;
        private static final int BATCH = 50;

        /** Queues {@link #JOBS} jobs over {@link #EVENTS} events, all due at {@code T0 + 1 h}, keyed by id. */
        private Map<String, DeliveryJob> queueJobs() {
            Map<String, DeliveryJob> jobs = new HashMap<>();
            for (int e = 0; e < EVENTS; e++) {
                String org = e % 2 == 0 ? ORG_A : ORG_B;
                WebhookEvent event = event(org, String.format("evt%05d", e), "cfg-1", at(e), EventStatus.IN_PROGRESS);
                DeliveryJob[] eventJobs = new DeliveryJob[JOBS_PER_EVENT];
                for (int j = 0; j < JOBS_PER_EVENT; j++) {
                    // distinct due instants so that the order within each batch can be checked
                    DeliveryJob job = job(String.format("job%05d-%02d", e, j), event, 0, at(e * JOBS_PER_EVENT + j));
                    eventJobs[j] = job;
                    jobs.put(job.jobId(), job);
                }
                append(event, eventJobs);
            }
            return jobs;
        }

        /**
         * Claims from {@link #THREADS} threads at {@code now} until the queue has nothing left to hand
         * out, checking each batch, and returns every claim.
         */
        private List<ClaimedJob> claimAllConcurrently(Instant now) throws Exception {
            AtomicInteger handedOut = new AtomicInteger();
            List<List<ClaimedJob>> perThread = runConcurrently(THREADS, thread -> () -> {
                String node = "node-" + thread;
                List<ClaimedJob> mine = new ArrayList<>();
                int emptyInARow = 0;
                while (true) {
                    List<ClaimedJob> batch = store.claim(now, BATCH, LEASE, node);
                    if (batch.isEmpty()) {
                        // A store may answer empty while rows are locked by a concurrent claim
                        // (SKIP LOCKED); poll a little before concluding that the queue is drained.
                        if (handedOut.get() >= JOBS || ++emptyInARow > 200) {
                            return mine;
                        }
                        Thread.onSpinWait();
                        continue;
                    }
                    emptyInARow = 0;
                    if (handedOut.addAndGet(batch.size()) > JOBS) {
                        mine.addAll(batch);
                        return mine; // some job was handed out twice: stop, the caller's checks fail
                    }
                    assertThat(batch).hasSizeLessThanOrEqualTo(BATCH);
                    assertThat(batch).extracting(claim -> claim.job().dueAt()).isSorted();
                    for (ClaimedJob claim : batch) {
                        assertThat(claim.nodeId()).isEqualTo(node);
                        assertThat(claim.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
                    }
                    mine.addAll(batch);
                }
            });
            return perThread.stream().flatMap(List::stream).toList();
        }

        private Map<String, ClaimedJob> byJobId(List<ClaimedJob> claims, Map<String, DeliveryJob> jobs) {
            Map<String, ClaimedJob> byId = new HashMap<>();
            for (ClaimedJob claim : claims) {
                ClaimedJob previous = byId.put(claim.job().jobId(), claim);
                assertThat(previous).as("job %s handed out twice", claim.job().jobId()).isNull();
            }
            assertThat(claims).hasSize(JOBS);
            assertThat(byId.keySet()).isEqualTo(jobs.keySet());
            for (ClaimedJob claim : claims) {
                assertThat(claim.job()).isEqualTo(jobs.get(claim.job().jobId()));
            }
            return byId;
        }

        @Test
        @Timeout(value = 4 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
        void concurrentClaimsHandOutEveryJobOncePerLease() throws Exception {
            Map<String, DeliveryJob> jobs = queueJobs();
            Instant now = at(JOBS + 60_000);
            assertThat(store.stats(now)).isEqualTo(new QueueStats(JOBS, JOBS, at(0)));

            Map<String, ClaimedJob> firstClaims = byJobId(claimAllConcurrently(now), jobs);

            assertThat(store.claim(now, BATCH, LEASE, "latecomer")).isEmpty();
            assertThat(store.claim(now.plus(LEASE).minusMillis(1), BATCH, LEASE, "latecomer")).isEmpty();
            assertThat(store.stats(now)).isEqualTo(new QueueStats(JOBS, 0, null));

            Instant afterExpiry = now.plus(LEASE);
            Map<String, ClaimedJob> secondClaims = byJobId(claimAllConcurrently(afterExpiry), jobs);

            assertThat(store.claim(afterExpiry, BATCH, LEASE, "latecomer")).isEmpty();
            for (ClaimedJob second : secondClaims.values()) {
                ClaimedJob first = firstClaims.get(second.job().jobId());
                assertThat(second.leaseToken()).as("token of the second claim of %s", second.job().jobId())
                        .isNotEqualTo(first.leaseToken());
            }

            // the first claims are stale now: every operation with them fails, and changes nothing
            List<String> sample = new ArrayList<>(new TreeSet<>(jobs.keySet())).subList(0, JOBS / 50);
            for (String jobId : sample) {
                ClaimedJob stale = firstClaims.get(jobId);
                assertThat(store.complete(stale)).isFalse();
                assertThat(store.reschedule(stale, 1, afterExpiry)).isFalse();
                assertThat(store.release(stale)).isFalse();
            }
            assertThat(store.stats(afterExpiry)).isEqualTo(new QueueStats(JOBS, 0, null));

            // the current claims complete, concurrently, each exactly once
            List<ClaimedJob> current = new ArrayList<>(secondClaims.values());
            List<Integer> completed = runConcurrently(THREADS, thread -> () -> {
                int count = 0;
                for (int i = thread; i < current.size(); i += THREADS) {
                    if (store.complete(current.get(i))) {
                        count++;
                    }
                }
                return count;
            });
            assertThat(completed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(JOBS);
            assertThat(store.stats(afterExpiry.plus(LEASE).plus(LEASE))).isEqualTo(new QueueStats(0, 0, null));
            assertThat(store.claim(afterExpiry.plus(LEASE).plus(LEASE), BATCH, LEASE, "latecomer")).isEmpty();
        }

        @Test
        @Timeout(value = 2 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
        void racingOperationsOnTheSameClaimSucceedOnce() throws Exception {
            int jobCount = 500;
            for (int e = 0; e < jobCount; e++) {
                appendWithJobs(ORG_A, String.format("evt%04d", e), at(e));
            }
            List<ClaimedJob> claims = store.claim(at(jobCount), jobCount, LEASE, "node-1");
            assertThat(claims).hasSize(jobCount);

            // every thread tries to complete, release or reschedule every claim; one wins per job
            List<Integer> wins = runConcurrently(THREADS, thread -> () -> {
                int count = 0;
                for (ClaimedJob claim : claims) {
                    boolean won = switch (thread % 3) {
                        case 0 -> store.complete(claim);
                        case 1 -> store.release(claim);
                        default -> store.reschedule(claim, 1, at(1_000_000));
                    };
                    count += won ? 1 : 0;
                }
                return count;
            });

            assertThat(wins.stream().mapToInt(Integer::intValue).sum()).isEqualTo(jobCount);
            for (ClaimedJob claim : claims) {
                assertThat(store.complete(claim)).isFalse();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class SigningKeys {

        @Test
        void theFirstCandidateBecomesTheCurrentKey() {
            SigningKey candidate = signingKey(ORG_A, "key-1", at(0));

            SigningKey current = store.insertKeyIfNoneCurrent(candidate);

            assertThat(current).isEqualTo(candidate);
            assertThat(store.activeKeys(ORG_A, at(0))).containsExactly(candidate);
            assertThat(store.activeKeys(ORG_A, at(0)).get(0).privateKey()).isEqualTo(candidate.privateKey());
        }

        @Test
        void aLaterCandidateGetsTheExistingCurrentKey() {
            SigningKey first = signingKey(ORG_A, "key-1", at(0));
            store.insertKeyIfNoneCurrent(first);

            SigningKey current = store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-2", at(1000)));

            assertThat(current).isEqualTo(first);
            assertThat(store.activeKeys(ORG_A, at(2000))).containsExactly(first);
        }

        @Test
        @Timeout(value = 2 * THREAD_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
        void concurrentFirstKeysAgreeOnOneKey() throws Exception {
            List<SigningKey> results = runConcurrently(8, i ->
                    () -> store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-" + i, at(i))));

            assertThat(new HashSet<>(results)).hasSize(1);
            assertThat(store.activeKeys(ORG_A, at(100))).containsExactly(results.get(0));
        }

        @Test
        void anOrganizationWithoutKeysHasNoActiveKeys() {
            assertThat(store.activeKeys(ORG_A, at(0))).isEmpty();
        }

        @Test
        void rotationKeepsThePreviousKeySigningUntilItExpires() {
            SigningKey previous = signingKey(ORG_A, "key-1", at(0));
            store.insertKeyIfNoneCurrent(previous);
            SigningKey next = signingKey(ORG_A, "key-2", at(1000));
            Instant graceEnds = at(1000).plus(Duration.ofHours(24));

            store.rotateKey(next, graceEnds);

            SigningKey expiringPrevious = expiring(previous, graceEnds);
            assertThat(store.activeKeys(ORG_A, at(2000))).containsExactly(next, expiringPrevious);
            assertThat(store.activeKeys(ORG_A, graceEnds.minusMillis(1))).containsExactly(next, expiringPrevious);
            assertThat(store.activeKeys(ORG_A, graceEnds)).containsExactly(next);
            assertThat(store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-3", at(3000)))).isEqualTo(next);
        }

        @Test
        void rotationWithoutACurrentKeyInstallsTheNewKey() {
            SigningKey key = signingKey(ORG_A, "key-1", at(0));

            store.rotateKey(key, at(1000));

            assertThat(store.activeKeys(ORG_A, at(5000))).containsExactly(key);
            assertThat(store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-2", at(6000)))).isEqualTo(key);
        }

        @Test
        void repeatedRotationsListNewestFirst() {
            SigningKey first = signingKey(ORG_A, "key-1", at(0));
            SigningKey second = signingKey(ORG_A, "key-2", at(1000));
            SigningKey third = signingKey(ORG_A, "key-3", at(2000));
            store.insertKeyIfNoneCurrent(first);
            Instant firstExpires = at(1000).plus(Duration.ofHours(1));
            Instant secondExpires = at(2000).plus(Duration.ofHours(2));

            store.rotateKey(second, firstExpires);
            store.rotateKey(third, secondExpires);

            assertThat(store.activeKeys(ORG_A, at(3000)))
                    .containsExactly(third, expiring(second, secondExpires), expiring(first, firstExpires));
            assertThat(store.activeKeys(ORG_A, firstExpires)).containsExactly(third, expiring(second, secondExpires));
            assertThat(store.activeKeys(ORG_A, secondExpires)).containsExactly(third);
        }

        @Test
        void purgeDeletesKeysExpiredAtOrBeforeNowInEveryOrganization() {
            store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-a1", at(0)));
            store.rotateKey(signingKey(ORG_A, "key-a2", at(1000)), at(10_000));
            store.insertKeyIfNoneCurrent(signingKey(ORG_B, "key-b1", at(0)));
            store.rotateKey(signingKey(ORG_B, "key-b2", at(2000)), at(20_000));
            store.rotateKey(signingKey(ORG_B, "key-b3", at(3000)), at(30_000));

            assertThat(store.purgeExpiredKeys(at(9_999))).isZero();
            assertThat(store.purgeExpiredKeys(at(10_000))).isEqualTo(1);
            assertThat(store.purgeExpiredKeys(at(10_000))).isZero();
            assertThat(store.activeKeys(ORG_B, at(10_000))).extracting(SigningKey::keyId)
                    .containsExactly("key-b3", "key-b2", "key-b1");
            assertThat(store.purgeExpiredKeys(at(1_000_000))).isEqualTo(2);
            assertThat(store.purgeExpiredKeys(at(1_000_000))).isZero();

            assertThat(store.activeKeys(ORG_A, at(1_000_000))).extracting(SigningKey::keyId).containsExactly("key-a2");
            assertThat(store.activeKeys(ORG_B, at(1_000_000))).extracting(SigningKey::keyId).containsExactly("key-b3");
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Variables {

        @Test
        void aVariableReadsBackAsPut() {
            store.putVariable(ORG_A, "API_TOKEN", Secret.of("s3cret"));

            assertThat(store.findVariable(ORG_A, "API_TOKEN")).contains(Secret.of("s3cret"));
            assertThat(store.findVariable(ORG_A, "API_TOKEN").orElseThrow().reveal()).isEqualTo("s3cret");
        }

        @Test
        void anUnknownVariableIsEmpty() {
            store.putVariable(ORG_A, "API_TOKEN", Secret.of("s3cret"));

            assertThat(store.findVariable(ORG_A, "OTHER")).isEmpty();
        }

        @Test
        void putReplacesTheValue() {
            store.putVariable(ORG_A, "API_TOKEN", Secret.of("old"));

            store.putVariable(ORG_A, "API_TOKEN", Secret.of("new"));

            assertThat(store.findVariable(ORG_A, "API_TOKEN")).contains(Secret.of("new"));
            assertThat(store.variableNames(ORG_A)).containsExactly("API_TOKEN");
        }

        @Test
        void deleteRemovesTheVariableOnce() {
            store.putVariable(ORG_A, "API_TOKEN", Secret.of("s3cret"));
            store.putVariable(ORG_A, "HOST", Secret.of("example.com"));

            assertThat(store.deleteVariable(ORG_A, "API_TOKEN")).isTrue();
            assertThat(store.deleteVariable(ORG_A, "API_TOKEN")).isFalse();
            assertThat(store.deleteVariable(ORG_A, "NEVER_SET")).isFalse();

            assertThat(store.findVariable(ORG_A, "API_TOKEN")).isEmpty();
            assertThat(store.findVariable(ORG_A, "HOST")).contains(Secret.of("example.com"));
            assertThat(store.variableNames(ORG_A)).containsExactly("HOST");
        }

        @Test
        void namesAreSorted() {
            for (String name : List.of("DELTA", "ALPHA", "CHARLIE", "BRAVO", "ALPHA2")) {
                store.putVariable(ORG_A, name, Secret.of("value of " + name));
            }

            assertThat(store.variableNames(ORG_A)).containsExactly("ALPHA", "ALPHA2", "BRAVO", "CHARLIE", "DELTA");
        }

        @Test
        void anOrganizationWithoutVariablesHasNoNames() {
            assertThat(store.variableNames(ORG_A)).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class OrgIsolation {

        @Test
        void configsOfAnotherOrganizationDoNotExist() {
            WebhookConfig config = config("cfg-1", "order.created", at(0));
            store.insertConfig(ORG_A, config);

            assertThat(store.findConfig(ORG_B, "cfg-1")).isEmpty();
            assertThat(store.listConfigs(ORG_B, null)).isEmpty();
            assertThat(store.listConfigs(ORG_B, "order.created")).isEmpty();
            assertThat(store.replaceConfig(ORG_B, config.toBuilder().name("hijacked").build(), 1L)).isEmpty();
            assertThat(store.deleteConfig(ORG_B, "cfg-1")).isFalse();

            StoredConfig stored = store.findConfig(ORG_A, "cfg-1").orElseThrow();
            assertThat(stored.config()).isEqualTo(config);
            assertThat(stored.revision()).isEqualTo(1L);
            assertThat(store.findConfig(ORG_B, "cfg-1")).isEmpty();
        }

        @Test
        void organizationsMayUseTheSameConfigId() {
            WebhookConfig ofA = config("cfg-1", "order.created", at(0)).toBuilder().name("A's").build();
            WebhookConfig ofB = config("cfg-1", "order.created", at(5)).toBuilder().name("B's").build();

            assertThat(store.insertConfig(ORG_A, ofA)).isTrue();
            assertThat(store.insertConfig(ORG_B, ofB)).isTrue();
            long revisionOfB = store.findConfig(ORG_B, "cfg-1").orElseThrow().revision();
            assertThat(store.replaceConfig(ORG_B, ofB.toBuilder().name("B's changed").build(), revisionOfB)).isPresent();

            assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().config()).isEqualTo(ofA);
            assertThat(store.findConfig(ORG_A, "cfg-1").orElseThrow().revision()).isEqualTo(1L);
            assertThat(store.findConfig(ORG_B, "cfg-1").orElseThrow().config().name()).isEqualTo("B's changed");
            assertThat(store.listConfigs(ORG_A, null)).extracting(stored -> stored.config().name()).containsExactly("A's");

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
            assertThat(store.searchEvents(ORG_B, EventQuery.ofConfig("cfg-1", 25)).events()).isEmpty();
            assertThat(store.searchEvents(ORG_B, new EventQuery(null, null, "evt-1", null, null, null, 25)).events())
                    .isEmpty();

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(event);
            assertThat(store.findEvent(ORG_B, "evt-1")).isEmpty();
        }

        @Test
        void organizationsMayUseTheSameEventId() {
            WebhookEvent ofA = event(ORG_A, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            WebhookEvent ofB = event(ORG_B, "evt-1", "cfg-1", at(0), EventStatus.IN_PROGRESS)
                    .toBuilder().payload("{\"of\":\"b\"}").build();
            assertThat(store.appendEvent(ofA, List.of(job("job-a", ofA, 0, at(0))))).isTrue();
            assertThat(store.appendEvent(ofB, List.of(job("job-b", ofB, 0, at(0)), attemptCarrier(ofB, 0)))).isTrue();
            WebhookEvent doneB = ofB.toBuilder().status(EventStatus.SUCCEEDED).build();

            recordOutcome(attempt(ORG_B, "evt-1", 1, at(5), 200), doneB);

            assertThat(store.findEvent(ORG_A, "evt-1")).contains(ofA);
            assertThat(store.findEvent(ORG_B, "evt-1")).contains(doneB);
            assertThat(store.searchEvents(ORG_A, everything(25)).events()).containsExactly(ofA);
            assertThat(store.searchEvents(ORG_B, everything(25)).events()).containsExactly(doneB);
            assertThat(store.attemptsOf(ORG_A, "evt-1")).isEmpty();
            assertThat(store.attemptsOf(ORG_B, "evt-1")).hasSize(1);
            assertThat(store.jobsOfEvent(ORG_A, "evt-1")).extracting(DeliveryJob::jobId).containsExactly("job-a");
            assertThat(store.jobsOfEvent(ORG_B, "evt-1")).extracting(DeliveryJob::jobId).containsExactly("job-b");
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
            assertThat(store.activeKeys(ORG_B, at(100))).extracting(SigningKey::keyId).containsExactly("key-b2", "key-b");
            assertThat(store.insertKeyIfNoneCurrent(signingKey(ORG_A, "key-a2", at(30)))).isEqualTo(ofA);
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

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Retention {

        @Test
        void purgeDeletesEndedEventsCreatedBeforeTheCutoffInEveryOrganization() {
            Instant cutoff = at(10_000);
            WebhookEvent oldSucceeded = event(ORG_A, "old-succeeded", "cfg-1", at(1), EventStatus.SUCCEEDED);
            WebhookEvent oldFailed = event(ORG_A, "old-failed", "cfg-1", at(2), EventStatus.FAILED);
            WebhookEvent oldSkipped = event(ORG_B, "old-skipped", "cfg-1", cutoff.minusMillis(1), EventStatus.SKIPPED);
            WebhookEvent oldInProgress = event(ORG_A, "old-in-progress", "cfg-1", at(0), EventStatus.IN_PROGRESS);
            WebhookEvent atCutoff = event(ORG_A, "at-cutoff", "cfg-1", cutoff, EventStatus.SUCCEEDED);
            WebhookEvent recent = event(ORG_B, "recent", "cfg-1", at(20_000), EventStatus.FAILED);
            for (WebhookEvent event : List.of(oldSucceeded, oldFailed, oldSkipped, oldInProgress, atCutoff, recent)) {
                append(event);
            }

            assertThat(store.purgeEvents(cutoff, 100)).isEqualTo(3);

            assertThat(store.findEvent(ORG_A, "old-succeeded")).isEmpty();
            assertThat(store.findEvent(ORG_A, "old-failed")).isEmpty();
            assertThat(store.findEvent(ORG_B, "old-skipped")).isEmpty();
            assertThat(store.findEvent(ORG_A, "old-in-progress")).contains(oldInProgress);
            assertThat(store.findEvent(ORG_A, "at-cutoff")).contains(atCutoff);
            assertThat(store.findEvent(ORG_B, "recent")).contains(recent);
            assertThat(store.searchEvents(ORG_A, everything(25)).events()).containsExactly(atCutoff, oldInProgress);
            assertThat(store.searchEvents(ORG_B, everything(25)).events()).containsExactly(recent);
            assertThat(store.purgeEvents(cutoff, 100)).isZero();
        }

        @Test
        void purgeDeletesTheAttemptsOfPurgedEventsOnly() {
            for (WebhookEvent event : List.of(event(ORG_A, "purged", "cfg-1", at(0), EventStatus.FAILED),
                    event(ORG_A, "running", "cfg-1", at(0), EventStatus.IN_PROGRESS),
                    event(ORG_A, "recent", "cfg-1", at(50_000), EventStatus.FAILED))) {
                append(event, attemptCarrier(event, 0), attemptCarrier(event, 1));
            }
            for (String eventId : List.of("purged", "running", "recent")) {
                recordAttempt(attempt(ORG_A, eventId, 1, at(60_000), 500));
                recordAttempt(attempt(ORG_A, eventId, 2, at(70_000), 500));
            }

            assertThat(store.purgeEvents(at(10_000), 100)).isEqualTo(1);

            assertThat(store.attemptsOf(ORG_A, "purged")).isEmpty();
            assertThat(store.attemptsOf(ORG_A, "running")).hasSize(2);
            assertThat(store.attemptsOf(ORG_A, "recent")).hasSize(2);
            // an event appended later under the purged id starts without history
            append(event(ORG_A, "purged", "cfg-1", at(80_000), EventStatus.IN_PROGRESS));
            assertThat(store.attemptsOf(ORG_A, "purged")).isEmpty();
        }

        @Test
        void purgeDeletesAtMostMaxEventsPerCall() {
            assertThat(store.purgeEvents(at(100_000), 5)).as("an empty store").isZero();
            for (int i = 0; i < 10; i++) {
                append(event(i % 2 == 0 ? ORG_A : ORG_B, "ended" + i, "cfg-1", at(i), EventStatus.SUCCEEDED));
            }
            append(event(ORG_A, "running", "cfg-1", at(0), EventStatus.IN_PROGRESS));
            append(event(ORG_B, "recent", "cfg-1", at(200_000), EventStatus.SUCCEEDED));

            List<Integer> purged = new ArrayList<>();
            for (int call = 0; call < 4; call++) {
                purged.add(store.purgeEvents(at(100_000), 4));
            }

            assertThat(purged).containsExactly(4, 4, 2, 0);
            assertThat(store.searchEvents(ORG_A, everything(25)).events()).extracting(WebhookEvent::eventId)
                    .containsExactly("running");
            assertThat(store.searchEvents(ORG_B, everything(25)).events()).extracting(WebhookEvent::eventId)
                    .containsExactly("recent");
        }
    }
}
