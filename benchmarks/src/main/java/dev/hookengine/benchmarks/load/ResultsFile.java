package dev.hookengine.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

/** Where a run's report goes: {@code <dir>/<date>-<mode>.md}, or {@code -2}, {@code -3}, ... after it. */
final class ResultsFile {

    private ResultsFile() {}

    /**
     * Writes {@code markdown} to a new file named for the day {@code startedAt} falls on (UTC) and
     * {@code mode}, never over an earlier run's file.
     *
     * @return the file written
     */
    static Path write(Path directory, Instant startedAt, String mode, String markdown) throws IOException {
        String name = startedAt.atZone(ZoneOffset.UTC).toLocalDate() + "-" + mode;
        Path file = directory.resolve(name + ".md");
        for (int run = 2; Files.exists(file); run++) {
            file = directory.resolve(name + "-" + run + ".md");
        }
        Files.createDirectories(directory);
        Files.writeString(file, markdown);
        return file;
    }
}
