package dev.hookengine.internal.config;

import static dev.hookengine.store.tck.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.WebhookEngine;
import dev.hookengine.model.Metadata;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.store.memory.InMemoryWebhookStore;
import dev.hookengine.store.tck.ForwardingWebhookStore;
import dev.hookengine.store.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The config index under concurrency, over the real in-memory store: a refresh is made by one reader
 * while the others keep the current entry, a first load is made once, and a load that a local change
 * overtook never overwrites it. Time is a {@link MutableClock}: entries become due when the test moves
 * it. A slow store read is a {@link GatedStore} read held on a latch; every wait on another thread is
 * bounded, so that a reader that blocks fails the test instead of hanging it.
 */
@Timeout(60)
class ConfigIndexTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "org-a";
    private static final String EVENT = "order_paid";
    private static final Duration REFRESH = Duration.ofSeconds(5);
    /** How far to move the clock to make an entry due, well past the boundary, which one test pins. */
    private static final Duration PAST_DUE = REFRESH.plusSeconds(1);

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    /** Long enough for any thread that does not block; a thread that blocks never makes it. */
    private static final long WAIT_SECONDS = 10;

    private static final Set<Thread.State> BLOCKED_OR_WAITING =
            EnumSet.of(Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryWebhookStore memory = new InMemoryWebhookStore();
    private final GatedStore store = new GatedStore(memory);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        store.openAll();
        threads.shutdownNow();
    }

    /**
     * The in-memory store, whose next {@code listConfigs} can be held: it reads the store, then waits
     * until the test opens the gate, like a query whose result is slow to arrive (or to decrypt).
     */
    private static final class GatedStore extends ForwardingWebhookStore {

        final AtomicInteger lists = new AtomicInteger();
        private final AtomicReference<Gate> next = new AtomicReference<>();
        private final List<Gate> armed = new ArrayList<>();

        GatedStore(InMemoryWebhookStore memory) {
            super(memory);
        }

        /** Holds the next {@code listConfigs}, after it read the store, until the gate opens. */
        synchronized Gate holdNextList() {
            Gate gate = new Gate();
            armed.add(gate);
            next.set(gate);
            return gate;
        }

        synchronized void openAll() {
            armed.forEach(Gate::open);
        }

        @Override
        public List<StoredConfig> listConfigs(String orgId, String eventName) {
            lists.incrementAndGet();
            List<StoredConfig> read = delegate().listConfigs(orgId, eventName);
            Gate gate = next.getAndSet(null);
            if (gate != null) {
                gate.hold();
            }
            return read;
        }
    }

    private static final class Gate {

        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        void hold() {
            reached.countDown();
            try {
                if (!opened.await(WAIT_SECONDS * 3, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits until a read is held at this gate. */
        void awaitReached() throws InterruptedException {
            assertThat(reached.await(WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("a store read reached the gate")
                    .isTrue();
        }

        void open() {
            opened.countDown();
        }
    }

    private void insert(String id) {
        assertThat(memory.insertConfig(ORG, config(id, EVENT, T0))).isTrue();
    }

    private ConfigIndex newIndex() {
        return new ConfigIndex(store, REFRESH, clock);
    }

    private Future<List<String>> activeIdsOnAnotherThread(ConfigIndex index) {
        return threads.submit(() -> index.activeConfigs(ORG, EVENT).stream()
                .map(config -> config.stored().id())
                .toList());
    }

    private static <T> T within(Future<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Waits, bounded, until {@code count} threads have registered and each is blocked or waiting:
     * then they are inside the read, not yet on their way to it.
     */
    private static void awaitBlocked(List<Thread> threads, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (threads.size() < count
                || !threads.stream().allMatch(thread -> BLOCKED_OR_WAITING.contains(thread.getState()))) {
            assertThat(System.nanoTime() - deadline)
                    .as("threads blocked in time")
                    .isNegative();
            Thread.yield();
        }
    }

    @Test
    void whileOneReaderRefreshesADueEntryEveryOtherReaderGetsTheCurrentOneAtOnce() throws Exception {
        insert("cfg-1");
        ConfigIndex index = newIndex();
        assertThat(index.activeConfigs(ORG, EVENT)).hasSize(1);
        insert("cfg-2"); // as another node would: straight into the store, the index not told
        clock.advance(PAST_DUE);

        Gate gate = store.holdNextList();
        Future<List<String>> refresher = activeIdsOnAnotherThread(index);
        gate.awaitReached();
        List<Future<List<String>>> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            others.add(activeIdsOnAnotherThread(index));
        }
        Future<Optional<StoredConfig>> delivery = threads.submit(() -> index.find(ORG, "cfg-1"));

        for (Future<List<String>> other : others) {
            assertThat(within(other))
                    .as("the entry being refreshed, without waiting for the refresh")
                    .containsExactly("cfg-1");
        }
        assertThat(within(delivery)).isPresent();
        assertThat(refresher).as("still held at the gate").isNotDone();
        assertThat(store.lists).as("the first load and the one refresh").hasValue(2);

        gate.open();
        assertThat(within(refresher))
                .as("the refreshing reader gets what it read")
                .containsExactly("cfg-1", "cfg-2");
        assertThat(within(activeIdsOnAnotherThread(index))).containsExactly("cfg-1", "cfg-2");
        assertThat(store.lists)
                .as("the refreshed entry is fresh: no further read")
                .hasValue(2);
    }

    @Test
    void aLocalChangeDuringASlowRefreshIsWhatReadersSeeAfterIt() throws Exception {
        try (WebhookEngine engine =
                WebhookEngine.builder().store(store).clock(clock).build()) {
            changeDuringASlowRefresh(engine);
        }
    }

    private void changeDuringASlowRefresh(WebhookEngine engine) throws Exception {
        WebhookConfig kept = engine.createConfig(ORG, engineConfig("kept").build());
        WebhookConfig disabled =
                engine.createConfig(ORG, engineConfig("to be disabled").build());
        assertThat(deliveredBy(engine)).containsExactlyInAnyOrder(kept.id(), disabled.id());
        clock.advance(PAST_DUE);

        Gate gate = store.holdNextList();
        Future<List<String>> refresher = threads.submit(() -> deliveredBy(engine));
        gate.awaitReached(); // the refresh has read the store: what it holds predates the changes below
        engine.updateConfig(
                ORG,
                disabled.id(),
                engineConfig("to be disabled").enabled(false).build());
        WebhookConfig added = engine.createConfig(ORG, engineConfig("added").build());
        gate.open();
        assertThat(within(refresher))
                .as("a read concurrent with the changes may see either state")
                .isNotNull();

        assertThat(deliveredBy(engine))
                .as("the changes, not the refresh that read the store before them")
                .containsExactlyInAnyOrder(kept.id(), added.id());
    }

    @Test
    void aLoadThatAnInvalidationOvertookIsDroppedEvenWhenANewerEntryIsAlreadyIn() throws Exception {
        insert("cfg-1");
        ConfigIndex index = newIndex();
        assertThat(index.activeConfigs(ORG, EVENT)).hasSize(1);
        clock.advance(PAST_DUE);

        Gate gate = store.holdNextList();
        Future<List<String>> refresher = activeIdsOnAnotherThread(index);
        gate.awaitReached();
        insert("cfg-2"); // a change through this engine: the store, then the index told
        index.invalidate(ORG);
        assertThat(within(activeIdsOnAnotherThread(index)))
                .as("a read after the change loads it afresh, not held by the refresh")
                .containsExactly("cfg-1", "cfg-2");
        gate.open();
        within(refresher);

        assertThat(within(activeIdsOnAnotherThread(index))).containsExactly("cfg-1", "cfg-2");

        // A first load overtaken the same way: invalidateAll while it reads.
        index.invalidate(ORG);
        Gate first = store.holdNextList();
        Future<List<String>> loader = activeIdsOnAnotherThread(index);
        first.awaitReached();
        insert("cfg-3");
        index.invalidateAll();
        first.open();
        assertThat(within(loader)).containsExactly("cfg-1", "cfg-2");
        assertThat(within(activeIdsOnAnotherThread(index))).containsExactly("cfg-1", "cfg-2", "cfg-3");
    }

    @Test
    void concurrentFirstReadersOfAnOrganizationLoadItOnce() throws Exception {
        insert("cfg-1");
        ConfigIndex index = newIndex();

        Gate gate = store.holdNextList();
        Future<List<String>> loader = activeIdsOnAnotherThread(index);
        gate.awaitReached();
        List<Thread> waiting = new CopyOnWriteArrayList<>();
        List<Future<List<String>>> waiters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiters.add(threads.submit(() -> {
                waiting.add(Thread.currentThread());
                return index.activeConfigs(ORG, EVENT).stream()
                        .map(config -> config.stored().id())
                        .toList();
            }));
        }
        awaitBlocked(waiting, 8);
        assertThat(waiters).as("waiting for the load in flight").noneMatch(Future::isDone);
        gate.open();

        assertThat(within(loader)).containsExactly("cfg-1");
        for (Future<List<String>> waiter : waiters) {
            assertThat(within(waiter)).containsExactly("cfg-1");
        }
        assertThat(store.lists).as("one load for all first readers").hasValue(1);
    }

    @Test
    void aFailedLoadIsTriedAgainByTheNextReaderAndAFailedRefreshLeavesTheEntryServed() {
        insert("cfg-1");
        AtomicInteger failuresLeft = new AtomicInteger(1);
        ConfigIndex index = new ConfigIndex(
                new ForwardingWebhookStore(memory) {
                    @Override
                    public List<StoredConfig> listConfigs(String orgId, String eventName) {
                        if (failuresLeft.getAndDecrement() > 0) {
                            throw new IllegalStateException("store unavailable");
                        }
                        return super.listConfigs(orgId, eventName);
                    }
                },
                REFRESH,
                clock);

        assertThatThrownBy(() -> index.activeConfigs(ORG, EVENT)).hasMessage("store unavailable");
        assertThat(index.activeConfigs(ORG, EVENT)).hasSize(1);

        insert("cfg-2");
        clock.advance(PAST_DUE);
        failuresLeft.set(1);
        assertThatThrownBy(() -> index.activeConfigs(ORG, EVENT))
                .as("the reader that refreshes sees the failure")
                .hasMessage("store unavailable");
        assertThat(index.activeConfigs(ORG, EVENT))
                .as("the next reader refreshes again")
                .hasSize(2);
    }

    @Test
    void anEntryIsReloadedOnceItIsAsOldAsTheIntervalAndWhenTheClockWentBack() {
        insert("cfg-1");
        ConfigIndex index = newIndex();
        index.activeConfigs(ORG, EVENT);

        clock.advance(REFRESH.minusMillis(1));
        index.activeConfigs(ORG, EVENT);
        assertThat(store.lists).as("not yet due").hasValue(1);
        clock.advance(Duration.ofMillis(1));
        index.activeConfigs(ORG, EVENT);
        index.activeConfigs(ORG, EVENT);
        assertThat(store.lists).as("due, reloaded once").hasValue(2);

        clock.advance(Duration.ofMinutes(-1));
        index.activeConfigs(ORG, EVENT);
        index.activeConfigs(ORG, EVENT);
        assertThat(store.lists)
                .as("a clock set back reloads once instead of waiting for it to catch up")
                .hasValue(3);

        ConfigIndex alwaysFresh = new ConfigIndex(store, Duration.ZERO, clock);
        alwaysFresh.activeConfigs(ORG, EVENT);
        alwaysFresh.activeConfigs(ORG, EVENT);
        assertThat(store.lists).as("a zero interval reloads on every read").hasValue(5);
    }

    private static WebhookConfig.Builder engineConfig(String name) {
        return WebhookConfig.builder().name(name).eventName(EVENT).url("https://shop.example.com/hooks");
    }

    /** The configs that a published event is delivered by. */
    private static List<String> deliveredBy(WebhookEngine engine) {
        return engine
                .publish(DomainEvent.builder(ORG, EVENT)
                        .metadata(Metadata.builder().action("paid").build())
                        .entity(JSON.createObjectNode().put("_id", "ord-1"))
                        .build())
                .dispatches()
                .stream()
                .filter(Dispatch.Deliver.class::isInstance)
                .map(Dispatch::configId)
                .toList();
    }
}
