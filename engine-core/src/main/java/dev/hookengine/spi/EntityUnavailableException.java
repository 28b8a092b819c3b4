package dev.hookengine.spi;

/**
 * Thrown by an {@link EntityHydrator} that cannot answer for now (its source timed out, answered a
 * 5xx or could not be reached) when a later call may succeed. The engine then records the event
 * {@code in_progress} with {@link dev.hookengine.OutcomeCode#HYDRATION_UNAVAILABLE} and makes its
 * dispatch again per the config's {@code retryPolicy}. Any other exception of a hydrator is final
 * ({@link dev.hookengine.OutcomeCode#HYDRATION_ERROR}).
 *
 * <p>The message is recorded on the event: it must hold no secret (no credential, no auth header).
 */
public class EntityUnavailableException extends RuntimeException {

    public EntityUnavailableException(String message) {
        super(message);
    }

    public EntityUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
