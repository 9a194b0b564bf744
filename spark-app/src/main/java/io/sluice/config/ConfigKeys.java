package io.sluice.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configuration key Sluice reads, with its default. Defaults are for a laptop: the embedded Kinesis mock's
 * endpoint, a lake under {@code .sluice/}, Spark {@code local[*]}. On AWS, a config file overrides them (see conf/).
 */
public final class ConfigKeys
{
    public static final ConfigKey<SourceConnector> SOURCE_CONNECTOR = new ConfigKey<>("source.connector", "sluice",
            "sluice or aws-kinesis", Parsers.oneOf(SourceConnector.class, SourceConnector::configName),
            "Kinesis connector: sluice (Sluice's own source, runs anywhere) or aws-kinesis (bundled in EMR images)");
    public static final ConfigKey<String> SOURCE_STREAM_NAME = new ConfigKey<>("source.stream-name", "sluice-events",
            "a Kinesis stream name", Parsers.matching("[a-zA-Z0-9_.-]{1,128}", "a Kinesis stream name: 1 to 128 characters of a-z, A-Z, 0-9, _ . -"),
            "Kinesis stream to read (and, for produce, to write)");
    public static final ConfigKey<String> SOURCE_REGION = new ConfigKey<>("source.region", "us-east-1",
            "an AWS region such as eu-west-1", Parsers.nonEmptyString(), "AWS region of the stream");
    public static final ConfigKey<String> SOURCE_ENDPOINT = new ConfigKey<>("source.endpoint", "http://127.0.0.1:4568",
            "an http(s) URL, or empty", Parsers.optionalHttpUri(),
            "Kinesis endpoint override; empty on AWS. The default is the local mock (sluice kinesis-mock)");
    public static final ConfigKey<String> SOURCE_ROLE_ARN = new ConfigKey<>("source.role-arn", "",
            "an IAM role ARN, or empty", Parsers.matching("(arn:.+)?", "an IAM role ARN such as arn:aws:iam::123456789012:role/reader, or empty"),
            "Role to assume (STS) for reading the stream; empty uses the default credential chain");
    public static final ConfigKey<StartingPosition> SOURCE_STARTING_POSITION = new ConfigKey<>("source.starting-position",
            "TRIM_HORIZON", "TRIM_HORIZON, LATEST or AT_TIMESTAMP", Parsers.oneOf(StartingPosition.class, Enum::name),
            "Where a new query starts; a restarted one resumes from its checkpoint");
    public static final ConfigKey<String> SOURCE_STARTING_TIMESTAMP = new ConfigKey<>("source.starting-timestamp", "",
            "an ISO-8601 instant, or empty", Parsers.string(), "Start instant when source.starting-position is AT_TIMESTAMP");
    public static final ConfigKey<Integer> SOURCE_MAX_RECORDS_PER_SHARD = new ConfigKey<>("source.max-records-per-shard", "100000",
            "an integer between 1 and 10000000", Parsers.intInRange(1, 10_000_000), "Most records one micro-batch reads from one shard");
    public static final ConfigKey<Duration> SOURCE_SHARD_DISCOVERY_INTERVAL = new ConfigKey<>("source.shard-discovery-interval", "10s",
            "a duration of at least 1s", Parsers.duration(Duration.ofSeconds(1)), "How often new shards (after a split or merge) are looked for");

