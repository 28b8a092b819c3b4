package dev.hookengine.store.memory;

import static dev.hookengine.store.tck.StoreFixtures.ORG_A;
import static dev.hookengine.store.tck.StoreFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.store.tck.StoreFixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store counts due jobs from whichever end of its queue is nearer the boundary; the
 * count must be the same as a plain scan's wherever the boundary falls.
 */
class InMemoryQueueStatsTest {

    @Test
    void dueJobsAreCountedExactlyWhereverTheBoundaryFalls() {
        InMemoryWebhookStore store = new InMemoryWebhookStore();
        SplittableRandom random = new SplittableRandom(3);
        List<Long> dueTimes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long due = random.nextLong(0, 1_000);
            dueTimes.add(due);
            WebhookEvent event = StoreFixtures.event(ORG_A, "e-" + i, "cfg-1", at(0), EventStatus.IN_PROGRESS);
            store.appendEvent(event, List.of(StoreFixtures.job("j-" + i, event, 0, at(due))));
        }

        for (long now = -1; now <= 1_001; now += 7) {
            long nowMillis = now;
            long expectedDue = dueTimes.stream().filter(due -> due <= nowMillis).count();
            Instant oldest = expectedDue == 0
                    ? null
                    : at(dueTimes.stream().mapToLong(Long::longValue).min().orElseThrow());
            assertThat(store.stats(at(now))).as("at %d", now).isEqualTo(new QueueStats(200, expectedDue, oldest));
        }
    }
}
