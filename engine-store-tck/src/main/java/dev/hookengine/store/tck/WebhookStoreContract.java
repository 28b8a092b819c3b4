package dev.hookengine.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.spi.WebhookStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * when the store shares resources across tests.
 *
 * <p>The contract is composed of one contract per part of the SPI, the way Micrometer's compatibility
 * kit composes its suites, each run as a {@link Nested} class of the subclass, so that a failing
 * test's name says which part of the store is at fault:
 * <ul>
 *   <li>{@link ConfigStoreContract}, with {@link ConfigControlsContract} (controls, and what a pause
 *       does to the queue) and {@link ConfigHealthContract} (the delivery health outcomes keep and
 *       auto-disable reads);</li>
 *   <li>{@link EventStoreContract}, with its attempts, retention and {@link EventSearchContract},
 *       and {@link DeliveryStatsContract} (a config's deliveries counted over time);
 *       {@link IdempotencyContract}, its appends under an idempotency key;</li>
 *   <li>{@link DeliveryQueueContract}, with {@link LeaseRenewalContract},
 *       {@link RecordOutcomesContract} and {@link QueueConcurrencyContract}; its rate permits,
 *       {@link RatePermitContract}; its FIFO lanes, {@link OrderingContract};</li>
 *   <li>{@link SigningKeyStoreContract} and {@link VariableStoreContract};</li>
 *   <li>{@link OrgIsolationContract}, across every part.</li>
 * </ul>
 *
 * <p>All data is built by {@link StoreFixtures}: timestamps are fixed instants at millisecond
 * precision, never read from the wall clock, and time is passed to the store as {@code now}.
 * The concurrency tests use up to eight threads and ten thousand jobs; an in-memory store runs the
 * whole suite in a few seconds.
 */
@ExtendWith(StoreUnderTest.class)
public abstract class WebhookStoreContract {

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

    // Each nested class is named for the SPI part it checks, so that test reports read
    // "WebhookStoreContract$ConfigStore.insertingADuplicateIdReturnsFalseAndStoresNothing", or, for the
    // parts' own groups, "DeliveryQueueContract$Claims.claimReturnsAtMostMaxJobs".

    @Nested
    class ConfigStore extends ConfigStoreContract {}

    @Nested
    class ConfigControls extends ConfigControlsContract {}

    @Nested
    class ConfigHealth extends ConfigHealthContract {}

    @Nested
    class EventStore extends EventStoreContract {}

    @Nested
    class DeliveryStats extends DeliveryStatsContract {}

    @Nested
    class Idempotency extends IdempotencyContract {}

    @Nested
    class DeliveryQueue extends DeliveryQueueContract {}

    @Nested
    class RatePermits extends RatePermitContract {}

    @Nested
    class Ordering extends OrderingContract {}

    @Nested
    class SigningKeyStore extends SigningKeyStoreContract {}

    @Nested
    class VariableStore extends VariableStoreContract {}

    @Nested
    class OrgIsolation extends OrgIsolationContract {}
}
