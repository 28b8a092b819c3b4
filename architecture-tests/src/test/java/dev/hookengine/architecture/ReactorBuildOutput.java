package dev.hookengine.architecture;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The classes the layering rules check: each reactor module's {@code target/classes} and
 * {@code target/test-classes}, read from the reactor's directory (system property
 * {@code hookengine.reactor}, which this module's pom sets).
 *
 * <p>Read from the build output rather than from the test class path, so every class is read once,
 * from the module it was compiled in (the class path holds reactor jars, or the benchmarks' shaded
 * jar with copies of engine-core in it), and the test code of every module is there too. This
 * module and its fixtures are left out. A module with sources but no build output fails the
 * import: checking nothing would pass every rule.
 */
public final class ReactorBuildOutput implements LocationProvider {

    static final String THIS_MODULE = "architecture-tests";

    @Override
    public Set<Location> get(Class<?> testClass) {
        Path reactor = reactorDirectory();
        Set<Location> locations = new LinkedHashSet<>();
        for (String module : modules(reactor)) {
            if (module.equals(THIS_MODULE)) {
                continue;
            }
            Path moduleDirectory = reactor.resolve(module);
            addIfCompiled(
                    locations, moduleDirectory.resolve("src/main/java"), moduleDirectory.resolve("target/classes"));
            addIfCompiled(
                    locations,
                    moduleDirectory.resolve("src/test/java"),
                    moduleDirectory.resolve("target/test-classes"));
        }
        return locations;
    }

    static Path reactorDirectory() {
        String reactor = System.getProperty("hookengine.reactor");
        if (reactor == null) {
            throw new IllegalStateException(
                    "System property hookengine.reactor is not set: run these tests with Maven");
        }
        return Path.of(reactor).toAbsolutePath().normalize();
    }

    /** The {@code <module>} entries of the reactor's pom, in order. */
    static List<String> modules(Path reactor) {
        Path pom = reactor.resolve("pom.xml");
        try (InputStream in = Files.newInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList entries = factory.newDocumentBuilder().parse(in).getElementsByTagName("module");
            List<String> modules = new ArrayList<>();
            for (int i = 0; i < entries.getLength(); i++) {
                modules.add(((Element) entries.item(i)).getTextContent().trim());
            }
            if (modules.isEmpty()) {
                throw new IllegalStateException(pom + " lists no modules");
            }
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the modules of " + pom, e);
        }
    }

    private static void addIfCompiled(Set<Location> locations, Path sources, Path output) {
        if (!Files.isDirectory(sources)) {
            return;
        }
        if (!Files.isDirectory(output)) {
            throw new IllegalStateException(
                    sources + " has not been compiled (no " + output + "): build the whole reactor first");
        }
        locations.add(Location.of(output));
    }
}
