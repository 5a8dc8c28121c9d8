package io.lazarus.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The floors of the README's "Project layout" that concern the coordinator. */
@AnalyzeClasses(
        packages = "io.lazarus.coordinator",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NotGenerated.class})
class ArchitectureTest {

    /** Spring's AOT writes the context as code ({@code Name__BeanDefinitions}) beside the classes it describes. */
    static final class NotGenerated implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("__");
        }
    }

    @ArchTest
    static final ArchRule theCoordinatorNeverDependsOnTheWorker = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.lazarus.worker..")
            .because("they meet only through the broker and the contracts of common");

    @ArchTest
    static final ArchRule itsPackagesHaveNoCycles =
            slices().matching("io.lazarus.coordinator.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheCommandLineAndTheServiceUseTheAdapters = layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("io.lazarus.coordinator..")
            .layer("entry points")
            .definedBy("io.lazarus.coordinator.cli..", "io.lazarus.coordinator.service..")
            .layer("adapters")
            .definedBy("io.lazarus.coordinator.broker..", "io.lazarus.coordinator.ec2..")
            .whereLayer("adapters")
            .mayOnlyBeAccessedByLayers("entry points")
            .because("EC2 and the broker's administration are edges: the run core works without them");

    @ArchTest
    static final ArchRule theRunCoreSpeaksToItsPortsNotToTheBroker = noClasses()
            .that()
            .resideInAPackage("io.lazarus.coordinator.run")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.amqp..", "com.rabbitmq..")
            .because(
                    "follow, resume, flow control and reconciliation are tested without a broker: RabbitMQ is behind"
                            + " the ports RunEvents, InstallConsumers and InstallPublisher, implemented in run.rabbit and dispatch");

    @ArchTest
    static final ArchRule theRootPackageHoldsTheEntryPointOnly = classes()
            .that()
            .resideInAPackage("io.lazarus.coordinator")
            .and()
            .areTopLevelClasses()
            .should()
            .haveSimpleName("CoordinatorApplication");

    @ArchTest
    static final ArchRule nothingDependsOnTheEntryPoint = noClasses()
            .that()
            .resideOutsideOfPackage("io.lazarus.coordinator")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.lazarus.coordinator")
            .because("the entry point starts the packages; a package that reached back would close a cycle");
}
