package dev.hookengine.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * A condition's {@code field}: a dot path into the payload. Array indices may be written either way,
 * with the same meaning: {@code items.1.id} or {@code items[1].id}.
 *
 * @param segments the path's steps: property names and, for indices, their decimal digits
 */
public record FieldPath(List<String> segments) {

    public FieldPath {
        segments = List.copyOf(segments);
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException naming what is wrong: an empty step ({@code a..b}), an
     *                                  unclosed or non-numeric index ({@code a[x]})
     */
    public static FieldPath parse(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a field path must not be blank");
        }
        List<String> segments = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        boolean afterIndex = false;
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                if (name.isEmpty() && !afterIndex) {
                    throw new IllegalArgumentException("empty step in field path '" + path + "'");
                }
                flush(name, segments);
                afterIndex = false;
                i++;
                if (i == path.length()) {
                    throw new IllegalArgumentException("field path '" + path + "' ends with '.'");
                }
            } else if (c == '[') {
                if (name.isEmpty() && !afterIndex) {
                    throw new IllegalArgumentException("index without a name before it in field path '" + path + "'");
                }
                flush(name, segments);
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in field path '" + path + "'");
                }
                String index = path.substring(i + 1, close);
                if (index.isEmpty() || !index.chars().allMatch(d -> d >= '0' && d <= '9')) {
                    throw new IllegalArgumentException(
                            "index '" + index + "' in field path '" + path + "' is not a non-negative integer");
                }
                segments.add(index);
                afterIndex = true;
                i = close + 1;
                if (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
                    throw new IllegalArgumentException("unexpected text after ']' in field path '" + path + "'");
                }
            } else if (c == ']') {
                throw new IllegalArgumentException("unexpected ']' in field path '" + path + "'");
            } else {
                name.append(c);
                i++;
            }
        }
        flush(name, segments);
        return new FieldPath(segments);
    }

    private static void flush(StringBuilder name, List<String> segments) {
        if (!name.isEmpty()) {
            segments.add(name.toString());
            name.setLength(0);
        }
    }
}
