package io.sluice.submit;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.ConfigKeys;
import io.sluice.config.InvalidConfigurationException;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConnector;
import io.sluice.config.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emrserverless.model.JobRunMode;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

final class JobRunPlannerTest
{
    private static final ApplicationJar JAR = new ApplicationJar(Path.of("spark-app/target/sluice-spark-app-0.1.0-SNAPSHOT-emr.jar"),
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    private static final StackOutputs STACK = new StackOutputs("Sluice-dev", Map.of(
            StackOutputs.STREAM_NAME, "sluice-dev-events",
            StackOutputs.STREAM_ARN, "arn:aws:kinesis:eu-west-1:123456789012:stream/sluice-dev-events",
            StackOutputs.LAKE_BUCKET_NAME, "sluice-dev-lake-abc",
            StackOutputs.CHECKPOINTS_URI, "s3://sluice-dev-lake-abc/checkpoints/"));
    private static final String BASE_PARAMETERS = "--class io.sluice.cli.SluiceMain"
            + " --jars /usr/share/aws/delta/lib/delta-spark.jar,/usr/share/aws/delta/lib/delta-storage.jar";
    /** SparkSessions.ENGINE_SETTINGS, sorted by key. */
    private static final String ENGINE_CONFS = " --conf spark.sql.codegen.cache.maxEntries=2000"
            + " --conf spark.sql.maxConcurrentOutputFileWriters=16"
            + " --conf spark.sql.optimizer.enableJsonExpressionOptimization=false"
            + " --conf spark.sql.streaming.noDataMicroBatches.enabled=false";
    private static final String CONFS = " --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension"
            + " --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog"
            + " --conf spark.driver.cores=2 --conf spark.driver.memory=7g"
            + " --conf spark.executor.cores=2 --conf spark.executor.memory=7g --conf spark.executor.instances=2"
            + " --conf spark.dynamicAllocation.enabled=false"
            + ENGINE_CONFS;

    private static SubmitSettings settings()
    {
        return new SubmitSettings("00fabcdef1234567", "arn:aws:iam::123456789012:role/sluice-dev-emr-job",
                S3Location.parse("--artifacts", "s3://sluice-dev-artifacts-abc"), Optional.of("/aws/emr-serverless/sluice-dev"),
                Optional.of("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"), Optional.empty(), "token-1",
                JobResources.DEFAULT, Map.of(), OptionalInt.empty(), OptionalInt.empty());
    }

    private static SluiceConfig config(Map<String, String> overrides)
    {
        return EmrConfiguration.load(Optional.of(STACK), Optional.empty(), Map.of(), overrides);
    }

    private static JobRunRequest plan(SluiceJob job, Map<String, String> overrides, List<String> jobArguments)
    {
        return JobRunPlanner.plan(job, jobArguments, config(overrides), JAR, settings()).request();
    }

    @Test
    void sparkSubmitParametersNameTheMainClassDeltaAndTheSizes()
    {
        assertThat(plan(SluiceJob.STREAM, Map.of(), List.of()).sparkSubmitParameters()).isEqualTo(BASE_PARAMETERS + CONFS);
    }

    @Test
    void theKinesisConnectorJarJoinsDeltaInOneJarsListOnlyForAwsKinesis()
    {
        assertThat(plan(SluiceJob.STREAM, Map.of("source.connector", "aws-kinesis"), List.of()).sparkSubmitParameters())
                .isEqualTo(BASE_PARAMETERS + ",/usr/share/aws/kinesis/spark-sql-kinesis/lib/spark-streaming-sql-kinesis-connector.jar" + CONFS);
        assertThat(plan(SluiceJob.STREAM, Map.of("source.connector", "sluice"), List.of()).sparkSubmitParameters())
                .doesNotContain("kinesis");
    }

    @Test
    void sizesAndExtraConfsComeLast()
    {
        String parameters = SparkSubmitParameters.of(SourceConnector.SLUICE, new JobResources(4, 16, 8, 30, 5),
                new LinkedHashMap<>(Map.of("spark.sql.shuffle.partitions", "64")));
        assertThat(parameters).endsWith(" --conf spark.driver.cores=4 --conf spark.driver.memory=16g"
                + " --conf spark.executor.cores=8 --conf spark.executor.memory=30g --conf spark.executor.instances=5"
                + " --conf spark.dynamicAllocation.enabled=false"
                + ENGINE_CONFS
                + " --conf spark.sql.shuffle.partitions=64");
        assertThatThrownBy(() -> SparkSubmitParameters.of(SourceConnector.SLUICE, JobResources.DEFAULT, Map.of("spark.driver.extraJavaOptions", "-Da=1 -Db=2")))
                .isInstanceOf(UsageException.class)
                .hasMessage("Invalid --spark-conf: 'spark.driver.extraJavaOptions=-Da=1 -Db=2' (expected key=value without whitespace: "
                        + "EMR Serverless splits sparkSubmitParameters on it)");
        assertThatThrownBy(() -> new JobResources(3, 7, 2, 7, 2))
                .isInstanceOf(UsageException.class)
                .hasMessage("Invalid --driver-cores: '3' (expected 1, 2, 4, 8 or 16, the vCPUs of an EMR Serverless worker)");
        assertThatThrownBy(() -> JobResources.parseMemoryGb("--executor-memory", "7000m"))
                .isInstanceOf(UsageException.class)
                .hasMessage("Invalid --executor-memory: '7000m' (expected whole gigabytes such as 7g)");
    }

    @Test
    void streamRunsInStreamingModeWithoutTimeoutAndAnHourlyRetryLimit()
    {
        JobRunRequest request = plan(SluiceJob.STREAM, Map.of(), List.of());
        assertThat(request.mode()).isEqualTo(JobRunMode.STREAMING);
        assertThat(request.name()).isEqualTo("sluice-stream");
        JsonNode json = request.toCliInputJson();
        assertThat(json.get("mode").asText()).isEqualTo("STREAMING");
        assertThat(json.get("executionTimeoutMinutes").asInt()).isZero();
        assertThat(json.get("retryPolicy").toString()).isEqualTo("{\"maxFailedAttemptsPerHour\":5}");
    }

    @Test
    void batchJobsRunInBatchModeWithOneRetryAndTheServiceTimeout()
    {
        for (SluiceJob job : List.of(SluiceJob.BACKFILL, SluiceJob.REPLAY, SluiceJob.MAINTAIN)) {
            JsonNode json = plan(job, Map.of(), List.of()).toCliInputJson();
            assertThat(json.get("mode").asText()).isEqualTo("BATCH");
            assertThat(json.get("name").asText()).isEqualTo("sluice-" + job.command());
            assertThat(json.get("executionTimeoutMinutes").asInt()).isEqualTo(720);
            assertThat(json.get("retryPolicy").toString()).isEqualTo("{\"maxAttempts\":2}");
        }
        SubmitSettings streamWithTimeout = new SubmitSettings("00fabcdef1234567", "arn:aws:iam::123456789012:role/r",
                S3Location.parse("--artifacts", "s3://bucket"), Optional.empty(), Optional.empty(), Optional.empty(), "t",
                JobResources.DEFAULT, Map.of(), OptionalInt.empty(), OptionalInt.of(60));
        assertThatThrownBy(() -> JobRunPlanner.plan(SluiceJob.STREAM, List.of(), config(Map.of()), JAR, streamWithTimeout))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Cannot use --timeout-minutes with stream: a streaming job run has no timeout and runs until cancelled");
    }

    @Test
    void entryPointIsTheJarUploadedUnderItsDigest()
    {
        JobRunPlan plan = JobRunPlanner.plan(SluiceJob.STREAM, List.of(), config(Map.of()), JAR, settings());
        assertThat(plan.jarLocation()).isEqualTo(new S3Location("sluice-dev-artifacts-abc", "jars/sluice-spark-app-0.1.0-SNAPSHOT-emr-0123456789abcdef.jar"));
        assertThat(plan.request().entryPoint()).isEqualTo("s3://sluice-dev-artifacts-abc/jars/sluice-spark-app-0.1.0-SNAPSHOT-emr-0123456789abcdef.jar");
        assertThat(plan.request().tags()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "project", "sluice", "sluice:job", "stream", "sluice:jar-sha256", JAR.sha256()));
    }

