package dev.hookengine.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which module each class of an import belongs to, as the predicates the layering rules are
 * written with.
 *
 * <p>A class's module is where it was compiled ({@link #BUILD_OUTPUT}: the {@code <module>/target/classes}
 * or {@code target/test-classes} directory it was read from). A class the import holds no origin
 * for (a class file that was not read, only named by another) belongs to the module whose main
 * code owns its package, so a rule about modules still catches a use of another module's package.
 * The rules' own tests build a membership from a plain map ({@link #of}) over fixture classes.
 */
final class ModuleMembership {

    /** {@code .../<module>/target/classes/...} or {@code .../<module>/target/test-classes/...}. */
    private static final Pattern BUILD_OUTPUT_DIRECTORY = Pattern.compile("/([^/]+)/target/(classes|test-classes)/");

    /** The membership of classes imported from the reactor's build output directories. */
    static final ModuleMembership BUILD_OUTPUT = new ModuleMembership(ModuleMembership::buildOutputOrigin);

    private final Function<JavaClass, Optional<ClassOrigin>> origins;

    private ModuleMembership(Function<JavaClass, Optional<ClassOrigin>> origins) {
        this.origins = origins;
    }

    /** A membership given class by class, for the rules' own tests. */
    static ModuleMembership of(Map<String, ClassOrigin> originsByClassName) {
        return new ModuleMembership(javaClass -> Optional.ofNullable(originsByClassName.get(javaClass.getName())));
    }

    private static Optional<ClassOrigin> buildOutputOrigin(JavaClass javaClass) {
        return javaClass.getSource().map(source -> originOf(source.getUri()));
    }

    private static ClassOrigin originOf(URI classFile) {
        Matcher matcher = BUILD_OUTPUT_DIRECTORY.matcher(classFile.toString());
        ClassOrigin origin = null;
        // The last match: a checkout may itself sit under some other project's target directory.
        while (matcher.find()) {
            origin = new ClassOrigin(matcher.group(1), matcher.group(2).equals("test-classes"));
        }
        if (origin == null) {
            throw new IllegalStateException("Not from a module's build output: " + classFile);
        }
        return origin;
    }

    Optional<ClassOrigin> originOf(JavaClass javaClass) {
        return origins.apply(javaClass);
    }

    /** The modules whose main code has classes in this package. */
    Set<String> mainCodeModulesOf(JavaPackage javaPackage) {
        Set<String> modules = new TreeSet<>();
        for (JavaClass javaClass : javaPackage.getClasses()) {
            originOf(javaClass).filter(origin -> !origin.testCode()).ifPresent(origin -> modules.add(origin.module()));
        }
        return modules;
    }

    /** Packages of main code with classes from more than one module, and those modules. */
    Map<String, Set<String>> splitMainPackages(JavaClasses classes) {
        Map<String, Set<String>> split = new TreeMap<>();
        for (JavaClass javaClass : classes) {
            Set<String> modules = mainCodeModulesOf(javaClass.getPackage());
            if (modules.size() > 1) {
                split.put(javaClass.getPackageName(), modules);
            }
        }
        return split;
    }

    DescribedPredicate<JavaClass> compiledIn(String module) {
        return DescribedPredicate.describe(
                "are compiled in " + module,
                javaClass -> originOf(javaClass)
                        .map(origin -> origin.module().equals(module))
                        .orElse(false));
    }

    DescribedPredicate<JavaClass> compiledOutside(String module) {
        return DescribedPredicate.describe(
                "are compiled outside " + module,
                javaClass -> originOf(javaClass)
                        .map(origin -> !origin.module().equals(module))
                        .orElse(false));
    }

    DescribedPredicate<JavaClass> mainCode() {
        return DescribedPredicate.describe(
                "are main code",
                javaClass ->
                        originOf(javaClass).map(origin -> !origin.testCode()).orElse(false));
    }

    DescribedPredicate<JavaClass> testCode() {
        return DescribedPredicate.describe(
                "are test code",
                javaClass -> originOf(javaClass).map(ClassOrigin::testCode).orElse(false));
    }

    /**
     * Classes of another module than {@code module}: compiled in one, or, when the import has no
     * origin for them, in a package only other modules' main code has classes in.
     */
    DescribedPredicate<JavaClass> ofAModuleOtherThan(String module) {
        return DescribedPredicate.describe("belong to a module other than " + module, javaClass -> {
            Optional<ClassOrigin> origin = originOf(javaClass);
            if (origin.isPresent()) {
                return !origin.get().module().equals(module);
            }
            Set<String> owners = mainCodeModulesOf(javaClass.getPackage());
            return !owners.isEmpty() && !owners.contains(module);
        });
    }
}
