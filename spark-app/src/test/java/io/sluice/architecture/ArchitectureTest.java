package io.sluice.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/architecture: data flows one way, from the ground packages ({@code config},
 * {@code contract}, {@code table}) through the three stages ({@code source}, {@code pipeline}, {@code sink}), which
 * meet only on that ground, to the lake and the jobs that wire them ({@code stream}, {@code backfill},
 * {@code maintain}), and finally the command line.
 */
final class ArchitectureTest
{
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.sluice");

    @Test
    void stagesDoNotImportOneAnother()
    {
        check(noClasses().that().resideInAPackage("io.sluice.source..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.pipeline..", "io.sluice.sink.."));
        check(noClasses().that().resideInAPackage("io.sluice.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.source..", "io.sluice.sink.."));
        check(noClasses().that().resideInAPackage("io.sluice.sink..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.source..", "io.sluice.pipeline.."));
    }

    @Test
    void groundDependsOnNothingAbove()
    {
        check(noClasses().that().resideInAnyPackage("io.sluice.config..", "io.sluice.contract..", "io.sluice.table..")
                .should().dependOnClassesThat().resideInAnyPackage(ABOVE_GROUND));
        check(noClasses().that().resideInAnyPackage("io.sluice.config..", "io.sluice.contract..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.table.."));
    }

    @Test
    void stagesDependOnNothingThatWiresThem()
    {
        check(noClasses().that().resideInAnyPackage("io.sluice.source..", "io.sluice.pipeline..", "io.sluice.sink..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.lake..", "io.sluice.stream..", "io.sluice.backfill..",
                        "io.sluice.maintain..", "io.sluice.marts..", "io.sluice.cli.."));
    }

    @Test
    void batchJobsDoNotImportTheStream()
    {
        check(noClasses().that().resideInAnyPackage("io.sluice.backfill..", "io.sluice.maintain..", "io.sluice.marts..", "io.sluice.lake..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.stream.."));
        check(noClasses().that().resideInAPackage("io.sluice.lake..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.backfill..", "io.sluice.maintain.."));
    }

    @Test
    void onlyTheCommandLineDependsOnTheCommandLine()
    {
        check(noClasses().that().resideOutsideOfPackage("io.sluice.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.cli.."));
    }

    @Test
    void oneGatewayToTheDeltaLog()
    {
        check(noClasses().that().doNotHaveFullyQualifiedName("io.sluice.sink.DeltaLogGateway")
                .should().dependOnClassesThat().resideInAPackage("org.apache.spark.sql.delta..")
                .because("Delta's log internals change between releases; io.sluice.sink.DeltaLogGateway is the one place that reads them"));
    }

    @Test
    void catalystExpressionsInThreeClasses()
    {
        check(noClasses().that().doNotHaveFullyQualifiedName("io.sluice.pipeline.ReadRecordExpression")
                .and().haveNameNotMatching("io\\.sluice\\.pipeline\\.StructBytes(\\$.*)?")
                .and().doNotHaveFullyQualifiedName("io.sluice.pipeline.OneChildExpression")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark.sql.catalyst.expressions.codegen..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.spark.sql.catalyst.expressions.Expression")
                .because("Catalyst's expression API is internal to Spark; io.sluice.pipeline.ReadRecordExpression (the record read) and "
                        + "io.sluice.pipeline.StructBytes (a struct across the dedup operator as bytes), on io.sluice.pipeline.OneChildExpression, are the places that extend it"));
    }

    @Test
    void sparksClassicApiInThreePlaces()
    {
        check(noClasses().that().doNotHaveFullyQualifiedName("io.sluice.pipeline.ReadRecordExpression")
                .and().haveNameNotMatching("io\\.sluice\\.pipeline\\.StructBytes(\\$.*)?")
                .and().doNotHaveFullyQualifiedName("io.sluice.spark.LocalCheckpoint")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark.sql.classic..")
                .because("the classic session's internal methods change between releases; expressions and a DataFrame over kept rows are the things that need them"));
    }

    @Test
    void packagesHaveNoCycles()
    {
        check(slices().matching("io.sluice.(*)..").should().beFreeOfCycles());
    }

    private static final String[] ABOVE_GROUND = {
            "io.sluice.source..", "io.sluice.pipeline..", "io.sluice.sink..", "io.sluice.lake..", "io.sluice.stream..",
            "io.sluice.backfill..", "io.sluice.maintain..", "io.sluice.cli..", "io.sluice.metrics..", "io.sluice.produce..",
            "io.sluice.local..", "io.sluice.submit..", "io.sluice.marts..", "io.sluice.trino..", "io.sluice.spark.."};

    private static void check(ArchRule rule)
    {
        rule.check(MAIN);
    }
}
