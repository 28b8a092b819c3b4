package dev.hookengine.server.internal;

/**
 * A request the server answers itself, before or instead of calling the engine: a body that is not
 * JSON, a query parameter of the wrong type, a missing token. Carries the status and the
 * {@code ErrorResp} message; the message never quotes a value from the request, which may be a secret.
 */
public final class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** 400 with {@code message}. */
    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }
}
