package dev.courier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.courier.intake.EngineListener;
import dev.courier.ops.Logging;
import dev.courier.publish.Origin;

/** The dependency lines of ARCHITECTURE.md and STYLE.md, held by the build. */
@AnalyzeClasses(packages = "dev.courier", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyHttpKnowsOkHttp = noClasses()
            .that().resideOutsideOfPackage("dev.courier.http..")
            .should().dependOnClassesThat().resideInAPackage("okhttp3..")
            .allowEmptyShould(true);

    /** Only the packages that talk to Kafka know its clients: never model, config, codec, dispatch, http or ops. */
    @ArchTest
    static final ArchRule onlyTheKafkaFacingPackagesKnowKafka = noClasses()
            .that().resideOutsideOfPackages("dev.courier.intake..", "dev.courier.publish..", "dev.courier.replay..",
                    "dev.courier.status..", "dev.courier.engine..", "dev.courier.cli..", "dev.courier.sandbox..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka..");

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

    /**
     * The engine assembles the stages and nothing below it knows it: only the command line (and the engine itself)
     * depends on {@code engine}.
     */
    @ArchTest
    static final ArchRule noStageDependsOnTheEngine = noClasses()
            .that().resideOutsideOfPackages("dev.courier.engine..", "dev.courier.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.courier.engine..");

    /**
     * A command parses, calls the engine and prints: {@code cli} reaches the stages the engine assembles (intake,
     * dispatch, http, publish, ops, status) only through {@code engine}. It may use the settings, the model, the
     * codec (produce, consume and the demo read and write events), replay (the replay command's criteria and summary)
     * and the sandbox (dev and demo); and three types below the engine that it has no way around: the engine's
     * listener with the {@link Origin} its calls carry (the demo counts what the engine does), and {@link Logging}
     * (the demo quiets the log for a person watching).
     */
    @ArchTest
    static final ArchRule theCommandLineReachesTheStagesOnlyThroughTheEngine = noClasses()
            .that().resideInAPackage("dev.courier.cli..")
            .should().dependOnClassesThat(DescribedPredicate.and(
                    JavaClass.Predicates.resideInAnyPackage("dev.courier.intake..", "dev.courier.dispatch..",
                            "dev.courier.http..", "dev.courier.publish..", "dev.courier.ops..", "dev.courier.status.."),
                    DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(EngineListener.class, Origin.class,
                            Logging.class))));

    /** The engine wires the stages together; a stage is the engine's to start, never the other way round. */
    @ArchTest
    static final ArchRule theEngineDoesNotKnowTheCommandLine = noClasses()
            .that().resideInAPackage("dev.courier.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.courier.cli..", "picocli..");

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
