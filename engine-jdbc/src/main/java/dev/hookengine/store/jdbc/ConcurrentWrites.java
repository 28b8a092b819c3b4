package dev.hookengine.store.jdbc;

import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;

/**
 * How the store's parts tell a write that lost a race to another writer (this node's or another
 * node's) from a write that failed, and how long they wait before they try again. A store shared by
 * several nodes cannot lock ahead of every insert; it inserts, and reads a constraint violation as
 * "someone else got there first".
 */
final class ConcurrentWrites {

    /** How often a part tries again after losing a race before it gives up. */
    static final int MAX_RETRIES = 50;

    private ConcurrentWrites() {}

    /** Whether {@code e} is a constraint violation: a concurrent writer inserted the same key first. */
    static boolean isIntegrityViolation(DataAccessException e) {
        return e.sqlStateClass() == SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION;
    }

    /** Waits a little longer at each {@code attempt}, so that the winner's transaction can commit. */
    static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1 + attempt, 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
