package dev.hookengine.server.internal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Recognises a failure that means the database is out of reach rather than that the request or the
 * engine is wrong: no connection could be made or borrowed in time (HikariCP's
 * {@link SQLTransientConnectionException}), a connection failed (SQLSTATE class {@code 08}), or the
 * server is shutting down or starting up (class {@code 57P}: {@code admin_shutdown},
 * {@code crash_shutdown}, {@code cannot_connect_now}). Such a request may succeed if repeated once the
 * database is back, so the server answers 503 with {@code Retry-After} instead of a 500.
 *
 * <p>Found by the fault runs of issue 18: while PostgreSQL restarted, publishes answered 500
 * "Internal server error" and logged a stack trace each.
 */
final class StoreOutage {

    /** How long a client is asked to wait: about what a PostgreSQL restart takes. */
    static final int RETRY_AFTER_SECONDS = 5;

    private StoreOutage() {}

    /** The SQL failure in {@code failure}'s causes that says the database is unreachable, if one does. */
    static Optional<SQLException> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException unavailable) {
                return Optional.of(unavailable);
            }
            if (cause instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return Optional.of(sql);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
