package dev.hookengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a README snippet true: the Java code between {@code <!-- name:start -->} and
 * {@code <!-- name:end -->} in the README must be the code between {@code // name:start} and
 * {@code // name:end} in the test that runs it, line for line (indentation aside).
 */
public final class ReadmeSnippets {

    private ReadmeSnippets() {}

    /**
     * @param name       the markers' name, such as {@code quickstart}
     * @param testSource the test's source file, relative to its module (Maven's working directory for
     *                   tests), so that the module can move
     * @param what       what the snippet shows, for the failure message
     */
    public static void assertReadmeShowsTheCodeOf(String name, String testSource, String what) throws IOException {
        Path root = Path.of(System.getProperty("hookengine.root", ".."));
        String readme = Files.readString(root.resolve("README.md"));
        String test = Files.readString(Path.of(testSource));

        Matcher inReadme = Pattern.compile(
                        "<!-- " + name + ":start.*?-->\\s*```java\\n(.*?)```\\s*<!-- " + name + ":end -->",
                        Pattern.DOTALL)
                .matcher(readme);
        Matcher inTest = Pattern.compile("// " + name + ":start\\n(.*?)\\s*// " + name + ":end", Pattern.DOTALL)
                .matcher(test);

        assertThat(inReadme.find())
                .as("README has " + what + " between its markers")
                .isTrue();
        assertThat(inTest.find()).isTrue();
        assertThat(lines(inReadme.group(1))).isEqualTo(lines(inTest.group(1)));
    }

    private static List<String> lines(String code) {
        return code.lines().map(String::strip).toList();
    }
}
