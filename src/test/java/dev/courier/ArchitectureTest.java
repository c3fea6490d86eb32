package dev.courier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency lines of ARCHITECTURE.md and STYLE.md, held by the build. */
@AnalyzeClasses(packages = "dev.courier", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyHttpKnowsOkHttp = noClasses()
            .that().resideOutsideOfPackage("dev.courier.http..")
            .should().dependOnClassesThat().resideInAPackage("okhttp3..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule onlyTheKafkaFacingPackagesKnowKafka = noClasses()
            .that().resideInAnyPackage("dev.courier.model..", "dev.courier.config..", "dev.courier.codec..",
                    "dev.courier.dispatch..", "dev.courier.http..", "dev.courier.ops..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule onlyTheCodecUsesGeneratedAvroClasses = noClasses()
            .that().resideOutsideOfPackages("dev.courier.codec..", "dev.courier.avro..")
            .should().dependOnClassesThat().resideInAPackage("dev.courier.avro..");

    @ArchTest
    static final ArchRule modelAndConfigDependOnNothingOfOurs = classes()
            .that().resideInAnyPackage("dev.courier.model..", "dev.courier.config..")
            .should().onlyDependOnClassesThat().resideOutsideOfPackage("dev.courier..")
            .orShould().onlyDependOnClassesThat().resideInAnyPackage("dev.courier.model..", "dev.courier.config..", "java..");

    @ArchTest
    static final ArchRule modelDoesNotKnowConfig = noClasses()
            .that().resideInAPackage("dev.courier.model..")
            .should().dependOnClassesThat().resideInAPackage("dev.courier.config..");

    @ArchTest
    static final ArchRule configDoesNotKnowModel = noClasses()
            .that().resideInAPackage("dev.courier.config..")
            .should().dependOnClassesThat().resideInAPackage("dev.courier.model..");

    @ArchTest
    static final ArchRule nothingDependsOnTheCommandLine = noClasses()
            .that().resideOutsideOfPackage("dev.courier.cli..")
            .and().doNotHaveFullyQualifiedName("dev.courier.Courier")
            .should().dependOnClassesThat().resideInAPackage("dev.courier.cli..");

    @ArchTest
    static final ArchRule theSandboxIsUsedOnlyByTheCommandLine = noClasses()
            .that().resideOutsideOfPackages("dev.courier.sandbox..", "dev.courier.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.courier.sandbox..")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule dispatchAndHttpDoNotReachBackUpstream = noClasses()
            .that().resideInAnyPackage("dev.courier.dispatch..", "dev.courier.http..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.courier.intake..", "dev.courier.publish..",
                    "dev.courier.codec..", "dev.courier.cli..")
            .allowEmptyShould(true);

    /** {@code dispatch} calls {@code http}, never the other way: the caller makes one attempt and knows no schedule. */
    @ArchTest
    static final ArchRule httpDoesNotKnowTheDispatcher = noClasses()
            .that().resideInAPackage("dev.courier.http..")
            .should().dependOnClassesThat().resideInAPackage("dev.courier.dispatch..");
}
