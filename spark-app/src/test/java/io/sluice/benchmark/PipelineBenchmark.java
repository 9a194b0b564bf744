package io.sluice.benchmark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.pipeline.EnvelopeParser;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.table.RawRecordColumns;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.spark.SparkSessions;
import io.sluice.stream.BatchActivity;
import io.sluice.lake.Lake;
import io.sluice.stream.MicroBatchProcessor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

/**
 * Throughput of the whole pipeline (parse, dedup state, contracts, Delta writes of bronze, silver, quarantine and
 * audit) against a bare Spark JSON-to-Delta append of the same records on the same cores. The input is raw
 * Kinesis-shaped rows in Parquet, read as a file stream, so the figure excludes Kinesis itself (see
 * KinesisReadBenchmark for the source).
 *
 * <p>Run: {@code mvn -q -pl spark-app test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.sluice.benchmark.PipelineBenchmark -Dexec.args="200000 2"} (events, cores).
 */
public final class PipelineBenchmark
{
    private PipelineBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        int cores = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int files = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path work = Files.createTempDirectory("sluice-pipeline-benchmark");
        SluiceConfig config = SluiceConfig.defaults().with(Map.of(
                ConfigKeys.SPARK_MASTER.name(), "local[" + cores + "]",
                ConfigKeys.SPARK_SHUFFLE_PARTITIONS.name(), Integer.toString(cores),
                ConfigKeys.LAKE_ROOT.name(), work.resolve("lake").toString(),
                ConfigKeys.CHECKPOINT_ROOT.name(), work.resolve("checkpoints").toString(),
                // A 16 KiB record limit lets the oversized records be 20 KB, so the average stays near 500 bytes.
                ConfigKeys.STREAM_MAX_RECORD_BYTES.name(), "16384"));
        SparkSession spark = SparkSessions.builder(config, "sluice-pipeline-benchmark").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            // A realistic mix: 5% re-sends, 5% out of order, 3% invalid; no late events (they are measured apart).
            FeedOptions options = new FeedOptions(1, 16, Instant.parse("2026-11-21T10:00:00Z"), 1000, 0.05, 0.05, 0, Duration.ZERO, 0.03, 20_000);
            String raw = work.resolve("raw").toString();
            long bytes = RawRecords.write(spark, new TennisFeed(options), events, files, 4, raw);
            System.out.printf("input: %,d records, %,d payload bytes (%.0f bytes/record avg), %d files, local[%d]%n",
                    events, bytes, bytes / (double) events, files, cores);

            // Warm-up on a small slice so JIT and codegen compile once for both contenders.
            bareJsonToDelta(spark, spark.read().parquet(raw).limit(5000), work.resolve("warmup-bare").toString());

            double bare = bareJsonToDelta(spark, spark.read().parquet(raw), work.resolve("bare").toString());
            System.out.printf("bare JSON -> Delta append:             %,10.0f records/s (%,.0f per core)%n", events / bare, events / bare / cores);

