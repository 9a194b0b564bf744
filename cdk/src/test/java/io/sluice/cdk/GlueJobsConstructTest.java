package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.glue.GlueJobDefinition;
import io.sluice.glue.GlueJobDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GlueJobsConstructTest
{

    private Synth dev;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
    }

    @Test
    void oneGlue6SparkJobPerCommandRunningTheEntryPointFromTheGlueJar()
    {
        dev.template().resourceCountIs("AWS::Glue::Job", 4);
        assertThat(GlueJobDefinitions.load().keySet()).containsExactly("backfill", "replay", "maintain", "marts");
        for (GlueJobDefinition definition : GlueJobDefinitions.load().values()) {
            String command = definition.command();
            dev.template().hasResourceProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                    "Name", "sluice-dev-" + command,
                    "GlueVersion", "6.0",
                    // dev runs every job on the smallest size; prod keeps the definitions' sizes (below).
                    "WorkerType", "G.1X",
                    "NumberOfWorkers", 2,
                    "Timeout", definition.timeoutMinutes(),
                    "MaxRetries", 0,
                    "SecurityConfiguration", "sluice-dev-glue",
                    "ExecutionProperty", Map.of("MaxConcurrentRuns", 1),
                    "Command", Match.objectLike(Map.of(
                            "Name", "glueetl",
                            "ScriptLocation", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                    Match.arrayWith(List.of("/glue/SluiceGlueLauncher.scala")))))))),
                    "DefaultArguments", Match.objectLike(Map.of(
                            "--job-language", "scala",
                            "--class", "SluiceGlueLauncher",
                            "--datalake-formats", "delta",
                            "--command", command,
                            "--database", "sluice_dev",
                            "--enable-glue-datacatalog", "true",
                            "--extra-jars", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                    Match.arrayWith(List.of("/jars/sluice-glue-jobs-" + System.getProperty(SluiceApp.VERSION_PROPERTY)
                                            + "-glue.jar")))))))))));
        }
    }

    @Test
    void everyArgumentOfTheDefinitionIsDeployedAndTheDeploymentNamesItsResources()
    {
        for (GlueJobDefinition definition : GlueJobDefinitions.load().values()) {
            Map<String, Object> job = dev.resources("AWS::Glue::Job").values().stream()
                    .map(Policies::props)
                    .filter(properties -> properties.get("Name").equals("sluice-dev-" + definition.command()))
                    .findFirst().orElseThrow();
            Map<String, Object> arguments = Policies.map(job.get("DefaultArguments"));
            assertThat(arguments).containsAllEntriesOf(definition.arguments());
            assertThat(arguments.keySet()).containsAll(List.of("--extra-jars", "--TempDir", "--lake", "--database", "--environment"));
            assertThat(arguments).containsEntry("--environment", "dev");
        }
    }

    @Test
    void prodSizesEachJobAsTheDefinitionsSay()
    {
        Synth prod = Synth.prod();
        for (GlueJobDefinition definition : GlueJobDefinitions.load().values()) {
            prod.template().hasResourceProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                    "Name", "sluice-prod-" + definition.command(),
                    "WorkerType", definition.workerType(),
                    "NumberOfWorkers", definition.workers(),
                    "Timeout", definition.timeoutMinutes())));
        }
    }

    @Test
    void workersComeFromContext()
    {
        Synth big = Synth.of(Map.of("env", "dev", "glueWorkerType", "G.2X", "glueWorkerCount", "6"));
        big.template().allResourcesProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                "WorkerType", "G.2X", "NumberOfWorkers", 6)));
        // One override leaves the other dimension to the definitions.
        Synth wider = Synth.of(Map.of("env", "prod", "glueWorkerCount", "4"));
        for (GlueJobDefinition definition : GlueJobDefinitions.load().values()) {
            wider.template().hasResourceProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                    "Name", "sluice-prod-" + definition.command(),
                    "WorkerType", definition.workerType(),
                    "NumberOfWorkers", 4)));
        }
    }

    @Test
    void securityConfigurationEncryptsS3AndLogsWithTheCmkAndBookmarksAreOff()
    {
        String key = dev.resources("AWS::KMS::Key").keySet().iterator().next();
        Map<String, Object> keyArn = Map.of("Fn::GetAtt", List.of(key, "Arn"));
        dev.template().hasResourceProperties("AWS::Glue::SecurityConfiguration", Map.of(
                "Name", "sluice-dev-glue",
                "EncryptionConfiguration", Map.of(
                        "S3Encryptions", List.of(Map.of("S3EncryptionMode", "SSE-KMS", "KmsKeyArn", keyArn)),
                        "CloudWatchEncryption", Map.of("CloudWatchEncryptionMode", "SSE-KMS", "KmsKeyArn", keyArn),
                        // CSE-KMS would have the role call KMS itself; the jobs keep bookmarks off.
                        "JobBookmarksEncryption", Map.of("JobBookmarksEncryptionMode", "DISABLED"))));
    }

    @Test
    void maintenanceRunsOnASchedule()
    {
        dev.template().hasResourceProperties("AWS::Glue::Trigger", Map.of(
                "Name", "sluice-dev-maintain-schedule",
                "Description", Match.anyValue(),
                "Type", "SCHEDULED",
                "Schedule", "cron(0 3 * * ? *)",
                "StartOnCreation", true,
                "Actions", List.of(Map.of("JobName", "sluice-dev-maintain"))));
        assertThat(Policies.list(trigger("sluice-dev-maintain-schedule").get("DependsOn")))
                .anyMatch(id -> String.valueOf(id).startsWith("GlueJobmaintain"));
    }

    @Test
    void martsRunHourlyAsTheirOwnGlueJob()
    {
        dev.template().resourceCountIs("AWS::Glue::Trigger", 2);
        dev.template().hasResourceProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                "Name", "sluice-dev-marts",
                "Description", "Sluice marts: io.sluice.glue.GlueEntryPoint --command marts",
                "DefaultArguments", Match.objectLike(Map.of(
                        "--command", "marts",
                        "--class", "SluiceGlueLauncher",
                        "--database", "sluice_dev")))));
        dev.template().hasResourceProperties("AWS::Glue::Trigger", Map.of(
                "Name", "sluice-dev-marts-schedule",
                "Description", Match.anyValue(),
                "Type", "SCHEDULED",
                // Every hour, at a quarter past (Glue's six-field cron: minutes, hours, day, month, weekday, year).
                "Schedule", "cron(15 * * * ? *)",
                "StartOnCreation", true,
                "Actions", List.of(Map.of("JobName", "sluice-dev-marts"))));
        assertThat(Policies.list(trigger("sluice-dev-marts-schedule").get("DependsOn")))
                .anyMatch(id -> String.valueOf(id).startsWith("GlueJobmarts"));
        assertThat(Synth.of(Map.of("env", "dev", "martsSchedule", "cron(45 */2 * * ? *)")).template()
                .findResources("AWS::Glue::Trigger", Match.objectLike(Map.of("Properties", Match.objectLike(Map.of(
                        "Name", "sluice-dev-marts-schedule", "Schedule", "cron(45 */2 * * ? *)")))))).hasSize(1);
    }

    private Map<String, Object> trigger(String name)
    {
        return dev.resources("AWS::Glue::Trigger").values().stream()
                .filter(r -> name.equals(Policies.props(r).get("Name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Glue trigger " + name));
    }

    @Test
    void launcherScriptInTheRepositoryDelegatesToTheEntryPoint() throws Exception
    {
        Path script = Path.of("glue", GlueJobsConstruct.LAUNCHER_CLASS + ".scala");
        assertThat(Files.readString(script))
                .contains("object " + GlueJobsConstruct.LAUNCHER_CLASS)
                .contains("io.sluice.glue.GlueEntryPoint.main(args)");
    }
}
