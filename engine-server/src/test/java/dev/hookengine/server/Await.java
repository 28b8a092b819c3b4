package dev.hookengine.server;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling with a deadline, for state only visible by asking (an event's status through the API). */
final class Await {

    /** Short against the engine's 200 ms poll interval, long enough not to load 2 cores. */
    private static final Duration PAUSE = Duration.ofMillis(20);

    private Await() {}

    /**
     * Reads {@code read} until {@code done} holds and returns that reading.
     *
     * @throws AssertionError after {@code timeout}, with {@code what} and the last reading
     */
    static <T> T until(String what, Duration timeout, Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = read.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; last seen: " + value);
            }
            try {
                Thread.sleep(PAUSE.toMillis()); // the pause between two polls, not a wait for the outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
