package io.sluice.spark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The one way Sluice builds its SparkSession, locally and on EMR Serverless or Glue. Settings that the platform
 * owns (master, executor sizes) are left to spark-submit; Sluice sets only what its correctness depends on:
 * Delta's catalog and extensions, the RocksDB state store, UTC session time, and the S3A settings of the
 * {@code lake.s3.*} keys.
 */
public final class SparkSessions
{
    private static final String EXCLUDED_RULES = "spark.sql.optimizer.excludedRules";

    /**
     * Settings the pipeline's speed depends on, wherever it runs: the session builder sets them, and {@code sluice
     * submit} passes them to spark-submit so that executors start with them too.
     * <ul>
     *   <li>Spark keeps 100 compiled classes per JVM by default. One micro-batch of Sluice's plans (parse, dedup,
     *   enforcement, five table writes) generates more than that, so every batch evicted and recompiled them all:
     *   about 60 Janino compilations, seconds per batch. A larger cache compiles each class once per query.</li>
     *   <li>No micro-batch without new data: with the dedup stage's event-time timers, Spark would otherwise run a
     *   batch without records after nearly every batch with records (whenever the watermark moved), only to fire the
     *   timers that fell due: a full pass over the plans and the table writes each time, delaying the next real batch.
     *   Due timers fire in the next batch with data instead, which only delays freeing their memory (docs/decisions.md, D3).</li>
     *   <li>No JSON-expression optimization. Spark optimizes a streaming query's whole plan again for every
     *   micro-batch (twice: once more to describe it for the UI), and Sluice's routing is ~10,000 expression nodes.
     *   The JSON rule walked that tree on every pass to prune {@code from_json} fields that Sluice never leaves unread.
     *   Generic rules are excluded for the streaming query alone ({@link #STREAM_QUERY_SETTINGS}).</li>
     *   <li>Up to 16 files open at once per write task. Every Sluice table is partitioned, and by default Spark (and
     *   Delta, which copies its writer) sorts each task's rows by partition before writing them, so that one file is
     *   open at a time: a copy and a sort of every row, a bronze row with its whole payload included, though a
     *   micro-batch fills a handful of partitions. With concurrent writers the rows are written as they come, and a
     *   task that meets more partitions sorts only the rest (docs/decisions.md, D9).</li>
     * </ul>
     */
    public static final Map<String, String> ENGINE_SETTINGS = Map.of(
            "spark.sql.codegen.cache.maxEntries", "2000",
            "spark.sql.streaming.noDataMicroBatches.enabled", "false",
            "spark.sql.optimizer.enableJsonExpressionOptimization", "false",
            "spark.sql.maxConcurrentOutputFileWriters", "16");

    /**
     * Settings of the streaming query's own session only: Spark clones the session when a query starts, and plans
     * every micro-batch with the clone ({@link #startStream}). Spark optimizes a streaming plan again for every
     * micro-batch, twice (once more to describe it for the UI), and Sluice's routing is ~10,000 expression nodes.
     * {@code RemoveRedundantAliases} and {@code FoldablePropagation} walked that tree on each pass for nothing: Sluice's
     * projections carry no redundant alias and no constant worth propagating. Without them a 1-record batch's
     * {@code queryPlanning} fell from 1.5–1.75 s to 0.55–0.79 s (docs/benchmarks.md). Four more never changed a plan of
     * the stream's batches (Spark's rule metrics over 7 batches: 0 effective runs, 0.83 s walking the trees): Delta's
     * {@code RangePartitionIdRewrite} (for OPTIMIZE ZORDER BY), the two scalar-subquery rules (Sluice's batches have no
     * subquery) and {@code OptimizeCsvJsonExprs}, whose JSON half is already off. All stay on everywhere else:
     * excluded from every session, Delta's RESTORE failed with an internal error (D9).
     */
    public static final Map<String, String> STREAM_QUERY_SETTINGS = Map.of(
            EXCLUDED_RULES,
            String.join(",",
                    "org.apache.spark.sql.catalyst.optimizer.RemoveRedundantAliases",
                    "org.apache.spark.sql.catalyst.optimizer.FoldablePropagation",
                    "org.apache.spark.sql.delta.optimizer.RangePartitionIdRewrite",
                    "org.apache.spark.sql.catalyst.optimizer.OptimizeOneRowRelationSubquery",
                    "org.apache.spark.sql.catalyst.optimizer.MergeScalarSubqueries",
                    "org.apache.spark.sql.catalyst.optimizer.OptimizeCsvJsonExprs"));

    /** How a caller starts its query: {@code writeStream()…start()}. */
    @FunctionalInterface
    public interface StreamStart
    {
        StreamingQuery start()
                throws TimeoutException;
    }

    private SparkSessions() {}