    @Test
    void argumentsAreTheCommandTheNonDefaultConfigurationAndTheJobArguments()
    {
        JobRunRequest request = plan(SluiceJob.BACKFILL, Map.of("stream.watermark-delay", "30m"),
                List.of("--from", "2026-06-01T00:00:00Z", "--to", "2026-06-02T00:00:00Z"));
        assertThat(request.entryPointArguments()).containsExactly(
                "backfill",
                "--set", "source.stream-name=sluice-dev-events",
                "--set", "source.region=eu-west-1",
                "--set", "source.endpoint=",
                "--set", "lake.root=s3a://sluice-dev-lake-abc",
                "--set", "lake.checkpoint-root=s3a://sluice-dev-lake-abc/checkpoints",
                "--set", "stream.watermark-delay=30m",
                "--set", "spark.master=",
                "--from", "2026-06-01T00:00:00Z", "--to", "2026-06-02T00:00:00Z");
    }

    @Test
    void theArgumentsCarryTheWholeConfiguration()
    {
        SluiceConfig local = config(Map.of("source.connector", "aws-kinesis", "stream.trigger-interval", "5s", "metrics.cloudwatch-namespace", "Sluice"));
        List<String> arguments = EmrConfiguration.setArguments(local);
        Map<String, String> sets = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i += 2) {
            assertThat(arguments.get(i)).isEqualTo("--set");
            String pair = arguments.get(i + 1);
            sets.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        SluiceConfig remote = SluiceConfig.load(Optional.empty(), Map.of(), sets);
        for (var key : ConfigKeys.ALL) {
            assertThat(remote.rawValue(key)).as(key.name()).isEqualTo(local.rawValue(key));
        }
    }

