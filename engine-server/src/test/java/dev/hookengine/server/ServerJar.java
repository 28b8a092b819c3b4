package dev.hookengine.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The packaged standalone server, {@code target/engine-server.jar}, and the command line that runs
 * it as a process of its own: the test JVM's own {@code java}, never whatever is on the PATH.
 *
 * <p>The crash tests start this jar dozens of times, so its start time is their running time. Two
 * JVM options halve it (about 2.4 s to 1.1 s on 2 cores) without touching what is tested, which is
 * what reaches the disk: an AppCDS archive of the jar's classes, made once next to the jar by a
 * first run ({@link #classDataArchive()}), and the C1 compiler only ({@code TieredStopAtLevel=1}),
 * which spends less start time compiling.
 */
final class ServerJar {

    /** Set by failsafe (engine-server/pom.xml); the fallback is the module directory's own target. */
    private static final String JAR_PROPERTY = "hookengine.server.jar";

    private static Optional<Path> archive;

    private ServerJar() {}

    /** The shaded jar; fails, saying how to build it, when it is not there. */
    static Path jar() {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, "target/engine-server.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: the integration tests start the packaged "
                    + "server, run them with `mvn verify` (failsafe runs after `package`)");
        }
        return jar;
    }

    /** {@code java [options] -jar engine-server.jar arguments...}. */
    static List<String> command(List<String> arguments) {
        return command(List.of(), arguments);
    }

    /** {@code java [options] jvmOptions... -jar engine-server.jar arguments...}. */
    static List<String> command(List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-XX:TieredStopAtLevel=1");
        classDataArchive().ifPresent(file -> command.add("-XX:SharedArchiveFile=" + file));
        // The server resolves names from the same hosts file as the tests: it sends no DNS query either.
        String hosts = System.getProperty("jdk.net.hosts.file");
        if (hosts != null) {
            command.add("-Djdk.net.hosts.file=" + hosts);
        }
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(arguments);
        return command;
    }

    /** The {@code java} this test JVM runs on. */
    static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElseGet(() ->
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * {@code target/engine-server.jsa}: the classes a server loads up to its ready line, dumped by a
     * server started with {@code -XX:ArchiveClassesAtExit} and stopped gracefully. Made again when
     * the jar is newer. Empty (the servers start without it, only slower) when it cannot be made.
     */
    static synchronized Optional<Path> classDataArchive() {
        if (archive == null) {
            archive = makeArchive();
        }
        return archive;
    }

    private static Optional<Path> makeArchive() {
        Path jar = jar();
        Path file = jar.resolveSibling("engine-server.jsa");
        Path dataDir = null;
        try {
            if (Files.exists(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                return Optional.of(file);
            }
            dataDir = Files.createTempDirectory("hookengine-cds");
            Path dumped = dataDir.resolve("engine-server.jsa");
            List<String> command = new ArrayList<>(List.of(
                    javaExecutable(),
                    "-XX:ArchiveClassesAtExit=" + dumped,
                    "-jar",
                    jar.toString(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--db",
                    "h2:" + dataDir.resolve("db")));
            try (ServerProcess dumping =
                    ServerProcess.start("class-data-dump", command, Map.of("HOOKENGINE_API_TOKENS", "cds-token=cds"))) {
                dumping.stop(); // the archive is written as the JVM exits
            }
            if (!Files.isRegularFile(dumped)) {
                System.out.println("ServerJar: no class data archive was written; servers start without one");
                return Optional.empty();
            }
            Files.move(dumped, file, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(file);
        } catch (IOException | RuntimeException | AssertionError e) {
            System.out.println("ServerJar: cannot make a class data archive, servers start without one: " + e);
            return Optional.empty();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** Deletes a directory and everything in it; {@code null} is nothing to delete. */
    static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
