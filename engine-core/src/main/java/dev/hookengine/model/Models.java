package dev.hookengine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers the records share to stay immutable. */
final class Models {

    private Models() {}

    /**
     * An unmodifiable copy that keeps the insertion order (header and form-field order matters to
     * people reading a request), or {@code null} for {@code null}. {@link Map#copyOf} would lose the order.
     */
    /**
     * An unmodifiable copy, or {@code null} for {@code null}. Unlike {@link List#copyOf} it keeps
     * {@code null} elements, so that validation can name the element at fault
     * ({@code customParameterList[1]: must not be null}) instead of JSON reading failing obscurely.
     */
    static <T> List<T> listCopy(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    static <V> Map<String, V> orderedCopy(Map<String, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
