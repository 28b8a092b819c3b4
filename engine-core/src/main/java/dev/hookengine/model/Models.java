package dev.hookengine.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers the records share to stay immutable. */
final class Models {

    private Models() {
    }

    /**
     * An unmodifiable copy that keeps the insertion order (header and form-field order matters to
     * people reading a request), or {@code null} for {@code null}. {@link Map#copyOf} would lose the order.
     */
    static <V> Map<String, V> orderedCopy(Map<String, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
