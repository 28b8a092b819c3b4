package dev.hookengine.store.memory;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** Runs an action under a lock: the one locking idiom of every part of the in-memory store. */
final class Locking {

    private Locking() {}

    /** The result of {@code action}, run while holding {@code lock}. */
    static <T> T locked(ReentrantLock lock, Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
