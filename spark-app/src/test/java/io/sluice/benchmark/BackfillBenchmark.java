package io.sluice.benchmark;

import io.sluice.backfill.Backfill;
import io.sluice.backfill.BackfillRequest;
import io.sluice.backfill.BackfillResult;
import io.sluice.backfill.BackfillSource;
import io.sluice.backfill.TimeRange;
import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.lake.Lake;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.TennisFeed;
import io.sluice.spark.SparkSessions;
import io.sluice.table.SilverColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Backfill throughput against the backfill a user would write by hand ({@link HandWrittenMerge}: parse, drop re-sent
 * ids, one insert-only MERGE per table). Input: a generated day of events (10% re-sends, 5% out of order, 3% late, 3%
 * invalid) as gzip JSON-lines files. Each round, each contender backfills the day into empty tables of a lake of its
 * own, then again into the same tables (the idempotent re-run, which inserts nothing); a discarded warm-up round first,
 * then rounds in rotating order. A round counts only when Sluice's run balances, both re-runs insert nothing and every
 * id in Sluice's silver is in the hand-written silver (which holds the invalid records' ids too); otherwise it exits 1.
 *
 * <p>Run: {@code bench/run backfill [--quick]}; arguments: events, cores, rounds.
 */
public final class BackfillBenchmark
{
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final TimeRange RANGE = new TimeRange(DAY, DAY.plus(Duration.ofDays(1)));

    private BackfillBenchmark() {}

    private record Run(double firstSeconds, double rerunSeconds) {}

