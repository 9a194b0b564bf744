package io.sluice.benchmark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.lake.Lake;
import io.sluice.pipeline.ContractEnforcer;
import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.spark.SparkSessions;
import io.sluice.table.RawRecordColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.lit;

/**
 * Where a micro-batch's executor time goes, stage by stage: the streaming pipeline's own stages (envelope parse,
 * contract routing, dedup) added one at a time, each variant a streaming query of its own into Spark's {@code noop}
 * sink, so no table write, commit or {@code foreachBatch} work is in the figures. Every variant reads the same
 * generated batches ({@link PipelineInput#faultMix}, one file per batch) with the pipeline benchmark's settings and the
 * production classes as {@code StreamingJob} wires them, each batch spread over both cores first (a round-robin
 * shuffle every variant pays alike). Differences between variants price a stage: routing is
 * {@code parse+route − parse}, dedup {@code parse+dedup − parse}. Order rotates from round to round after a discarded
 * warm-up round; a variant's figure is the median {@code triggerExecution} of its batches after the first two (the JIT
 * keeps compiling the routing's generated code through the first batches), then the median over rounds.
 *
 * <p>Run: {@code bench/run stages [--quick]}; arguments: records per batch, batches per query, rounds.
 */
public final class StageCostBenchmark
{
    private static final int SKIPPED_BATCHES = 2;
    private static final int CORES = 2;

    private StageCostBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        if (args.length != 3) {
            System.err.println("usage: StageCostBenchmark RECORDS_PER_BATCH BATCHES ROUNDS");
            System.exit(2);
        }
        int batchSize = Integer.parseInt(args[0]);
        int batches = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        if (batches <= SKIPPED_BATCHES || rounds < 1 || batchSize < 1) {
            System.err.printf("Invalid arguments %s: need more than %d batches, at least one round and one record%n", List.of(args), SKIPPED_BATCHES);
            System.exit(2);
        }
        Path work = Files.createTempDirectory("sluice-stage-benchmark");
        SluiceConfig config = SluiceConfig.defaults().with(Map.of(
                ConfigKeys.SPARK_MASTER.name(), "local[" + CORES + "]",
                ConfigKeys.SPARK_SHUFFLE_PARTITIONS.name(), Integer.toString(CORES),
                ConfigKeys.LAKE_ROOT.name(), work.resolve("lake").toString(),
                ConfigKeys.CHECKPOINT_ROOT.name(), work.resolve("checkpoints").toString(),
                // As in the pipeline benchmark: the oversized records are 20 KB, above the limit, and never parsed.
                ConfigKeys.STREAM_MAX_RECORD_BYTES.name(), "16384"));
        SparkSession spark = SparkSessions.builder(config, "sluice-stage-benchmark")
                .config("spark.sql.streaming.numRecentProgressUpdates", "10000")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            new StageCostBenchmark().run(spark, Lake.of(config), work, batchSize, batches, rounds);
        }
        finally {
            spark.stop();
            PipelineBenchmark.delete(work);
        }
    }

    private void run(SparkSession spark, Lake lake, Path work, int batchSize, int batches, int rounds)
    {
        SluiceConfig config = lake.config();
        PipelineInput input = PipelineInput.faultMix(spark, 1, batchSize, batches, work.resolve("input").toString());
        ContractEnforcer enforcer = lake.enforcer();
        ContractEnforcer parser = enforcer;
        EventDeduplicator deduplicator = new EventDeduplicator(config.value(ConfigKeys.STREAM_WATERMARK_DELAY));
        // As StreamingJob routes: a null ingest time, which the micro-batch sets.
        Column ingestTime = lit(null).cast(DataTypes.TimestampType);
        Map<String, Function<Dataset<Row>, Dataset<Row>>> variants = new LinkedHashMap<>();
        variants.put("parse", parser::parse);
        variants.put("parse+route", raw -> enforcer.route(parser.parse(raw).withColumn(EventDeduplicator.STATUS_COLUMN, lit(DedupStatus.NEW.name())), ingestTime));
        variants.put("parse+dedup", raw -> deduplicator.label(parser.parse(raw)));
        variants.put("parse+dedup+route", raw -> enforcer.route(deduplicator.label(parser.parse(raw)), ingestTime));
        List<String> names = new ArrayList<>(variants.keySet());

        System.out.printf("%,d records per batch, %d batches per query, %d rounds after a warm-up round; median triggerExecution of batches %d..%d%n",
                batchSize, batches, rounds, SKIPPED_BATCHES, batches - 1);
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + round) % names.size());
                // Each batch is one file, read as one partition: spread over both cores, so that every stage runs on two
                // tasks in every variant, not only the stages after dedup's shuffle.
                Dataset<Row> raw = spark.readStream().schema(RawRecordColumns.SCHEMA).option("maxFilesPerTrigger", 1).parquet(input.path())
                        .repartition(CORES);
                List<Double> durations = runQuery(variants.get(name).apply(raw), work.resolve("checkpoint-" + round + "-" + i));
                double median = Stats.median(durations.subList(SKIPPED_BATCHES, durations.size()));
                System.out.printf("%s %-18s batches %s ms -> %,.0f ms%n", round == 0 ? "warm-up" : "round " + round, name, durations, median);
                if (round > 0) {
                    figures.computeIfAbsent(name, key -> new ArrayList<>()).add(median);
                }
            }
        }

        Map<String, Double> medians = new LinkedHashMap<>();
        System.out.printf("%nstage variant        median ms (min-max over rounds)%n");
        figures.forEach((name, values) -> {
            medians.put(name, Stats.median(values));
            System.out.printf("%-20s %,9.0f (%,.0f-%,.0f)%n", name, Stats.median(values), Stats.min(values), Stats.max(values));
        });
        System.out.printf("routing: %,.0f ms, dedup: %,.0f ms, routing after dedup: %,.0f ms per batch of %,d records%n",
                medians.get("parse+route") - medians.get("parse"),
                medians.get("parse+dedup") - medians.get("parse"),
                medians.get("parse+dedup+route") - medians.get("parse+dedup"),
                batchSize);
        System.out.printf("RESULT stages parse_ms=%.0f parse_route_ms=%.0f parse_dedup_ms=%.0f parse_dedup_route_ms=%.0f%n",
                medians.get("parse"), medians.get("parse+route"), medians.get("parse+dedup"), medians.get("parse+dedup+route"));
    }

    /** Runs the variant over the whole input into the noop sink; the trigger duration of each batch that read data. */
    private static List<Double> runQuery(Dataset<Row> variant, Path checkpoint)
    {
        requireNonNull(variant, "variant is null");
        try {
            StreamingQuery query = variant.writeStream()
                    .format("noop")
                    .option("checkpointLocation", checkpoint.toString())
                    .trigger(Trigger.AvailableNow())
                    .start();
            query.awaitTermination();
            List<Double> durations = new ArrayList<>();
            for (StreamingQueryProgress progress : query.recentProgress()) {
                if (progress.numInputRows() > 0) {
                    durations.add(progress.durationMs().get("triggerExecution").doubleValue());
                }
            }
            return durations;
        }
        catch (TimeoutException | StreamingQueryException e) {
            throw new IllegalStateException("The stage query failed: " + e.getMessage(), e);
        }
    }
}
