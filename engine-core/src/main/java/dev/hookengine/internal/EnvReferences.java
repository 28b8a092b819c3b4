package dev.hookengine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{ env.NAME }}} references to an organization's variables, as they appear in URLs, header
 * values and auth fields. The one place that knows their syntax.
 *
 * <p>A name is a letter or underscore followed by letters, digits or underscores, at most
 * {@value #MAX_NAME_LENGTH} characters; spaces inside the braces are optional.
 */
public final class EnvReferences {

    public static final int MAX_NAME_LENGTH = 128;

    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]{0," + (MAX_NAME_LENGTH - 1) + "}";
    private static final Pattern NAME_PATTERN = Pattern.compile(NAME);
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*env\\.(" + NAME + ")\\s*}}");

    private EnvReferences() {}

    /** Whether {@code name} is a valid variable name. */
    public static boolean isValidName(String name) {
        return name != null && NAME_PATTERN.matcher(name).matches();
    }

    /** Whether the whole of {@code value} is one reference, such as {@code {{ env.api_key }}}. */
    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value.strip()).matches();
    }

    /** Whether {@code value} contains at least one reference. */
    public static boolean containsReference(String value) {
        return value != null && REFERENCE.matcher(value).find();
    }

    /** The names referenced in {@code value}, in order of appearance, repeats included. */
    public static List<String> names(String value) {
        List<String> names = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(value);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /**
     * {@code value} with each reference replaced by what {@code valueOf} gives for its name, in one
     * pass: replacement text is never scanned for references again.
     */
    public static String replaceEach(String value, java.util.function.Function<String, String> valueOf) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder result = new StringBuilder(value.length());
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(valueOf.apply(matcher.group(1))));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** {@code value} with every reference replaced by {@code replacement} (taken literally). */
    public static String replaceAll(String value, String replacement) {
        return REFERENCE.matcher(value).replaceAll(Matcher.quoteReplacement(replacement));
    }
}
