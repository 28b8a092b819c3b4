package dev.hookengine.transform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A payload as conditions and transforms read it: the JSON tree, and, made once on first demand, the
 * plain Java form (maps, lists, numbers) that JSONata evaluates on. One view serves every condition
 * and the transform of one config, so the conversion happens at most once per payload.
 *
 * <p>Not thread-safe: a view belongs to the one evaluation pipeline that made it. Neither form may be
 * changed by its readers.
 */
public final class PayloadView {

    private final JsonNode tree;
    private Object javaForm;

    private PayloadView(JsonNode tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /** A view of {@code tree}, which must not change while the view is in use. */
    public static PayloadView of(JsonNode tree) {
        return new PayloadView(tree);
    }

    /** The payload as JSON. */
    public JsonNode tree() {
        return tree;
    }

    /** The payload as JSONata reads it, converted on first call. */
    Object javaForm() {
        if (javaForm == null) {
            javaForm = JsonataValues.fromJson(tree);
        }
        return javaForm;
    }
}