    public static void main(String[] args)
            throws Exception
    {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int cores = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (events < 1000 || cores < 1 || rounds < 1) {
            throw new IllegalArgumentException("Invalid arguments: events %d (at least 1,000), cores %d, rounds %d (at least 1)".formatted(events, cores, rounds));
        }
        int files = 8;
        Path work = Files.createTempDirectory("sluice-backfill-benchmark");
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
        System.out.printf("input: %,d records, %,d payload bytes (%.0f bytes/record avg) in %d gzip files, local[%d], a warm-up round and %d rounds%n",
                events, bytes, bytes / (double) events, files, cores, rounds);

        SluiceConfig base = config(work.resolve("session"), cores);
        SparkSession spark = SparkSessions.builder(base, "sluice-backfill-benchmark").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            HandWrittenMerge handWritten = new HandWrittenMerge(spark, Lake.of(base).contracts());
            List<Run> sluiceRuns = new ArrayList<>();
            List<Run> handWrittenRuns = new ArrayList<>();
            List<Double> firstRatios = new ArrayList<>();
            List<Double> rerunRatios = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                String label = round == 0 ? "warm-up (discarded)" : "round " + round;
                Path lakes = work.resolve("round-" + round);
                Supplier<Run> sluice = () -> sluice(spark, config(lakes.resolve("sluice"), cores), archive, events);
                Supplier<Run> merge = () -> handWritten(handWritten, archive, lakes.resolve("handwritten"));
                Run sluiceRun;
                Run mergeRun;
                if (round % 2 == 1) {
                    sluiceRun = sluice.get();
                    mergeRun = merge.get();
                }
                else {
                    mergeRun = merge.get();
                    sluiceRun = sluice.get();
                }
                checkSilverIds(spark, lakes);
                System.out.printf("  %-20s sluice %6.1f s + re-run %5.1f s | hand-written MERGE %6.1f s + re-run %5.1f s | throughput ratio %.2f, re-run %.2f%n",
                        label, sluiceRun.firstSeconds(), sluiceRun.rerunSeconds(), mergeRun.firstSeconds(), mergeRun.rerunSeconds(),
                        mergeRun.firstSeconds() / sluiceRun.firstSeconds(), mergeRun.rerunSeconds() / sluiceRun.rerunSeconds());
                if (round > 0) {
                    sluiceRuns.add(sluiceRun);
                    handWrittenRuns.add(mergeRun);
                    firstRatios.add(mergeRun.firstSeconds() / sluiceRun.firstSeconds());
                    rerunRatios.add(mergeRun.rerunSeconds() / sluiceRun.rerunSeconds());
                }
            }
            double sluiceFirst = Stats.median(sluiceRuns.stream().map(Run::firstSeconds).toList());
            double sluiceRerun = Stats.median(sluiceRuns.stream().map(Run::rerunSeconds).toList());
            double mergeFirst = Stats.median(handWrittenRuns.stream().map(Run::firstSeconds).toList());
            double mergeRerun = Stats.median(handWrittenRuns.stream().map(Run::rerunSeconds).toList());
            System.out.printf("%nmedians over %d rounds: sluice %.1f s (%,.0f records/s, %,.0f per core), re-run %.1f s; hand-written MERGE %.1f s (%,.0f records/s), re-run %.1f s%n",
                    rounds, sluiceFirst, events / sluiceFirst, events / sluiceFirst / cores, sluiceRerun, mergeFirst, events / mergeFirst, mergeRerun);
            System.out.printf("Sluice / hand-written throughput: into empty tables %.2f (%.2f-%.2f), re-run %.2f (%.2f-%.2f)%n",
                    Stats.median(firstRatios), Stats.min(firstRatios), Stats.max(firstRatios),
                    Stats.median(rerunRatios), Stats.min(rerunRatios), Stats.max(rerunRatios));
            System.out.printf("%nRESULT backfill sluice_vs_handwritten_merge=%.2f rerun_vs_handwritten_merge=%.2f records_per_s=%.0f records_per_s_per_core=%.0f first_s=%.1f rerun_s=%.1f%n",
                    Stats.median(firstRatios), Stats.median(rerunRatios), events / sluiceFirst, events / sluiceFirst / cores, sluiceFirst, sluiceRerun);
        }
        finally {
            spark.stop();
        }
    }

    private static SluiceConfig config(Path root, int cores)
    {
        return SluiceConfig.defaults().with(Map.of(
                ConfigKeys.SPARK_MASTER.name(), "local[" + cores + "]",
                ConfigKeys.SPARK_SHUFFLE_PARTITIONS.name(), Integer.toString(cores * 2),
                ConfigKeys.LAKE_ROOT.name(), root.resolve("lake").toString(),
                ConfigKeys.CHECKPOINT_ROOT.name(), root.resolve("checkpoints").toString(),
                ConfigKeys.STREAM_MAX_RECORD_BYTES.name(), "16384"));
    }

    private static Run sluice(SparkSession spark, SluiceConfig config, Path archive, int events)
    {
        Lake lake = Lake.of(config);
        BackfillRequest request = new BackfillRequest(RANGE, new BackfillSource.JsonLines(archive.toString()), Set.of(), false, BackfillRequest.DEFAULT_SLICE_RECORDS, false);
        double[] seconds = new double[2];
        for (int run = 0; run < 2; run++) {
            long start = System.nanoTime();
            BackfillResult result = new Backfill(spark, lake, line -> {}, Clock.systemUTC()).run(request);
            seconds[run] = (System.nanoTime() - start) / 1e9;
            System.out.println("    sluice " + (run == 0 ? "into empty tables: " : "re-run: ") + result.summaryLine());
            if (!result.balanced() || (run == 1 && result.silverInserted() != 0)) {
                throw new IllegalStateException("Sluice's backfill did not balance or its re-run inserted rows: " + result.summaryLine());
            }
        }
        return new Run(seconds[0], seconds[1]);
    }

    private static Run handWritten(HandWrittenMerge merge, Path archive, Path lake)
    {
        double[] seconds = new double[2];
        for (int run = 0; run < 2; run++) {
            long start = System.nanoTime();
            Map<String, Long> inserted = merge.run(archive.toString(), RANGE, lake.resolve("silver"));
            seconds[run] = (System.nanoTime() - start) / 1e9;
            System.out.println("    hand-written " + (run == 0 ? "into empty tables" : "re-run") + ": inserted " + inserted);
            if (run == 1 && inserted.values().stream().anyMatch(rows -> rows != 0)) {
                throw new IllegalStateException("The hand-written re-run inserted rows: " + inserted);
            }
        }
        return new Run(seconds[0], seconds[1]);
    }

    /** Every id in Sluice's silver is in the hand-written silver, which also holds the ids of invalid records. */
    private static void checkSilverIds(SparkSession spark, Path lakes)
    {
        Lake lake = Lake.of(config(lakes.resolve("sluice"), 1));
        Set<String> sluiceIds = new HashSet<>();
        Set<String> handWrittenIds = new HashSet<>();
        for (String table : lake.enforcer().tables()) {
            sluiceIds.addAll(ids(spark.read().format("delta").load(lake.layout().silver(table))));
            handWrittenIds.addAll(ids(spark.read().format("delta").load(lakes.resolve("handwritten").resolve("silver").resolve(table).toString())));
        }
        if (sluiceIds.isEmpty() || !handWrittenIds.containsAll(sluiceIds)) {
            throw new IllegalStateException("Silver ids differ: %,d in Sluice's silver, %,d in the hand-written one, %s"
                    .formatted(sluiceIds.size(), handWrittenIds.size(), sluiceIds.isEmpty() ? "none in Sluice's" : "some of Sluice's missing"));
        }
    }

    private static List<String> ids(Dataset<Row> silver)
    {
        return silver.select(SilverColumns.EVENT_ID).as(Encoders.STRING()).collectAsList();
    }
}
