package dev.hookengine.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The layering the build keeps, as ArchUnit rules over the classes of every module.
 *
 * <p>The rules name packages by pattern ({@code dev.hookengine.internal..}), so they hold for any
 * layout of subpackages under them. Where a rule is about a module rather than a package, it asks
 * the {@link ModuleMembership} where each class was compiled. {@code LayeringTest} checks them on the
 * reactor's build output; {@code LayeringRulesTest} shows that each one reports a violating fixture.
 */
final class LayeringRules {

    static final String CORE = "engine-core";
    /** engine-core's behaviour tests, on a real store and transport. */
    static final String ENGINE_TESTS = "engine-tests";
    /** The JMH benchmarks and the classes JMH generates for them; not the load harness ({@code .load}). */
    static final DescribedPredicate<JavaClass> JMH_BENCHMARKS = JavaClass.Predicates.resideInAnyPackage(
            "dev.hookengine.benchmarks", "dev.hookengine.benchmarks.jmh_generated");

    static final String ENGINE_INTERNALS = "dev.hookengine.internal..";
    /** The building blocks engine-core exports beside its API and SPI. */
    static final List<String> MECHANISMS = List.of(
            "dev.hookengine.condition..",
            "dev.hookengine.transform..",
            "dev.hookengine.signing..",
            "dev.hookengine.delivery..");

    static final String SERVER = "dev.hookengine.server..";
    static final String SERVER_INTERNALS = "dev.hookengine.server.internal..";

    private LayeringRules() {}

    static ArchRule coreDependsOnNoOtherModule(ModuleMembership modules) {
        return noClasses()
                .that(modules.compiledIn(CORE))
                .should()
                .dependOnClassesThat(modules.ofAModuleOtherThan(CORE))
                .because("every other module builds on engine-core, so it can know none of them");
    }

    static ArchRule engineInternalsStayInCoreMainCode(ModuleMembership modules) {
        return noOtherModuleUsesEngineInternals(modules, modules.mainCode().and(not(JMH_BENCHMARKS)))
                .because("engine-core's internals may change in any release; other modules use its API and SPI. "
                        + "The JMH benchmarks (not the load harness) are exempt: they time engine-core's hot paths, "
                        + "the config index among them, which has no public entry point, and are not published");
    }

    static ArchRule engineInternalsStayInCoreTestCode(ModuleMembership modules) {
        return noOtherModuleUsesEngineInternals(modules, modules.testCode().and(not(modules.compiledIn(ENGINE_TESTS))))
                .because("a test outside engine-core tests through its API and SPI, as an embedder would. "
                        + ENGINE_TESTS + " is engine-core's own suite, apart only because engine-core cannot depend "
                        + "on a store or a transport");
    }

    static ArchRule modelDependsOnlyOnItselfTheJdkAndJackson(ModuleMembership modules) {
        return classes()
                .that()
                .resideInAPackage("dev.hookengine.model..")
                .and(modules.mainCode())
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.hookengine.model..", "java..", "com.fasterxml.jackson..")
                .because("the model is the spec's schemas as values: every layer reads it, it reads none");
    }

    static ArchRule spiDoesNotDependOnInternals(ModuleMembership modules) {
        return mainCodeUsesNoEngineInternals(modules, "dev.hookengine.spi..")
                .because("implementers outside engine-core compile against the SPI and cannot see the internals");
    }

    static ArchRule mechanismsDoNotDependOnInternals(ModuleMembership modules) {
        return mainCodeUsesNoEngineInternals(modules, MECHANISMS.toArray(String[]::new))
                .because("the internals are built from the exported mechanisms, never the other way round");
    }

    static ArchRule serverInternalsStayInServer() {
        return noClasses()
                .that()
                .resideOutsideOfPackage(SERVER)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(SERVER_INTERNALS)
                .because("the server's internals serve its routes only; embedders use WebhookServer");
    }

    private static ArchRule mainCodeUsesNoEngineInternals(ModuleMembership modules, String... packages) {
        return noClasses()
                .that()
                .resideInAnyPackage(packages)
                .and(modules.mainCode())
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ENGINE_INTERNALS);
    }

    private static ArchRule noOtherModuleUsesEngineInternals(
            ModuleMembership modules, DescribedPredicate<JavaClass> code) {
        return noClasses()
                .that(modules.compiledOutside(CORE))
                .and(code)
                .should()
                .dependOnClassesThat(engineInternals(modules));
    }

    /**
     * Classes of engine-core's internal packages. Not a test class another module keeps in the same
     * package: its uses of itself are not uses of engine-core.
     */
    private static DescribedPredicate<JavaClass> engineInternals(ModuleMembership modules) {
        return DescribedPredicate.describe(
                "are engine-core's internals (" + ENGINE_INTERNALS + ")",
                javaClass ->
                        JavaClass.Predicates.resideInAPackage(ENGINE_INTERNALS).test(javaClass)
                                && !modules.compiledOutside(CORE).test(javaClass));
    }
}
