package io.sluice.glue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlueJobDefinitionsTest
{
    @Test
    void oneDefinitionPerCommandWithDeltaAndTheLauncher()
    {
        Map<String, GlueJobDefinition> jobs = GlueJobDefinitions.load();

        assertThat(jobs.keySet()).containsExactly("backfill", "replay", "maintain", "marts");
        for (GlueJobDefinition job : jobs.values()) {
            assertThat(job.arguments())
                    .containsEntry("--command", job.command())
                    .containsEntry("--datalake-formats", "delta")
                    .containsEntry("--job-language", "scala")
                    .containsEntry("--class", "SluiceGlueLauncher")
                    .containsEntry("--job-bookmark-option", "job-bookmark-disable")
                    .containsEntry("--conf", "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension"
                            + " --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog");
            assertThat(job.maxConcurrentRuns()).isEqualTo(1);
            assertThat(job.maxRetries()).isZero();
        }
        assertThat(jobs.get("backfill")).extracting(GlueJobDefinition::workerType, GlueJobDefinition::workers, GlueJobDefinition::timeoutMinutes)
                .containsExactly("G.2X", 10, 480);
        assertThat(jobs.get("replay")).extracting(GlueJobDefinition::workerType, GlueJobDefinition::workers, GlueJobDefinition::timeoutMinutes)
                .containsExactly("G.1X", 2, 120);
        assertThat(jobs.get("maintain")).extracting(GlueJobDefinition::workerType, GlueJobDefinition::workers, GlueJobDefinition::timeoutMinutes)
                .containsExactly("G.1X", 2, 120);
    }

    @Test
    void everyArgumentOfADefinitionIsGluesOwnOrTheEntryPoints()
    {
        // What the CDK app deploys must be what GlueEntryPoint accepts, plus the deployment's --lake.
        for (GlueJobDefinition job : GlueJobDefinitions.load().values()) {
            java.util.List<String> arguments = new java.util.ArrayList<>();
            job.arguments().forEach((key, value) -> {
                arguments.add(key);
                arguments.add(value);
            });
            assertThat(GlueArguments.toSluiceCommandLine(arguments)).startsWith(job.command());
        }
    }

    @Test
    void missingMisspeltAndInvalidFieldsAreNamed()
    {
        String valid = """
                arguments { "--datalake-formats" = delta }
                jobs {
                  backfill { worker-type = G.2X, workers = 10, timeout-minutes = 480 }
                  replay { worker-type = G.1X, workers = 2, timeout-minutes = 120 }
                  maintain { worker-type = G.1X, workers = 2, timeout-minutes = 120 }
                  marts { worker-type = G.1X, workers = 2, timeout-minutes = 60 }
                }
                max-concurrent-runs = 1
                max-retries = 0
                """;
        assertThat(GlueJobDefinitions.parse(ConfigFactory.parseString(valid))).hasSize(4);

        assertThatThrownBy(() -> GlueJobDefinitions.parse(ConfigFactory.parseString(valid.replace("timeout-minutes = 480", "timeout = 480"))))
                .hasMessage("Invalid Glue job definitions: unknown key jobs.backfill.timeout (expected one of [timeout-minutes, worker-type, workers])");
        assertThatThrownBy(() -> GlueJobDefinitions.parse(ConfigFactory.parseString(valid.replace("replay {", "replays {"))))
                .hasMessage("Invalid Glue job definitions: unknown key jobs.replays (expected one of [backfill, maintain, marts, replay])");
        assertThatThrownBy(() -> GlueJobDefinitions.parse(ConfigFactory.parseString(valid.replace("G.2X", "G.3X"))))
                .hasMessage("Invalid Glue job definition worker-type: 'G.3X' (expected one of [G.1X, G.2X, G.4X, G.8X])");
        assertThatThrownBy(() -> GlueJobDefinitions.parse(ConfigFactory.parseString(valid.replace("workers = 10", "workers = 1"))))
                .hasMessage("Invalid Glue job definition workers: '1' (expected at least 2)");
        assertThatThrownBy(() -> GlueJobDefinitions.parse(ConfigFactory.parseString(valid.replace("max-retries = 0", ""))))
                .hasMessageStartingWith("Invalid Glue job definitions: ")
                .hasMessageContaining("max-retries");
    }
}
