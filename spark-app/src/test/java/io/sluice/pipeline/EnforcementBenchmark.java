package io.sluice.pipeline;

import io.sluice.table.RawRecordColumns;
import io.sluice.table.SilverColumns;

import io.sluice.contract.Contract;
import io.sluice.contract.ContractLoader;
import io.sluice.contract.ContractRegistry;
import io.sluice.contract.SparkSchemaConverter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;

/**
 * Validation cost: records/s of (a) a bare from_json + Delta append against (b) ContractEnforcer +
 * Delta append of every output, on generated ~500-byte valid serve events held in memory. See docs/contracts.md.
 *
 * <p>Arguments: [records (default 500000)] [rounds (default 3)] [contracts dir (default ../contracts)].
 */
public final class EnforcementBenchmark
{
    private EnforcementBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path contracts = Path.of(args.length > 2 ? args[2] : "../contracts");
        Path work = Files.createTempDirectory("sluice-enforcement-benchmark");
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("sluice-enforcement-benchmark")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            ContractRegistry registry = new ContractLoader().loadDirectory(contracts);
            Dataset<Row> raw = events(spark, records).persist(StorageLevel.MEMORY_ONLY());
            long count = raw.count();
            double bytes = raw.selectExpr("avg(octet_length(data))").first().getDouble(0);
            System.out.printf("%d events, %.0f bytes on average, 2 partitions, local[2]%n", count, bytes);

