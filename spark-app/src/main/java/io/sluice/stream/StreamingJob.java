package io.sluice.stream;

import io.sluice.spark.SparkSessions;
import io.sluice.table.RawRecordColumns;


import io.sluice.lake.Lake;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.sink.BatchReport;
import io.sluice.sink.LogCheckpoints;
import io.sluice.source.KinesisSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.lit;

/**
 * The streaming ingestion job: Kinesis → parse envelope → label duplicates and late events → route to contracts →
 * per micro-batch, write bronze, silver, quarantine and audit. The job only wires the source and the sinks
 * around the pipeline's pure functions; a batch backfill uses the same functions.
 */
public final class StreamingJob
{
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private final SparkSession spark;
    private final Lake lake;

    public StreamingJob(SparkSession spark, Lake lake)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.lake = requireNonNull(lake, "lake is null");
    }

    /**
     * @param activity told what each micro-batch is doing, so that {@link GracefulStop} can stop between them
     */
    public StreamingQuery start(Consumer<BatchReport> listener, BatchActivity activity)
    {
        // A checkpoint of the earlier dedup operator is continued on a new one (DedupMigration); the tables must exist
        // before its plan records their versions.
        lake.createOrEvolveTables(spark);
        Optional<DedupMigration.Plan> migration = DedupMigration.prepare(spark, lake);
        Dataset<Row> raw = KinesisSource.readStream(spark, lake.config(), migration.map(DedupMigration.Plan::sourceOptions).orElse(Map.of()));
        return start(raw, migration, listener, activity);
    }

    /**
     * Runs the pipeline over any stream of raw records ({@link RawRecordColumns#SCHEMA}): how
     * tests and benchmarks stream archived JSON-lines files through exactly the code that serves Kinesis.
     */
    public StreamingQuery start(Dataset<Row> raw, Consumer<BatchReport> listener, BatchActivity activity)
    {
        DedupMigration.refuseLegacy(spark, lake);
        lake.createOrEvolveTables(spark);
        return start(raw, Optional.empty(), listener, activity);
    }

    private StreamingQuery start(Dataset<Row> raw, Optional<DedupMigration.Plan> migration, Consumer<BatchReport> listener, BatchActivity activity)
    {
        requireNonNull(raw, "raw is null");
        requireNonNull(listener, "listener is null");
        SluiceConfig config = lake.config();
        Dataset<Row> enveloped = lake.enforcer().parse(raw);
        EventDeduplicator deduplicator = new EventDeduplicator(config.value(ConfigKeys.STREAM_WATERMARK_DELAY),
                migration.map(DedupMigration.Plan::lateBeforeMillis).orElse(Long.MIN_VALUE));
        // The initial state only matters to batch 0; once that is committed, leaving it out spares every later batch its scan of silver.
        Optional<Dataset<Row>> seed = migration.filter(plan -> !DedupMigration.seeded(spark, lake)).map(plan -> plan.seed(spark, lake.tables().silver()));
        Dataset<Row> labelled = deduplicator.label(enveloped, seed);
        // Routing is part of the streaming plan, so Spark analyzes its thousands of expressions once per query, not once
        // per micro-batch; the micro-batch sets the ingest time (see MicroBatchProcessor).
        Dataset<Row> routed = lake.enforcer().route(labelled, lit(null).cast(DataTypes.TimestampType));

        String queryName = config.value(ConfigKeys.STREAM_QUERY_NAME);
        String checkpoint = lake.layout().checkpoint(queryName);
        LogCheckpoints checkpoints = new LogCheckpoints(spark, config.value(ConfigKeys.LAKE_LOG_CHECKPOINT_INTERVAL));
        MicroBatchProcessor processor = new MicroBatchProcessor(lake.enforcer(), lake.tables(),
                config.value(ConfigKeys.STREAM_LATE_POLICY), listener, Clock.systemUTC(), activity, checkpointCreated(checkpoint), checkpoints);
        try {
            StreamingQuery query = SparkSessions.startStream(spark, () -> routed.writeStream()
                    .queryName(queryName)
                    .option("checkpointLocation", checkpoint)
                    .trigger(Trigger.ProcessingTime(config.value(ConfigKeys.STREAM_TRIGGER_INTERVAL).toMillis()))
                    .foreachBatch(processor)
                    .start());
            spark.streams().addListener(new LogCheckpointsCloser(spark.streams(), query.id(), checkpoints));
            spark.streams().addListener(new StreamHeartbeat(spark.streams(), query.id(), lake.layout().streamHeartbeat(queryName),
                    spark.sparkContext().hadoopConfiguration(), Clock.systemUTC(), StreamHeartbeat.INTERVAL));
            return query;
        }
        catch (TimeoutException e) {
            checkpoints.close();
            throw new IllegalStateException("Cannot start the streaming query " + queryName + ": " + e.getMessage(), e);
        }
    }

    /**
     * When the query's checkpoint was created (its {@code metadata} file, which holds the query id), less an hour for
     * clocks that disagree: no commit of this query can be older. Now, for a checkpoint not created yet.
     */
    private Instant checkpointCreated(String checkpoint)
    {
        Path metadata = new Path(checkpoint, "metadata");
        try {
            FileSystem fileSystem = metadata.getFileSystem(spark.sparkContext().hadoopConfiguration());
            Instant created = fileSystem.exists(metadata)
                    ? Instant.ofEpochMilli(fileSystem.getFileStatus(metadata).getModificationTime())
                    : Instant.now();
            return created.minus(CLOCK_SKEW);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the streaming checkpoint at " + checkpoint, e);
        }
    }
}
