package dev.hookengine.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.hookengine.archfixture.CoreFacade;
import dev.hookengine.archfixture.CoreReachingIntoHttp;
import dev.hookengine.archfixture.CoreReachingIntoJdbcPackage;
import dev.hookengine.archfixture.split.SplitInCore;
import dev.hookengine.archfixture.split.SplitInMemory;
import dev.hookengine.condition.archfixture.CleanCondition;
import dev.hookengine.condition.archfixture.ConditionUsingInternal;
import dev.hookengine.http.archfixture.HttpTransportFixture;
import dev.hookengine.http.archfixture.HttpUsingInternal;
import dev.hookengine.http.archfixture.HttpUsingServerInternal;
import dev.hookengine.internal.archfixture.InternalWorker;
import dev.hookengine.internal.archfixture.OtherModuleTestHelper;
import dev.hookengine.internal.archfixture.OtherModuleTestOfInternalWorker;
import dev.hookengine.model.archfixture.CleanModel;
import dev.hookengine.model.archfixture.ModelUsingInternal;
import dev.hookengine.model.archfixture.ModelUsingSlf4j;
import dev.hookengine.server.archfixture.ServerRouteFixture;
import dev.hookengine.server.internal.archfixture.ServerInternalHelper;
import dev.hookengine.spi.archfixture.CleanSpi;
import dev.hookengine.spi.archfixture.SpiUsingInternal;
import dev.hookengine.store.jdbc.archfixture.JdbcStoreFixture;
import dev.hookengine.store.jdbc.archfixture.UnlocatedJdbcClass;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each layering rule, shown to report a deliberate violation: the fixture classes (packages
 * {@code ..archfixture..} of this module's test code, which the real rules never import) are given
 * modules by hand, and each rule must name exactly the fixtures that break it, and none that keep it.
 */
class LayeringRulesTest {

    private static final Map<String, ClassOrigin> ORIGINS = Map.ofEntries(
            Map.entry(InternalWorker.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(CoreFacade.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(CoreReachingIntoHttp.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(CoreReachingIntoJdbcPackage.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(CleanModel.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(ModelUsingInternal.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(ModelUsingSlf4j.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(CleanSpi.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(SpiUsingInternal.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(CleanCondition.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(ConditionUsingInternal.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(SplitInCore.class.getName(), ClassOrigin.main("engine-core")),
            Map.entry(SplitInMemory.class.getName(), ClassOrigin.main("engine-memory")),
            Map.entry(HttpTransportFixture.class.getName(), ClassOrigin.main("engine-http")),
            Map.entry(HttpUsingInternal.class.getName(), ClassOrigin.main("engine-http")),
            Map.entry(HttpUsingServerInternal.class.getName(), ClassOrigin.main("engine-http")),
            Map.entry(OtherModuleTestOfInternalWorker.class.getName(), ClassOrigin.test("engine-http")),
            Map.entry(OtherModuleTestHelper.class.getName(), ClassOrigin.test("engine-http")),
            Map.entry(JdbcStoreFixture.class.getName(), ClassOrigin.main("engine-jdbc")),
            // UnlocatedJdbcClass has no origin on purpose: only its package says it is engine-jdbc's.
            Map.entry(ServerRouteFixture.class.getName(), ClassOrigin.main("engine-server")),
            Map.entry(ServerInternalHelper.class.getName(), ClassOrigin.main("engine-server")));

    private static final JavaClasses FIXTURES = new ClassFileImporter()
            .importClasses(
                    InternalWorker.class,
                    CoreFacade.class,
                    CoreReachingIntoHttp.class,
                    CoreReachingIntoJdbcPackage.class,
                    CleanModel.class,
                    ModelUsingInternal.class,
                    ModelUsingSlf4j.class,
                    CleanSpi.class,
                    SpiUsingInternal.class,
                    CleanCondition.class,
                    ConditionUsingInternal.class,
                    SplitInCore.class,
                    SplitInMemory.class,
                    HttpTransportFixture.class,
                    HttpUsingInternal.class,
                    HttpUsingServerInternal.class,
                    OtherModuleTestOfInternalWorker.class,
                    OtherModuleTestHelper.class,
                    JdbcStoreFixture.class,
                    UnlocatedJdbcClass.class,
                    ServerRouteFixture.class,
                    ServerInternalHelper.class);

    private static final ModuleMembership MODULES = ModuleMembership.of(ORIGINS);

    @Test
    void coreRuleReportsCoreClassesUsingAnotherModulesClassOrPackage() {
        assertThat(violators(LayeringRules::coreDependsOnNoOtherModule))
                .containsExactly(CoreReachingIntoHttp.class.getName(), CoreReachingIntoJdbcPackage.class.getName());
    }

    @Test
    void internalsRuleReportsMainCodeOfOtherModulesUsingThem() {
        assertThat(violators(LayeringRules::engineInternalsStayInCoreMainCode))
                .containsExactly(HttpUsingInternal.class.getName());
    }

    @Test
    void internalsRuleReportsTestCodeOfOtherModulesUsingThemButNotItsOwnClassesInTheirPackage() {
        assertThat(violators(LayeringRules::engineInternalsStayInCoreTestCode))
                .containsExactly(OtherModuleTestOfInternalWorker.class.getName());
    }

    @Test
    void modelRuleReportsModelClassesUsingTheEngineOrAnotherLibrary() {
        assertThat(violators(LayeringRules::modelDependsOnlyOnItselfTheJdkAndJackson))
                .containsExactly(ModelUsingInternal.class.getName(), ModelUsingSlf4j.class.getName());
    }

    @Test
    void spiRuleReportsSpiTypesUsingInternals() {
        assertThat(violators(LayeringRules::spiDoesNotDependOnInternals))
                .containsExactly(SpiUsingInternal.class.getName());
    }

    @Test
    void mechanismsRuleReportsMechanismClassesUsingInternals() {
        assertThat(violators(LayeringRules::mechanismsDoNotDependOnInternals))
                .containsExactly(ConditionUsingInternal.class.getName());
    }

    @Test
    void serverRuleReportsClassesOutsideTheServerUsingItsInternals() {
        assertThat(violators(modules -> LayeringRules.serverInternalsStayInServer()))
                .containsExactly(HttpUsingServerInternal.class.getName());
    }

    @Test
    void splitPackagesAreReportedWithTheirModules() {
        assertThat(MODULES.splitMainPackages(FIXTURES))
                .containsExactly(Map.entry(SplitInCore.class.getPackageName(), Set.of("engine-core", "engine-memory")));
    }

    /** The fixtures whose dependencies the rule reports, in name order. */
    private static Set<String> violators(Function<ModuleMembership, ArchRule> rule) {
        EvaluationResult result = rule.apply(MODULES).evaluate(FIXTURES);
        Set<String> origins = new TreeSet<>();
        result.handleViolations((Collection<Dependency> dependencies, String message) -> dependencies.forEach(
                dependency -> origins.add(dependency.getOriginClass().getName())));
        assertThat(result.hasViolation()).isEqualTo(!origins.isEmpty());
        return origins;
    }
}
