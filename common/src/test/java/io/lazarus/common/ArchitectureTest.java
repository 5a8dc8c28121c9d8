package io.lazarus.common;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The floors of the README's "Project layout" that concern {@code common}. */
@AnalyzeClasses(packages = "io.lazarus.common", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule commonDependsOnNothingOfOurs = classes()
            .that()
            .resideInAPackage("io.lazarus.common..")
            .should()
            .onlyDependOnClassesThat(resideInAPackage("io.lazarus.common..").or(resideOutsideOfPackage("io.lazarus..")))
            .because("the worker and the coordinator both build on common, and it on neither of them");

    @ArchTest
    static final ArchRule itsPackagesHaveNoCycles =
            slices().matching("io.lazarus.common.(*)..").should().beFreeOfCycles();
}
