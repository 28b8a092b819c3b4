package dev.hookengine.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's "Spring Boot" section true: its snippets are the example's own code, line for line
 * (indentation aside), between {@code <!-- name:start -->} / {@code <!-- name:end -->} in the README and
 * {@code readme:name:start} / {@code readme:name:end} comments in the example's files, the way
 * engine-tests' {@code ReadmeSnippets} keeps the quick start true.
 */
class ReadmeSpringBootTest {

    @Test
    void readmeShowsTheExamplesTransactionalPublish() throws IOException {
        assertReadmeShows(
                "boot-place-order", "java", "src/main/java/dev/hookengine/examples/orders/OrderService.java", "//");
    }

    @Test
    void readmeShowsTheExamplesProperties() throws IOException {
        assertReadmeShows("boot-properties", "properties", "src/main/resources/application.properties", "#");
    }

    private static void assertReadmeShows(String name, String language, String exampleFile, String comment)
            throws IOException {
        Path root = Path.of(System.getProperty("hookengine.root", "../.."));
        String readme = Files.readString(root.resolve("README.md"));
        String example = Files.readString(Path.of(exampleFile));
        String marker = name.substring("boot-".length());

        Matcher inReadme = Pattern.compile(
                        "<!-- " + name + ":start.*?-->\\s*```" + language + "\\n(.*?)```\\s*<!-- " + name + ":end -->",
                        Pattern.DOTALL)
                .matcher(readme);
        Matcher inExample = Pattern.compile(
                        Pattern.quote(comment) + " readme:" + marker + ":start\\n(.*?)\\s*" + Pattern.quote(comment)
                                + " readme:" + marker + ":end",
                        Pattern.DOTALL)
                .matcher(example);

        assertThat(inReadme.find())
                .as("README has " + name + " between its markers")
                .isTrue();
        assertThat(inExample.find()).as(exampleFile + " has readme:" + marker).isTrue();
        assertThat(lines(inReadme.group(1))).isEqualTo(lines(inExample.group(1)));
    }

    private static List<String> lines(String code) {
        return code.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
