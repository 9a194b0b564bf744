package io.sluice.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class SluiceConfigTest
{
    @Test
    void defaultsAreForALaptop()
    {
        SluiceConfig config = SluiceConfig.defaults();
        assertThat(config.value(ConfigKeys.SOURCE_CONNECTOR)).isEqualTo(SourceConnector.SLUICE);
        assertThat(config.value(ConfigKeys.SOURCE_STREAM_NAME)).isEqualTo("sluice-events");
        assertThat(config.value(ConfigKeys.SOURCE_REGION)).isEqualTo("us-east-1");
        assertThat(config.value(ConfigKeys.SOURCE_ENDPOINT)).isEqualTo("http://127.0.0.1:4568");
        assertThat(config.value(ConfigKeys.SOURCE_ROLE_ARN)).isEmpty();
        assertThat(config.value(ConfigKeys.SOURCE_STARTING_POSITION)).isEqualTo(StartingPosition.TRIM_HORIZON);
        assertThat(config.value(ConfigKeys.SOURCE_STARTING_TIMESTAMP)).isEmpty();
        assertThat(config.value(ConfigKeys.SOURCE_MAX_RECORDS_PER_SHARD)).isEqualTo(100_000);
        assertThat(config.value(ConfigKeys.SOURCE_SHARD_DISCOVERY_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.value(ConfigKeys.LAKE_ROOT)).isEqualTo(".sluice/lake");
        assertThat(config.value(ConfigKeys.CHECKPOINT_ROOT)).isEqualTo(".sluice/checkpoints");
        assertThat(config.value(ConfigKeys.LAKE_S3_ENDPOINT)).isEmpty();
        assertThat(config.value(ConfigKeys.LAKE_S3_REGION)).isEmpty();
        assertThat(config.value(ConfigKeys.LAKE_S3_PATH_STYLE_ACCESS)).isFalse();
        assertThat(config.value(ConfigKeys.CONTRACTS_DIR)).isEmpty();
        assertThat(config.value(ConfigKeys.TABLE_BRONZE)).isEqualTo("raw_events");
        assertThat(config.value(ConfigKeys.TABLE_QUARANTINE)).isEqualTo("quarantine");
        assertThat(config.value(ConfigKeys.TABLE_AUDIT)).isEqualTo("ingest_audit");
        assertThat(config.value(ConfigKeys.STREAM_QUERY_NAME)).isEqualTo("sluice-ingest");
        assertThat(config.value(ConfigKeys.STREAM_TRIGGER_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.value(ConfigKeys.STREAM_WATERMARK_DELAY)).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.value(ConfigKeys.STREAM_LATE_POLICY)).isEqualTo(LatePolicy.MERGE);
        assertThat(config.value(ConfigKeys.STREAM_MAX_RECORD_BYTES)).isEqualTo(262_144);
        assertThat(config.value(ConfigKeys.STREAM_MAX_NESTING_DEPTH)).isEqualTo(64);
        assertThat(config.value(ConfigKeys.STREAM_STOP_MARKER)).isEmpty();
        assertThat(config.value(ConfigKeys.METRICS_CLOUDWATCH_NAMESPACE)).isEmpty();
        assertThat(config.value(ConfigKeys.MAINTAIN_RAW_RETENTION_DAYS)).as("raw data is kept until a retention is chosen").isZero();
        assertThat(config.value(ConfigKeys.SPARK_MASTER)).isEqualTo("local[*]");
        assertThat(config.value(ConfigKeys.SPARK_SHUFFLE_PARTITIONS)).isEqualTo(4);
        // Every key is covered above: a new key needs its default asserted here.
        assertThat(ConfigKeys.ALL).hasSize(30);
    }

    @Test
    void overridesWinOverEnvironmentWhichWinsOverTheFile(@TempDir Path directory)
            throws IOException
    {
        Path file = directory.resolve("sluice.conf");
        Files.writeString(file, """
                source { stream-name = from-file, region = eu-west-1 }
                lake.root = "s3a://bucket/lake"
                stream.watermark-delay = 5m
                """);
        SluiceConfig config = SluiceConfig.load(Optional.of(file),
                Map.of("SLUICE_SOURCE_STREAM_NAME", "from-env", "SLUICE_HOME", "/ignored", "SLUICE_DEBUG", "1", "PATH", "/usr/bin"),
                Map.of("stream.watermark-delay", "90s"));
        assertThat(config.value(ConfigKeys.SOURCE_STREAM_NAME)).isEqualTo("from-env");
        assertThat(config.value(ConfigKeys.SOURCE_REGION)).isEqualTo("eu-west-1");
        assertThat(config.value(ConfigKeys.LAKE_ROOT)).isEqualTo("s3a://bucket/lake");
        assertThat(config.value(ConfigKeys.STREAM_WATERMARK_DELAY)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void baseValuesSitBetweenTheDefaultsAndTheFile(@TempDir Path directory)
            throws IOException
    {
        Path file = Files.writeString(directory.resolve("sluice.conf"), "source.region = eu-west-1\n");
        SluiceConfig config = SluiceConfig.load(Map.of("source.region", "us-west-2", "source.stream-name", "from-stack", "lake.root", "s3a://stack-lake"),
                "the stack", Optional.of(file), Map.of("SLUICE_LAKE_ROOT", "s3a://env-lake"), Map.of());
        assertThat(config.value(ConfigKeys.SOURCE_REGION)).isEqualTo("eu-west-1");
        assertThat(config.value(ConfigKeys.SOURCE_STREAM_NAME)).isEqualTo("from-stack");
        assertThat(config.value(ConfigKeys.LAKE_ROOT)).isEqualTo("s3a://env-lake");
        assertThatThrownBy(() -> SluiceConfig.load(Map.of("spark.shuffle-partitions", "0"), "the stack", Optional.empty(), Map.of(), Map.of()))
                .hasMessage("Invalid configuration value for 'spark.shuffle-partitions': '0' (expected an integer between 1 and 10000), from the stack");
        assertThatThrownBy(() -> SluiceConfig.load(Map.of("lake.rot", "x"), "the stack", Optional.empty(), Map.of(), Map.of()))
                .hasMessage("Unknown configuration key 'lake.rot' in the stack; did you mean 'lake.root'?");
    }

    @Test
    void badValueNamesKeyValueExpectationAndOrigin()
    {
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of(), Map.of("spark.shuffle-partitions", "many")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid configuration value for 'spark.shuffle-partitions': 'many' (expected an integer between 1 and 10000), from --set");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of("SLUICE_STREAM_LATE_POLICY", "drop"), Map.of()))
                .hasMessage("Invalid configuration value for 'stream.late-policy': 'drop' (expected one of merge, quarantine), "
                        + "from environment variable SLUICE_STREAM_LATE_POLICY");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of(), Map.of("lake.root", "hdfs://namenode/lake")))
                .hasMessageStartingWith("Invalid configuration value for 'lake.root': 'hdfs://namenode/lake' (expected a local directory or an s3://, s3a:// or file:// URI)");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of(), Map.of("source.endpoint", "localhost:4568")))
                .hasMessageStartingWith("Invalid configuration value for 'source.endpoint': 'localhost:4568'");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of(), Map.of("lake.s3.path-style-access", "yes")))
                .hasMessage("Invalid configuration value for 'lake.s3.path-style-access': 'yes' (expected true or false), from --set");
    }

    @Test
    void unknownKeysAreRejectedWithAHint(@TempDir Path directory)
            throws IOException
    {
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of(), Map.of("stream.watermark-dalay", "1m")))
                .hasMessage("Unknown configuration key 'stream.watermark-dalay' in --set; did you mean 'stream.watermark-delay'?");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of("SLUICE_LAKE_ROT", "x"), Map.of()))
                .hasMessage("Unknown configuration environment variable 'SLUICE_LAKE_ROT' in environment; did you mean 'lake.root'?");
        Path file = directory.resolve("bad.conf");
        Files.writeString(file, "kafka.brokers = \"localhost:9092\"\n");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.of(file), Map.of(), Map.of()))
                .hasMessage("Unknown configuration key 'kafka.brokers' in %s; see the configuration reference in README.md".formatted(file));
    }

    @Test
    void unreadableFileIsOneLine(@TempDir Path directory)
            throws IOException
    {
        Path missing = directory.resolve("missing.conf");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.of(missing), Map.of(), Map.of()))
                .hasMessage("Cannot read configuration file %s: no such file".formatted(missing));
        Path broken = directory.resolve("broken.conf");
        Files.writeString(broken, "source { stream-name = \n");
        assertThatThrownBy(() -> SluiceConfig.load(Optional.of(broken), Map.of(), Map.of()))
                .hasMessageStartingWith("Cannot read configuration file " + broken);
    }

    @Test
    void atTimestampNeedsATimestamp()
    {
        assertThatThrownBy(() -> SluiceConfig.load(Optional.empty(), Map.of(), Map.of("source.starting-position", "AT_TIMESTAMP")))
                .hasMessageStartingWith("Invalid configuration value for 'source.starting-timestamp': ''");
        SluiceConfig config = SluiceConfig.load(Optional.empty(), Map.of(),
                Map.of("source.starting-position", "at_timestamp", "source.starting-timestamp", "2026-11-21T00:00:00Z"));
        assertThat(config.value(ConfigKeys.SOURCE_STARTING_POSITION)).isEqualTo(StartingPosition.AT_TIMESTAMP);
    }

    @Test
    void environmentVariableNamesFollowTheKeys()
    {
        assertThat(ConfigKeys.SOURCE_STREAM_NAME.environmentVariable()).isEqualTo("SLUICE_SOURCE_STREAM_NAME");
        assertThat(ConfigKeys.STREAM_WATERMARK_DELAY.environmentVariable()).isEqualTo("SLUICE_STREAM_WATERMARK_DELAY");
    }

    @Test
    void readmeHoldsTheCurrentReference()
            throws IOException
    {
        String readme = Files.readString(Path.of(System.getProperty("sluice.home", "..")).resolve("README.md"));
        assertThat(readme).as("README.md configuration reference; regenerate it with io.sluice.config.ConfigReference")
                .contains(ConfigReference.markdownTable());
    }

    @Test
    void exampleConfigurationFilesLoad()
            throws IOException
    {
        Path conf = Path.of(System.getProperty("sluice.home", "..")).resolve("conf");
        try (var files = Files.list(conf)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".conf")).toList()) {
                assertThat(SluiceConfig.load(Optional.of(file), Map.of(), Map.of())).as(file.toString()).isNotNull();
            }
        }
    }
}
