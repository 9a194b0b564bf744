package io.sluice.benchmark;

import io.sluice.backfill.Backfill;
import io.sluice.backfill.BackfillRequest;
import io.sluice.backfill.BackfillResult;
import io.sluice.backfill.BackfillSource;
import io.sluice.backfill.TimeRange;
import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.TennisFeed;
import io.sluice.spark.SparkSessions;
import io.sluice.lake.Lake;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backfill throughput: a generated day of events (10% re-sends, 5% out of order, 3% late, 3% invalid) as gzip
 * JSON-lines files, backfilled into empty tables, then backfilled again (the idempotent re-run, which inserts
 * nothing). Prints the progress lines and both accounting lines, with records/s per core.
 *
 * <p>Run: {@code mvn -q -pl spark-app test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.sluice.benchmark.BackfillBenchmark -Dexec.args="1000000 2"} (events, cores).
 */
public final class BackfillBenchmark
{
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    private BackfillBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int cores = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int files = 8;
        Path work = Files.createTempDirectory("sluice-backfill-benchmark");
        SluiceConfig config = SluiceConfig.defaults().with(Map.of(
                ConfigKeys.SPARK_MASTER.name(), "local[" + cores + "]",
                ConfigKeys.SPARK_SHUFFLE_PARTITIONS.name(), Integer.toString(cores * 2),
                ConfigKeys.LAKE_ROOT.name(), work.resolve("lake").toString(),
                ConfigKeys.CHECKPOINT_ROOT.name(), work.resolve("checkpoints").toString(),
                ConfigKeys.STREAM_MAX_RECORD_BYTES.name(), "16384"));
        TennisFeed feed = new TennisFeed(new FeedOptions(3, 64, DAY.plus(Duration.ofMinutes(10)), events / 86_000.0, 0.10, 0.05, 0.03,
                Duration.ofMinutes(20), 0.03, 20_000));
        Path archive = work.resolve("archive");
        long bytes = 0;
        for (int file = 0; file < files; file++) {
            Path path = archive.resolve("part-%02d.jsonl.gz".formatted(file));
            try (JsonLinesRecordWriter writer = new JsonLinesRecordWriter(path)) {
                var records = feed.take(events / files);
                bytes += records.stream().mapToLong(record -> record.payload().length).sum();
                writer.write(records);
            }
        }
        System.out.printf("input: %,d records, %,d payload bytes (%.0f bytes/record avg) in %d gzip files, local[%d]%n",
                events, bytes, bytes / (double) events, files, cores);

        SparkSession spark = SparkSessions.builder(config, "sluice-backfill-benchmark").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Lake lake = Lake.of(config);
            BackfillRequest request = new BackfillRequest(new TimeRange(DAY, DAY.plus(Duration.ofDays(1))), new BackfillSource.JsonLines(archive.toString()),
                    Set.of(), false, events / 4, false);
            List<Double> seconds = new ArrayList<>();
            for (String run : new String[] {"into empty tables", "again (idempotent re-run)"}) {
                System.out.println("backfill " + run + ":");
                long start = System.nanoTime();
                BackfillResult result = new Backfill(spark, lake, line -> System.out.println("  " + line), Clock.systemUTC()).run(request);
                seconds.add((System.nanoTime() - start) / 1e9);
                System.out.println("  " + result.summaryLine());
            }
            System.out.printf("RESULT backfill records_per_s=%.0f records_per_s_per_core=%.0f first_s=%.1f rerun_s=%.1f%n",
                    events / seconds.get(0), events / seconds.get(0) / cores, seconds.get(0), seconds.get(1));
        }
        finally {
            spark.stop();
        }
    }
}
