package dev.hookengine;

/**
 * The thing asked for does not exist in the caller's organization. Another organization's config or
 * event is reported exactly like one that does not exist at all (REST: 404).
 */
public class NotFoundException extends WebhookEngineException {

    private final String kind;
    private final String id;

    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' not found");
        this.kind = kind;
        this.id = id;
    }

    /** What was not found, such as {@code webhook config}. */
    public String kind() {
        return kind;
    }

    /** The id that was asked for. */
    public String id() {
        return id;
    }
}