    public static final ConfigKey<String> LAKE_ROOT = new ConfigKey<>("lake.root", ".sluice/lake",
            "a local directory or an s3a:// URI", Parsers.storageLocation(), "Where the Delta tables live (bronze/, silver/, quarantine/, audit/)");
    public static final ConfigKey<String> CHECKPOINT_ROOT = new ConfigKey<>("lake.checkpoint-root", ".sluice/checkpoints",
            "a local directory or an s3a:// URI", Parsers.storageLocation(), "Where streaming checkpoints live (one directory per query)");
    public static final ConfigKey<String> LAKE_S3_ENDPOINT = new ConfigKey<>("lake.s3.endpoint", "",
            "an http(s) URL, or empty", Parsers.optionalHttpUri(),
            "S3 endpoint for s3a:// locations on an S3-compatible store (MinIO, s3proxy); empty: AWS S3");
    public static final ConfigKey<String> LAKE_S3_REGION = new ConfigKey<>("lake.s3.region", "",
            "an AWS region such as eu-west-1, or empty", Parsers.string(), "Region of the s3a:// bucket; empty lets S3A work it out");
    public static final ConfigKey<Boolean> LAKE_S3_PATH_STYLE_ACCESS = new ConfigKey<>("lake.s3.path-style-access", "false",
            "true or false", Parsers.bool(), "Address s3a:// buckets as endpoint/bucket instead of bucket.endpoint (most S3-compatible stores need true)");
    public static final ConfigKey<Integer> LAKE_LOG_CHECKPOINT_INTERVAL = new ConfigKey<>("lake.log-checkpoint-interval", "100",
            "an integer between 1 and 100000", Parsers.intInRange(1, 100_000),
            "Commits between a table's Delta log checkpoints: readers replay at most this many JSON commits; each checkpoint is a Spark job beside the stream's batches");
    public static final ConfigKey<String> CONTRACTS_DIR = new ConfigKey<>("contracts.dir", "",
            "a directory, or empty", Parsers.string(), "Contract files to use; empty uses the contracts packaged in the application jar");

    public static final ConfigKey<String> TABLE_BRONZE = new ConfigKey<>("tables.bronze", "raw_events",
            "a lower-case table name", Parsers.identifier(), "Bronze table: every record as received, partitioned by ingest date");
    public static final ConfigKey<String> TABLE_QUARANTINE = new ConfigKey<>("tables.quarantine", "quarantine",
            "a lower-case table name", Parsers.identifier(), "Quarantine table: records that broke their contract, with reasons");
    public static final ConfigKey<String> TABLE_AUDIT = new ConfigKey<>("tables.audit", "ingest_audit",
            "a lower-case table name", Parsers.identifier(), "Audit table: one row per micro-batch with offsets and counts");

    public static final ConfigKey<String> STREAM_QUERY_NAME = new ConfigKey<>("stream.query-name", "sluice-ingest",
            "a name without / or ..", Parsers.matching("(?!.*\\.\\.)[^/]*\\S[^/]*", "a name without / or .. (it names the checkpoint directory)"),
            "Streaming query name; names the checkpoint directory");
    public static final ConfigKey<Duration> STREAM_TRIGGER_INTERVAL = new ConfigKey<>("stream.trigger-interval", "1s",
            "a duration of at least 0s", Parsers.duration(Duration.ZERO), "Micro-batch trigger interval (0s: as fast as possible)");
    public static final ConfigKey<Duration> STREAM_WATERMARK_DELAY = new ConfigKey<>("stream.watermark-delay", "10m",
            "a duration of at least 1s", Parsers.duration(Duration.ofSeconds(1)),
            "Dedup window: how far event time may lag the newest event before it counts as late");
    public static final ConfigKey<LatePolicy> STREAM_LATE_POLICY = new ConfigKey<>("stream.late-policy", "merge",
            "merge or quarantine", Parsers.oneOf(LatePolicy.class, LatePolicy::configName),
            "Events older than the watermark: merge (insert-only MERGE, at most once) or quarantine (reason LATE)");
    public static final ConfigKey<Integer> STREAM_MAX_RECORD_BYTES = new ConfigKey<>("stream.max-record-bytes", "262144",
            "an integer between 1024 and 10485760", Parsers.intInRange(1024, 10 * 1024 * 1024), "Larger records are quarantined as OVERSIZED");
    public static final ConfigKey<Integer> STREAM_MAX_NESTING_DEPTH = new ConfigKey<>("stream.max-nesting-depth", "64",
            "an integer between 2 and 1000", Parsers.intInRange(2, 1000), "Deeper JSON is quarantined as TOO_DEEPLY_NESTED");
    public static final ConfigKey<String> STREAM_STOP_MARKER = new ConfigKey<>("stream.stop-marker", "",
            "a file path, or empty", Parsers.string(), "When this file appears the job finishes its batch and stops (exit 0)");

