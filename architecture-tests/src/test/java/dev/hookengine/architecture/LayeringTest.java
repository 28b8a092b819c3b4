package dev.hookengine.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layering rules ({@link LayeringRules}) on the main and test code of every module of the
 * reactor, read from their build output ({@link ReactorBuildOutput}); a broken rule fails the build.
 */
@AnalyzeClasses(locations = ReactorBuildOutput.class)
class LayeringTest {

    private static final ModuleMembership MODULES = ModuleMembership.BUILD_OUTPUT;

    @ArchTest
    static final ArchRule engineCoreDependsOnNoOtherModule = LayeringRules.coreDependsOnNoOtherModule(MODULES);

    @ArchTest
    static final ArchRule noMainCodeOutsideEngineCoreUsesItsInternals =
            LayeringRules.engineInternalsStayInCoreMainCode(MODULES);

    @ArchTest
    static final ArchRule noTestCodeOutsideEngineCoreUsesItsInternals =
            LayeringRules.engineInternalsStayInCoreTestCode(MODULES);

    @ArchTest
    static final ArchRule theModelDependsOnlyOnItselfTheJdkAndJackson =
            LayeringRules.modelDependsOnlyOnItselfTheJdkAndJackson(MODULES);

    @ArchTest
    static final ArchRule theSpiDoesNotDependOnEngineInternals = LayeringRules.spiDoesNotDependOnInternals(MODULES);

    @ArchTest
    static final ArchRule theMechanismsDoNotDependOnEngineInternals =
            LayeringRules.mechanismsDoNotDependOnInternals(MODULES);

    @ArchTest
    static final ArchRule serverInternalsAreUsedOnlyByTheServer = LayeringRules.serverInternalsStayInServer();

    /** Every module has its own packages: what module-info files need, and the package half of the core rule. */
    @ArchTest
    static void noPackageOfMainCodeIsSplitAcrossModules(JavaClasses classes) {
        assertThat(MODULES.splitMainPackages(classes))
                .as("packages of main code with classes from several modules")
                .isEmpty();
    }

    /** A module whose classes were not imported would pass every rule unchecked. */
    @ArchTest
    static void everyModuleWithMainCodeIsChecked(JavaClasses classes) {
        Set<String> imported = new TreeSet<>();
        classes.forEach(javaClass -> MODULES.originOf(javaClass)
                .filter(origin -> !origin.testCode())
                .ifPresent(origin -> imported.add(origin.module())));
        Path reactor = ReactorBuildOutput.reactorDirectory();
        List<String> withMainCode = ReactorBuildOutput.modules(reactor).stream()
                .filter(module -> !module.equals(ReactorBuildOutput.THIS_MODULE))
                .filter(module -> Files.isDirectory(reactor.resolve(module).resolve("src/main/java")))
                // A class's origin is the name of the directory it was compiled in: for a nested module
                // (examples/spring-boot-orders), its last segment.
                .map(module -> Path.of(module).getFileName().toString())
                .toList();
        assertThat(imported).containsExactlyInAnyOrderElementsOf(withMainCode);
    }
}