    @Test
    void monitoringWritesLogsBelowTheArtifactsAndToTheLogGroupWithTheKey()
    {
        JsonNode monitoring = plan(SluiceJob.STREAM, Map.of(), List.of()).toCliInputJson().get("configurationOverrides").get("monitoringConfiguration");
        String key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assertThat(monitoring.get("s3MonitoringConfiguration").toString())
                .isEqualTo("{\"logUri\":\"s3://sluice-dev-artifacts-abc/emr-logs/\",\"encryptionKeyArn\":\"" + key + "\"}");
        assertThat(monitoring.get("cloudWatchLoggingConfiguration").toString())
                .isEqualTo("{\"enabled\":true,\"logGroupName\":\"/aws/emr-serverless/sluice-dev\",\"encryptionKeyArn\":\"" + key + "\"}");
    }

    @Test
    void theSdkRequestAndTheCliJsonAreTheSameRequest()
    {
        JobRunRequest request = plan(SluiceJob.STREAM, Map.of(), List.of());
        StartJobRunRequest sdk = request.toSdkRequest();
        JsonNode json = request.toCliInputJson();
        assertThat(sdk.applicationId()).isEqualTo(json.get("applicationId").asText());
        assertThat(sdk.clientToken()).isEqualTo("token-1");
        List<String> arguments = new ArrayList<>();
        json.get("jobDriver").get("sparkSubmit").get("entryPointArguments").forEach(argument -> arguments.add(argument.asText()));
        assertThat(sdk.jobDriver().sparkSubmit().entryPointArguments()).isEqualTo(arguments);
        assertThat(sdk.jobDriver().sparkSubmit().sparkSubmitParameters()).isEqualTo(json.get("jobDriver").get("sparkSubmit").get("sparkSubmitParameters").asText());
        assertThat(sdk.retryPolicy().maxFailedAttemptsPerHour()).isEqualTo(5);
        assertThat(sdk.retryPolicy().maxAttempts()).isNull();
        assertThat(sdk.modeAsString()).isEqualTo("STREAMING");
        assertThat(sdk.executionTimeoutMinutes()).isZero();
        assertThat(sdk.configurationOverrides().monitoringConfiguration().cloudWatchLoggingConfiguration().logGroupName())
                .isEqualTo("/aws/emr-serverless/sluice-dev");
    }