            List<BatchReport> reports = new CopyOnWriteArrayList<>();
            double pipeline = pipeline(spark, config, raw, events, reports);
            long read = reports.stream().mapToLong(BatchReport::recordsRead).sum();
            System.out.printf("Sluice pipeline (all tables):          %,10.0f records/s (%,.0f per core), %d batches, read %,d%n",
                    read / pipeline, read / pipeline / cores, reports.size(), read);
            System.out.printf("ratio pipeline / bare:                 %10.2f%n", (read / pipeline) / (events / bare));
            reports.stream().filter(report -> report.recordsRead() > 0).forEach(report -> System.out.println("  " + report.summaryLine()));
        }
        finally {
            spark.stop();
        }
    }

    /** The dedup state's size per event id, from the last progress of the query (RocksDB's own figures). */
    private static void printStateSize(StreamingQuery query)
    {
        if (query.lastProgress() == null || query.lastProgress().stateOperators().length == 0) {
            return;
        }
        var state = query.lastProgress().stateOperators()[0];
        long keys = state.numRowsTotal();
        Long sstBytes = state.customMetrics().get("rocksdbSstFileSize");
        System.out.printf("dedup state: %,d event ids, %,d bytes in RocksDB SST files (%.0f bytes per id), %,d bytes in memory%n",
                keys, sstBytes == null ? 0 : sstBytes, keys == 0 || sstBytes == null ? 0.0 : sstBytes / (double) keys, state.memoryUsedBytes());
    }

    private static double bareJsonToDelta(SparkSession spark, Dataset<Row> raw, String path)
    {
        StructType data = new StructType()
                .add("match_id", DataTypes.StringType).add("player_id", DataTypes.StringType).add("set_number", DataTypes.LongType)
                .add("game_number", DataTypes.LongType).add("serve_number", DataTypes.LongType).add("speed_kmh", DataTypes.DoubleType)
                .add("spin_rpm", DataTypes.LongType).add("outcome", DataTypes.StringType).add("measured_at", DataTypes.TimestampType)
                .add("point_number", DataTypes.LongType).add("server_id", DataTypes.StringType).add("winner_id", DataTypes.StringType)
                .add("rally_length", DataTypes.LongType).add("ended_by", DataTypes.StringType).add("status", DataTypes.StringType);
        StructType event = new StructType()
                .add("specversion", DataTypes.StringType).add("id", DataTypes.StringType).add("source", DataTypes.StringType)
                .add("type", DataTypes.StringType).add("time", DataTypes.TimestampType).add("dataschema", DataTypes.StringType)
                .add("subject", DataTypes.StringType).add("data", data);
        long start = System.nanoTime();
        raw.select(from_json(col(RawRecordColumns.DATA).cast(DataTypes.StringType), event).as("event"))
                .select("event.*")
                .write().format("delta").mode("append").save(path);
        return (System.nanoTime() - start) / 1e9;
    }

    private static double pipeline(SparkSession spark, SluiceConfig config, String raw, long events, List<BatchReport> reports)
            throws Exception
    {
        Lake lake = Lake.of(config);
        lake.createOrEvolveTables(spark);
        Dataset<Row> stream = spark.readStream().schema(RawRecordColumns.SCHEMA).option("maxFilesPerTrigger", 1).parquet(raw);
        Dataset<Row> enveloped = new EnvelopeParser(Lake.limits(config)).parse(stream);
        // "-Dbenchmark.dedup=false" labels every record NEW without the stateful operator, to price the operator alone.
        Dataset<Row> labelled = Boolean.parseBoolean(System.getProperty("benchmark.dedup", "true"))
                ? new EventDeduplicator(config.value(ConfigKeys.STREAM_WATERMARK_DELAY)).label(enveloped)
                : enveloped.withColumn(EventDeduplicator.STATUS_COLUMN, org.apache.spark.sql.functions.lit("NEW"));
        long start = System.nanoTime();
        // A processing-time trigger, as in production: the dedup operator's timeouts make Spark run a batch at every
        // trigger, so Trigger.AvailableNow would never finish (see docs/decisions.md).
        StreamingQuery query = labelled.writeStream()
                .option("checkpointLocation", lake.layout().checkpoint("benchmark"))
                .trigger(Trigger.ProcessingTime(0))
                .foreachBatch(new MicroBatchProcessor(lake.enforcer(), lake.tables(), config.value(ConfigKeys.STREAM_LATE_POLICY),
                        reports::add, Clock.systemUTC(), new BatchActivity(), Instant.EPOCH))
                .start();
        while (reports.stream().mapToLong(BatchReport::recordsRead).sum() < events) {
            if (!query.isActive()) {
                throw query.exception().isDefined() ? query.exception().get() : new IllegalStateException("query stopped");
            }
            query.awaitTermination(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        printStateSize(query);
        query.stop();
        return seconds;
    }
}
