package io.sluice.glue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlueArgumentsTest
{
    /** What Glue adds to every run of a job the CDK app defines (its own keys are interleaved with the job's). */
    private static final List<String> GLUE_OWN = List.of(
            "--JOB_ID", "j_0123", "--JOB_RUN_ID", "jr_4567", "--JOB_NAME", "sluice-dev-backfill",
            "--job-bookmark-option", "job-bookmark-disable", "--TempDir", "s3://artifacts/glue-temp/",
            "--job-language", "scala", "--class", "SluiceGlueLauncher", "--extra-jars", "s3://artifacts/jars/sluice-glue-jobs-glue.jar",
            "--datalake-formats", "delta",
            "--conf", "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension --conf spark.sql.catalog.spark_catalog=x",
            "--enable-glue-datacatalog", "true", "--enable-metrics", "true", "--enable-continuous-cloudwatch-log", "true",
            "--SECURITY_CONFIGURATION", "sluice-dev-glue", "--encryption-type", "sse-s3");
    private static final List<String> LAKE_SETTINGS = List.of(
            "--set", "spark.master=",
            "--set", "lake.root=s3://sluice-lake-123",
            "--set", "lake.checkpoint-root=s3://sluice-lake-123/checkpoints");

    @Test
    void backfillRunWithTheCdkDefaultsAndGluesOwnArguments()
    {
        List<String> arguments = new ArrayList<>(GLUE_OWN);
        arguments.addAll(List.of("--command", "backfill", "--lake", "s3://sluice-lake-123/", "--database", "sluice_dev",
                "--environment", "dev", "--from", "2026-06-29T00:00:00Z", "--to", "2026-06-30T00:00:00Z",
                "--source", "s3a://exports/2026-06-29/", "--dataset", "tennis.serve, tennis.match", "--dry-run", "true"));

        assertThat(GlueArguments.toSluiceCommandLine(arguments)).containsExactlyElementsOf(concat(
                List.of("backfill", "--from", "2026-06-29T00:00:00Z", "--to", "2026-06-30T00:00:00Z",
                        "--source", "s3a://exports/2026-06-29/", "--dataset", "tennis.serve", "--dataset", "tennis.match", "--dry-run"),
                LAKE_SETTINGS));
    }

    @Test
    void replayPassesItsRangeAndDatasets()
    {
        assertThat(GlueArguments.toSluiceCommandLine(List.of("--command", "replay", "--lake", "s3://sluice-lake-123",
                "--from", "2026-06-29T00:00:00Z", "--to", "2026-06-29T12:00:00Z", "--dataset", "tennis.serve", "--dry-run", "false")))
                .containsExactlyElementsOf(concat(
                        List.of("replay", "--from", "2026-06-29T00:00:00Z", "--to", "2026-06-29T12:00:00Z", "--dataset", "tennis.serve"),
                        LAKE_SETTINGS));
    }

    @Test
    void maintainPassesRecentDaysAndRetention()
    {
        assertThat(GlueArguments.toSluiceCommandLine(List.of("--command", "maintain", "--recent-days", "3", "--retain", "168h",
                "--lake", "s3://sluice-lake-123/")))
                .containsExactlyElementsOf(concat(List.of("maintain", "--recent-days", "3", "--retain", "168h"), LAKE_SETTINGS));
    }

    @Test
    void theMartsJobRunsSluiceMartsOnTheLake()
    {
        // A scheduled Glue job for the gold marts (the stack's side is still to do; docs/athena.md).
        assertThat(GlueArguments.toSluiceCommandLine(List.of("--command", "marts")))
                .containsExactly("marts", "--set", "spark.master=");
    }

    @Test
    void withoutLakeOnlyTheMasterIsLeftToGlue()
    {
        assertThat(GlueArguments.toSluiceCommandLine(List.of("--command", "maintain")))
                .containsExactly("maintain", "--set", "spark.master=");
    }

    @Test
    void dottedKeysAreConfigurationAndWinOverWhatTheLakeImplies()
    {
        assertThat(GlueArguments.toSluiceCommandLine(List.of("--command", "maintain", "--lake", "s3://sluice-lake-123/",
                "--lake.checkpoint-root", "s3://other/checkpoints", "--spark.shuffle-partitions", "16",
                "--source.endpoint", "", "--config", "glue-prod.conf")))
                .containsExactly("maintain", "--config", "glue-prod.conf",
                        "--set", "spark.master=",
                        "--set", "lake.root=s3://sluice-lake-123",
                        "--set", "lake.checkpoint-root=s3://other/checkpoints",
                        "--set", "spark.shuffle-partitions=16",
                        "--set", "source.endpoint=");
    }

    @Test
    void glueKeysWithoutAValueAreTolerated()
    {
        assertThat(GlueArguments.toSluiceCommandLine(List.of("--enable-spark-ui", "--command", "maintain", "--JOB_NAME")))
                .containsExactly("maintain", "--set", "spark.master=");
    }

    @Test
    void commandIsRequiredAndChecked()
    {
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--lake", "s3://sluice-lake-123/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Missing Glue job argument --command: set it to one of [backfill, replay, maintain, marts] in the job's arguments");
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "stream")))
                .hasMessage("Invalid Glue job argument --command: 'stream' (expected one of [backfill, replay, maintain, marts])");
    }

    @Test
    void unknownSluiceArgumentIsRefusedInOneLine()
    {
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "backfill", "--form", "2026-06-29T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown Glue job argument --form: Sluice's are --command, --lake, --from, --to, --source, --recent-days, "
                        + "--retain, --config, --dataset, --dry-run, --database, --environment and configuration keys such as "
                        + "--spark.shuffle-partitions");
    }

    @Test
    void badValuesNameTheArgumentAndWhatIsExpected()
    {
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "backfill", "--dry-run", "yes")))
                .hasMessage("Invalid Glue job argument --dry-run: 'yes' (expected true or false)");
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "backfill", "--dataset", "tennis.serve,")))
                .hasMessage("Invalid Glue job argument --dataset: 'tennis.serve,' (expected dataset names separated by commas, "
                        + "such as tennis.serve,tennis.match)");
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "backfill", "--lake", "/")))
                .hasMessage("Invalid Glue job argument --lake: '/' (expected the lake bucket's URI, such as s3://sluice-lake-123/)");
    }

    @Test
    void missingValuesRepeatsAndStrayWordsAreRefused()
    {
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "backfill", "--from", "--to", "x")))
                .hasMessage("Missing value for Glue job argument --from");
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "backfill", "--command", "replay")))
                .hasMessage("Invalid Glue job argument --command: given twice ('backfill' and 'replay'); give it once "
                        + "(--dataset takes a comma-separated list)");
        assertThatThrownBy(() -> GlueArguments.toSluiceCommandLine(List.of("--command", "backfill", "now")))
                .hasMessage("Invalid Glue job argument 'now': expected --key value pairs");
    }

    private static List<String> concat(List<String> first, List<String> second)
    {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