    /**
     * Starts a streaming query whose session has {@link #STREAM_QUERY_SETTINGS} added, and leaves {@code spark}'s own
     * settings as they were. The query's session is cloned from {@code spark} inside {@code start()}, so the settings
     * are set only around that call. Rules the user already excluded stay excluded.
     */
    public static StreamingQuery startStream(SparkSession spark, StreamStart start)
            throws TimeoutException
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(start, "start is null");
        RuntimeConfig conf = spark.conf();
        Map<String, Optional<String>> previous = new LinkedHashMap<>();
        STREAM_QUERY_SETTINGS.forEach((key, value) -> {
            Optional<String> before = Optional.of(conf.get(key, "")).filter(setting -> !setting.isBlank());
            previous.put(key, before);
            conf.set(key, key.equals(EXCLUDED_RULES) && before.isPresent() ? before.get() + "," + value : value);
        });
        try {
            return start.start();
        }
        finally {
            previous.forEach((key, before) -> before.ifPresentOrElse(value -> conf.set(key, value), () -> conf.unset(key)));
        }
    }

    public static SparkSession.Builder builder(SluiceConfig config, String appName)
    {
        requireNonNull(config, "config is null");
        requireNonNull(appName, "appName is null");
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", config.value(ConfigKeys.SPARK_SHUFFLE_PARTITIONS))
                .config("spark.sql.streaming.stateStore.providerClass",
                        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
                // Changelog checkpointing uploads only the changed keys each batch, so commit cost follows the batch, not the state.
                .config("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true")
                // With row tracking, RocksDB reads every key before writing it, only to keep numRowsTotal: dedup writes a
                // state entry per new id, and nothing in Sluice reads that count.
                .config("spark.sql.streaming.stateStore.rocksdb.trackTotalNumberOfRows", "false")
                // Avro instead of UnsafeRow for transformWithState's keys and values: smaller state entries (with a timer per
                // id, 125 bytes of RocksDB memory per id instead of 219; decisions D3). Spark records the format in a
                // checkpoint's offsets log when the checkpoint starts, so a checkpoint begun with UnsafeRow keeps it.
                .config("spark.sql.streaming.stateStore.encodingFormat", "avro")
                .config("spark.databricks.delta.properties.defaults.enableDeletionVectors", "false");
        for (Map.Entry<String, String> setting : ENGINE_SETTINGS.entrySet()) {
            builder = builder.config(setting.getKey(), setting.getValue());
        }
        for (Map.Entry<String, String> setting : s3aSettings(config).entrySet()) {
            builder = builder.config("spark.hadoop." + setting.getKey(), setting.getValue());
        }
        String master = config.value(ConfigKeys.SPARK_MASTER);
        if (!master.isBlank()) {
            builder = builder.master(master)
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.adaptive.enabled", "true")
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    // VACUUM lists the table's directories as a Spark job of up to this many tasks (Spark's default
                    // is 10,000): on one machine that is thousands of empty tasks per VACUUM.
                    .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "8")
                    // Hadoop's local file system runs chmod and readlink as child processes (about 170 per micro-batch):
                    // the same file system without them (S3 and the platforms' own file systems are unaffected).
                    .config("spark.hadoop.fs.file.impl", ForklessLocalFileSystem.class.getName())
                    .config("spark.hadoop.fs.AbstractFileSystem.file.impl", ForklessLocalFs.class.getName());
        }
        return builder;
    }

    /**
     * The Hadoop settings S3A (s3a:// locations) gets from the configuration: the {@code lake.s3.*} keys that are set
     * and, in local runs, the credential chain. Under spark-submit (no {@code spark.master}: EMR Serverless, Glue) the
     * platform's S3 setup is left as it is.
     */
    public static Map<String, String> s3aSettings(SluiceConfig config)
    {
        requireNonNull(config, "config is null");
        Map<String, String> settings = new LinkedHashMap<>();
        if (!config.value(ConfigKeys.SPARK_MASTER).isBlank()) {
            // Local runs: the AWS SDK's default chain (environment, system properties, profile and SSO, container and
            // instance roles), the one the Kinesis client uses. S3A's own default chain would skip profiles.
            settings.put("fs.s3a.aws.credentials.provider", "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
        }
        String endpoint = config.value(ConfigKeys.LAKE_S3_ENDPOINT);
        if (!endpoint.isEmpty()) {
            settings.put("fs.s3a.endpoint", endpoint);
        }
        String region = config.value(ConfigKeys.LAKE_S3_REGION);
        if (!region.isBlank()) {
            settings.put("fs.s3a.endpoint.region", region);
        }
        if (config.value(ConfigKeys.LAKE_S3_PATH_STYLE_ACCESS)) {
            settings.put("fs.s3a.path.style.access", "true");
        }
        return settings;
    }
}