    @Test
    void laptopSettingsThatCannotWorkOnEmrAreRejectedWithTheKeyAndTheFix()
    {
        assertThatThrownBy(() -> config(Map.of("spark.master", "local[2]")))
                .hasMessage("Invalid configuration value for 'spark.master': 'local[2]' (expected empty on EMR Serverless, "
                        + "where spark-submit sets the master; remove the setting)");
        assertThatThrownBy(() -> config(Map.of("source.endpoint", "http://127.0.0.1:4568")))
                .hasMessageStartingWith("Invalid configuration value for 'source.endpoint': 'http://127.0.0.1:4568' (expected empty on EMR Serverless");
        assertThatThrownBy(() -> EmrConfiguration.load(Optional.empty(), Optional.empty(), Map.of(), Map.of()))
                .hasMessage("Invalid configuration value for 'lake.root': '.sluice/lake' (expected an s3a:// or s3:// URI on EMR Serverless; "
                        + "pass --stack-outputs or set it to the lake bucket)");
        assertThatThrownBy(() -> config(Map.of("contracts.dir", "contracts")))
                .hasMessageStartingWith("Invalid configuration value for 'contracts.dir': 'contracts' (expected empty on EMR Serverless");
        assertThatThrownBy(() -> config(Map.of("stream.stop-marker", "/tmp/stop")))
                .hasMessageStartingWith("Invalid configuration value for 'stream.stop-marker': '/tmp/stop'");
        assertThatThrownBy(() -> plan(SluiceJob.BACKFILL, Map.of(), List.of("-c", "conf/emr.conf")))
                .hasMessageStartingWith("Cannot pass -c after --: the job on EMR Serverless cannot read this machine's files");
    }

    @Test
    void stackOutputsNameTheStackAndItsLake(@TempDir Path directory)
            throws Exception
    {
        Path file = Files.writeString(directory.resolve("outputs.json"), """
                {"Sluice-dev": {"StreamName": "sluice-dev-events", "StreamArn": "arn:aws:kinesis:eu-west-1:123456789012:stream/sluice-dev-events"},
                 "Sluice-prod": {"StreamName": "sluice-prod-events"}}
                """);
        assertThatThrownBy(() -> StackOutputs.read(file, Optional.empty()))
                .hasMessage("Missing --stack: %s holds the outputs of stacks Sluice-dev, Sluice-prod; name one".formatted(file));
        assertThatThrownBy(() -> StackOutputs.read(file, Optional.of("Sluice-test")))
                .hasMessage("Invalid --stack: 'Sluice-test' (expected one of Sluice-dev, Sluice-prod, the stacks in %s)".formatted(file));
        StackOutputs dev = StackOutputs.read(file, Optional.of("Sluice-dev"));
        assertThat(dev.region()).contains("eu-west-1");
        assertThat(dev.configuration()).containsExactly(entry("source.stream-name", "sluice-dev-events"), entry("source.region", "eu-west-1"));
        assertThatThrownBy(() -> StackOutputs.read(directory.resolve("missing.json"), Optional.empty()))
                .hasMessage("Invalid --stack-outputs: '%s' (no such file; write it with cdk deploy --outputs-file)".formatted(directory.resolve("missing.json")));
    }
}