    public static final ConfigKey<String> METRICS_CLOUDWATCH_NAMESPACE = new ConfigKey<>("metrics.cloudwatch-namespace", "",
            "a CloudWatch namespace, or empty", Parsers.string(),
            "Publish per-batch counts (RecordsRead, QuarantinedRecords, ...) to this CloudWatch namespace; empty: off. The CDK alarms read Sluice/<env>");

    public static final ConfigKey<Integer> MAINTAIN_RAW_RETENTION_DAYS = new ConfigKey<>("maintain.raw-retention-days", "0",
            "an integer between 0 and 36500", Parsers.intInRange(0, 36_500),
            "maintain deletes bronze and quarantine rows (payloads as received, possibly personal data) ingested more than this many days ago; 0 keeps them");

    public static final ConfigKey<String> SPARK_MASTER = new ConfigKey<>("spark.master", "local[*]",
            "a Spark master URL, or empty when spark-submit sets it", Parsers.string(), "Spark master; empty on EMR Serverless and Glue");
    public static final ConfigKey<Integer> SPARK_SHUFFLE_PARTITIONS = new ConfigKey<>("spark.shuffle-partitions", "4",
            "an integer between 1 and 10000", Parsers.intInRange(1, 10_000), "spark.sql.shuffle.partitions (also the dedup state's partition count, fixed by the first run of a checkpoint)");

    public static final List<ConfigKey<?>> ALL = List.of(
            SOURCE_CONNECTOR, SOURCE_STREAM_NAME, SOURCE_REGION, SOURCE_ENDPOINT, SOURCE_ROLE_ARN, SOURCE_STARTING_POSITION,
            SOURCE_STARTING_TIMESTAMP, SOURCE_MAX_RECORDS_PER_SHARD, SOURCE_SHARD_DISCOVERY_INTERVAL,
            LAKE_ROOT, CHECKPOINT_ROOT, LAKE_S3_ENDPOINT, LAKE_S3_REGION, LAKE_S3_PATH_STYLE_ACCESS, LAKE_LOG_CHECKPOINT_INTERVAL, CONTRACTS_DIR,
            TABLE_BRONZE, TABLE_QUARANTINE, TABLE_AUDIT,
            STREAM_QUERY_NAME, STREAM_TRIGGER_INTERVAL, STREAM_WATERMARK_DELAY, STREAM_LATE_POLICY, STREAM_MAX_RECORD_BYTES,
            STREAM_MAX_NESTING_DEPTH, STREAM_STOP_MARKER, METRICS_CLOUDWATCH_NAMESPACE, MAINTAIN_RAW_RETENTION_DAYS,
            SPARK_MASTER, SPARK_SHUFFLE_PARTITIONS);

    private static final Map<String, ConfigKey<?>> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(ConfigKey::name, Function.identity()));

    private ConfigKeys() {}

    public static Optional<ConfigKey<?>> byName(String name)
    {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The known key closest to {@code name}, for "did you mean" hints on typos. */
    static Optional<String> closest(String name)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey<?> key : ALL) {
            int distance = editDistance(name, key.name());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = key.name();
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int editDistance(String left, String right)
    {
        int[] previous = new int[right.length() + 1];
        int[] current = new int[right.length() + 1];
        for (int j = 0; j <= right.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= left.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= right.length(); j++) {
                int substitution = previous[j - 1] + (left.charAt(i - 1) == right.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[right.length()];
    }
}