            List<Double> bare = new ArrayList<>();
            List<Double> enforced = new ArrayList<>();
            List<Double> singlePass = new ArrayList<>();
            List<Double> enforcedRatios = new ArrayList<>();
            List<Double> singlePassRatios = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                double bareRate = count / seconds(() -> bare(raw, registry, work.resolve("bare-" + System.nanoTime())));
                double enforcedRate = count / seconds(() -> enforced(raw, registry, work.resolve("enforced-" + System.nanoTime())));
                double singlePassRate = count / seconds(() -> enforcedSinglePass(raw, registry, work.resolve("single-" + System.nanoTime())));
                // Round 0 warms up the JIT and Delta's first-commit paths: reported, not counted.
                System.out.printf("round %d%s: (a) bare %.0f records/s, (b) enforced micro-batch %.0f records/s (%.2fx), (c) enforced single pass %.0f records/s (%.2fx)%n",
                        round, round == 0 ? " (warm-up)" : "", bareRate, enforcedRate, enforcedRate / bareRate, singlePassRate, singlePassRate / bareRate);
                if (round > 0) {
                    bare.add(bareRate);
                    enforced.add(enforcedRate);
                    singlePass.add(singlePassRate);
                    enforcedRatios.add(enforcedRate / bareRate);
                    singlePassRatios.add(singlePassRate / bareRate);
                }
            }
            double bareMedian = median(bare);
            System.out.printf("median: (a) bare %.0f records/s, (b) enforced micro-batch %.0f records/s = %.2fx, (c) enforced single pass %.0f records/s = %.2fx%n",
                    bareMedian, median(enforced), median(enforced) / bareMedian, median(singlePass), median(singlePass) / bareMedian);
            // Each round measures (a), (b), (c) back to back: the per-round ratio is the least sensitive to load swings.
            System.out.printf("median of per-round ratios: (b) %.2f, (c) %.2f%n", median(enforcedRatios), median(singlePassRatios));
            System.out.printf("RESULT enforcement enforced_vs_bare=%.2f single_pass_vs_bare=%.2f bare_records_per_s=%.0f enforced_records_per_s=%.0f%n",
                    median(enforcedRatios), median(singlePassRatios), bareMedian, median(enforced));
        }
        finally {
            spark.stop();
            delete(work);
        }
    }

    /** (a) What ingestion would cost with no contracts: one from_json with the event's full schema, flattened, appended. */
    private static void bare(Dataset<Row> raw, ContractRegistry registry, Path table)
    {
        Contract serve = registry.latest("tennis.serve").orElseThrow();
        StructType schema = new StructType()
                .add("specversion", DataTypes.StringType)
                .add("id", DataTypes.StringType)
                .add("source", DataTypes.StringType)
                .add("type", DataTypes.StringType)
                .add("time", DataTypes.TimestampType)
                .add("dataschema", DataTypes.StringType)
                .add("subject", DataTypes.StringType)
                .add("datacontenttype", DataTypes.StringType)
                .add("data", SparkSchemaConverter.toStructType(serve.schema()).asNullable());
        raw.select(from_json(col(RawRecordColumns.DATA).cast(DataTypes.StringType), schema, Map.of()).as("e"),
                        col(RawRecordColumns.STREAM_NAME), col(RawRecordColumns.SEQUENCE_NUMBER))
                .select(col("e.*"), col(RawRecordColumns.STREAM_NAME), col(RawRecordColumns.SEQUENCE_NUMBER))
                .select(col("*"), col("data.*")).drop("data")
                .withColumn("ingest_time", current_timestamp())
                .write().format("delta").mode("append").save(table.toString());
    }

    /**
     * (b) The pipeline as a micro-batch runs it: parse, enforce, persist the routed rows once, append every
     * non-empty output (here the serve table; the quarantine is checked empty, which reads the persisted rows).
     */
    private static void enforced(Dataset<Row> raw, ContractRegistry registry, Path root)
    {
        ContractEnforcer enforcer = new ContractEnforcer(registry);
        Dataset<Row> routed = enforcer.route(enforcer.parse(raw), lit(Instant.now()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            EnforcedBatch batch = enforcer.split(routed);
            batch.silver().get("tennis_serves").write().format("delta").mode("append")
                    .partitionBy(SilverColumns.PARTITION_COLUMNS.toArray(String[]::new)).save(root.resolve("tennis_serves").toString());
            long quarantined = batch.quarantine().count();
            if (quarantined != 0) {
                throw new IllegalStateException("Benchmark events were quarantined: " + quarantined);
            }
        }
        finally {
            routed.unpersist();
        }
    }

    /** (c) The enforcement hot path alone: parse, enforce, append the one silver table, no persist, no other output. */
    private static void enforcedSinglePass(Dataset<Row> raw, ContractRegistry registry, Path root)
    {
        ContractEnforcer enforcer = new ContractEnforcer(registry);
        EnforcedBatch batch = enforcer.enforce(enforcer.parse(raw));
        batch.silver().get("tennis_serves").write().format("delta").mode("append")
                .partitionBy(SilverColumns.PARTITION_COLUMNS.toArray(String[]::new)).save(root.resolve("tennis_serves").toString());
    }

    private static Dataset<Row> events(SparkSession spark, int records)
    {
        Column n = col("id");
        Column json = concat(
                lit("{\"specversion\":\"1.0\",\"id\":\""), expr("uuid()"),
                lit("\",\"source\":\"urn:sluice:producer:radar-gun\",\"type\":\"io.sluice.tennis.serve.measured\",\"time\":\""),
                expr("date_format(timestamp_millis(1782738000000 + id * 250), \"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")"),
                lit("\",\"dataschema\":\"urn:sluice:contract:tennis.serve:"), expr("cast(1 + id % 2 as string)"),
                lit("\",\"subject\":\"M"), expr("lpad(cast(id % 10000 as string), 4, '0')"),
                lit("\",\"datacontenttype\":\"application/json\",\"data\":{\"match_id\":\"M"), expr("lpad(cast(id % 10000 as string), 4, '0')"),
                lit("\",\"player_id\":\"player-"), expr("cast(id % 512 as string)"),
                lit("\",\"set_number\":"), expr("cast(1 + id % 5 as string)"),
                lit(",\"game_number\":"), expr("cast(1 + id % 13 as string)"),
                lit(",\"serve_number\":"), expr("cast(1 + id % 2 as string)"),
                lit(",\"speed_kmh\":"), expr("cast(round(120 + (id % 1500) / 10.0, 1) as string)"),
                lit(",\"spin_rpm\":"), expr("cast(id % 6000 as string)"),
                lit(",\"outcome\":\""), expr("element_at(array('ace','in','fault','double_fault','let'), cast(1 + id % 5 as int))"),
                lit("\",\"measured_at\":\""), expr("date_format(timestamp_millis(1782738000000 + id * 250 - 120), \"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")"),
                expr("if(id % 2 = 1, '\",\"court_side\":\"deuce', '')"),
                lit("\"}}"));
        return spark.range(0, records, 1, 2).select(
                json.cast(DataTypes.BinaryType).as(RawRecordColumns.DATA),
                lit("tennis-live").as(RawRecordColumns.STREAM_NAME),
                n.cast(DataTypes.StringType).as(RawRecordColumns.PARTITION_KEY),
                expr("lpad(cast(id as string), 56, '0')").as(RawRecordColumns.SEQUENCE_NUMBER),
                current_timestamp().as(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP),
                lit("shardId-000000000000").as(RawRecordColumns.SHARD_ID));
    }

    private static double seconds(Runnable action)
    {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values)
    {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static void delete(Path root)
    {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
