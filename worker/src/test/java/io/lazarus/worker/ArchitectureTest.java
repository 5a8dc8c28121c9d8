package io.lazarus.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The floors of the README's "Project layout" that concern the worker. */
@AnalyzeClasses(packages = "io.lazarus.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theWorkerNeverDependsOnTheCoordinator = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.lazarus.coordinator..")
            .because("they meet only through the broker and the contracts of common");

    @ArchTest
    static final ArchRule itsPackagesHaveNoCycles =
            slices().matching("io.lazarus.worker.(*)..").should().beFreeOfCycles();
}
