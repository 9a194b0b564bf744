package io.sluice.benchmark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.table.RawRecordColumns;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.sink.IdempotentDeltaWriter;
import io.sluice.table.TableSpec;
import io.sluice.spark.SparkSessions;
import io.sluice.stream.BatchActivity;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Whether a micro-batch's duration grows with the size of the silver tables (target: a batch over 20M existing rows
 * takes at most 1.2x one over 1M). For each size: fill the silver tables with that many existing rows over the past
 * days ({@link SilverFill}), then run the real streaming job over a file stream of generated on-time events, one file
 * per micro-batch, and report the batch durations; a last batch carries 1% late events, which take the
 * partition-restricted MERGE path.
 *
 * <p>Run: {@code mvn -q -pl spark-app test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.sluice.benchmark.TableSizeBenchmark -Dexec.args="1000000,20000000 12 30000"}
 * (existing rows per lake, on-time batches, events per batch; then fill appends per table, rows per file, days, cores,
 * probe rounds).
 */
public final class TableSizeBenchmark
{
    private static final double EVENTS_PER_SECOND = 1000;
    private static final double LATE_FRACTION = 0.01;
    private static final Duration LATE_BY = Duration.ofDays(3);

    private TableSizeBenchmark() {}

    private record Options(List<Long> sizes, int batches, int eventsPerBatch, int appends, int rowsPerFile, int days, int cores, int probes) {}

    /** One lake of the comparison: its existing rows, how it was filled, its stream and what each batch reported. */
    private record Subject(long existingRows, Lake lake, Path work, double fillSeconds, long silverFiles, long[] log, String largestTable,
            List<Path> inputs, List<BatchReport> reports)
    {
        Path incoming()
        {
            return work.resolve("incoming");
        }

        List<Long> onTimeMillis(int batches)
        {
            // The first batch pays for JIT, code generation and the state store's creation: printed, not counted.
            return reports.subList(1, batches).stream().map(report -> report.duration().toMillis()).toList();
        }
    }

    public static void main(String[] args)
            throws Exception
    {
        Options options = new Options(
                Arrays.stream((args.length > 0 ? args[0] : "1000000,20000000").split(",")).map(Long::parseLong).toList(),
                args.length > 1 ? Integer.parseInt(args[1]) : 12,
                args.length > 2 ? Integer.parseInt(args[2]) : 30_000,
                args.length > 3 ? Integer.parseInt(args[3]) : 100,
                args.length > 4 ? Integer.parseInt(args[4]) : 5_000,
                args.length > 5 ? Integer.parseInt(args[5]) : 30,
                args.length > 6 ? Integer.parseInt(args[6]) : 2,
                args.length > 7 ? Integer.parseInt(args[7]) : 21);
        Path work = Files.createTempDirectory("sluice-table-size-benchmark");
        SparkSession spark = SparkSessions.builder(config(work, 0, options), "sluice-table-size-benchmark").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<StreamingQuery> queries = new ArrayList<>();
        try {
            System.out.printf("%d on-time batches of %,d events (+1 with %.0f%% late events), fill in %d appends per table, "
                            + "at most %,d rows per file, over %d days, local[%d]%n",
                    options.batches(), options.eventsPerBatch(), LATE_FRACTION * 100, options.appends(), options.rowsPerFile(),
                    options.days(), options.cores());
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<Subject> subjects = new ArrayList<>();
            for (long size : options.sizes()) {
                subjects.add(prepare(spark, work.resolve("rows-" + size), size, options, now));
            }

            // The lakes take turns, one micro-batch each, so that a swing in the machine's load (other builds share
            // its cores) hits every size alike; the order within a turn alternates.
            Instant start = Instant.now();
            for (Subject subject : subjects) {
                Files.createDirectories(subject.incoming());
                queries.add(new StreamingJob(spark, subject.lake()).start(
                        spark.readStream().schema(RawRecordColumns.SCHEMA).option("maxFilesPerTrigger", 1).parquet(subject.incoming().toString()),
                        subject.reports()::add, new BatchActivity()));
            }
            for (int batch = 0; batch <= options.batches(); batch++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < subjects.size(); i++) {
                    order.add(batch % 2 == 0 ? i : subjects.size() - 1 - i);
                }
                for (int i : order) {
                    Subject subject = subjects.get(i);
                    Path input = subject.inputs().get(batch);
                    Files.move(input, subject.incoming().resolve(input.getFileName()));
                    awaitReports(queries.get(i), subject.reports(), batch + 1);
                }
            }
            System.out.printf("%nstreamed in %d s%n", Duration.between(start, Instant.now()).toSeconds());
            for (StreamingQuery query : queries) {
                query.stop();
            }
            double batchRatio = report(spark, subjects, options);
            double appendRatio = probeAppends(spark, subjects, options.probes());
            // The largest size against the smallest: median of per-turn ratios, the estimator least swayed by load.
            System.out.printf("RESULT table-size batch_ratio=%.2f append_ratio=%.2f smallest_median_batch_ms=%d largest_median_batch_ms=%d%n",
                    batchRatio, appendRatio, percentile(subjects.get(0).onTimeMillis(options.batches()), 0.5),
                    percentile(subjects.get(subjects.size() - 1).onTimeMillis(options.batches()), 0.5));
        }
        finally {
            for (StreamingQuery query : queries) {
                query.stop();
            }
            spark.stop();
            delete(work);
        }
    }

    private static SluiceConfig config(Path run, long size, Options options)
    {
        return SluiceConfig.defaults().with(Map.of(
                ConfigKeys.SPARK_MASTER.name(), "local[" + options.cores() + "]",
                ConfigKeys.SPARK_SHUFFLE_PARTITIONS.name(), Integer.toString(options.cores()),
                ConfigKeys.LAKE_ROOT.name(), run.resolve("lake").toString(),
                ConfigKeys.CHECKPOINT_ROOT.name(), run.resolve("checkpoints").toString(),
                ConfigKeys.STREAM_QUERY_NAME.name(), "sluice-ingest-" + size));
    }

    /** A lake with {@code existingRows} silver rows over the past days, and the stream's input files, one per batch. */
    private static Subject prepare(SparkSession spark, Path run, long existingRows, Options options, Instant now)
    {
        System.out.printf("%n== %,d existing silver rows ==%n", existingRows);
        Lake lake = Lake.of(config(run, existingRows, options));
        lake.createOrEvolveTables(spark);
        // Existing rows end one minute before the stream's first event, so the stream's rows land in today's
        // partitions next to existing ones, as in a table that has been written for weeks.
        SilverFill fill = SilverFill.fromFeed(spark, lake, 5_000);
        long start = System.nanoTime();
        fill.fill(existingRows, options.appends(), options.rowsPerFile(), now.minus(Duration.ofDays(options.days())), now.minus(Duration.ofMinutes(1)));
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        long silverFiles = silverFiles(spark, lake);
        long[] log = deltaLogSize(lake);
        System.out.printf("fill: %s in %d appends per table, %.0f s; %,d data files, _delta_log %,d files, %,d bytes (silver tables)%n",
                fill.split(existingRows), options.appends(), fillSeconds, silverFiles, log[0], log[1]);

        // Every lake streams the same records: on-time events from now on, 2% re-sends and 5% out of order, all within
        // the watermark, no invalid records. So each batch writes bronze, three silver tables, an empty quarantine
        // and the audit row. The last batch comes from a second feed, continuing in time, with 1% of its events
        // three days late, into partitions that hold existing rows.
        TennisFeed onTime = new TennisFeed(new FeedOptions(7, 16, now, EVENTS_PER_SECOND, 0.02, 0.05, 0, Duration.ZERO, 0, 1));
        Instant next = now.plusMillis((long) ((long) options.batches() * options.eventsPerBatch() * 1000 / EVENTS_PER_SECOND));
        TennisFeed withLate = new TennisFeed(new FeedOptions(8, 16, next, EVENTS_PER_SECOND, 0.02, 0.05, LATE_FRACTION, LATE_BY, 0, 1));
        List<Path> inputs = new ArrayList<>();
        for (int batch = 0; batch <= options.batches(); batch++) {
            Path staging = run.resolve("staging").resolve("batch-" + batch);
            RawRecords.write(spark, batch < options.batches() ? onTime : withLate, options.eventsPerBatch(), 1, 4, staging.toString(),
                    RawRecords.FIRST_SEQUENCE_NUMBER + (long) batch * options.eventsPerBatch());
            inputs.add(dataFile(staging));
        }
        String largest = fill.split(existingRows).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new Subject(existingRows, lake, run, fillSeconds, silverFiles, log, largest, inputs, new CopyOnWriteArrayList<>());
    }

    private static Path dataFile(Path directory)
    {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> parquet = files.filter(file -> file.getFileName().toString().endsWith(".parquet")).toList();
            if (parquet.size() != 1) {
                throw new IllegalStateException("Expected one Parquet file in " + directory + ": " + parquet);
            }
            return parquet.get(0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReports(StreamingQuery query, List<BatchReport> reports, int count)
            throws Exception
    {
        while (reports.size() < count) {
            if (!query.isActive()) {
                throw query.exception().isDefined() ? query.exception().get() : new IllegalStateException("query stopped");
            }
            query.awaitTermination(100);
        }
    }

    /** @return the on-time batch's median of per-turn ratios, largest size over smallest */
    private static double report(SparkSession spark, List<Subject> subjects, Options options)
    {
        for (Subject subject : subjects) {
            System.out.printf("%n%,d existing rows:%n", subject.existingRows());
            subject.reports().forEach(report -> System.out.println("  " + report.summaryLine()));
        }
        System.out.println();
        System.out.println("existing rows | fill s | silver files | _delta_log files, bytes | on-time batch median / p90 / max ms | late batch ms (late events)");
        for (Subject subject : subjects) {
            List<Long> onTime = subject.onTimeMillis(options.batches());
            BatchReport late = subject.reports().get(options.batches());
            System.out.printf("%,13d | %6.0f | %,12d | %,5d, %,11d | %,6d / %,6d / %,6d | %,6d (%d)%n",
                    subject.existingRows(), subject.fillSeconds(), subject.silverFiles(), subject.log()[0], subject.log()[1],
                    percentile(onTime, 0.5), percentile(onTime, 0.9), onTime.stream().mapToLong(Long::longValue).max().orElseThrow(),
                    late.duration().toMillis(), late.late());
        }
        Subject smallest = subjects.get(0);
        for (Subject subject : subjects.subList(1, subjects.size())) {
            List<Long> small = smallest.onTimeMillis(options.batches());
            List<Long> large = subject.onTimeMillis(options.batches());
            System.out.printf("on-time batch, %,d rows / %,d rows: ratio of medians %.2fx, median of per-turn ratios %.2fx%n",
                    subject.existingRows(), smallest.existingRows(), percentile(large, 0.5) / (double) percentile(small, 0.5),
                    medianRatio(large, small));
        }
        Subject largest = subjects.get(subjects.size() - 1);
        return medianRatio(largest.onTimeMillis(options.batches()), smallest.onTimeMillis(options.batches()));
    }

    private static long silverFiles(SparkSession spark, Lake lake)
    {
        return lake.tables().silver().values().stream()
                .mapToLong(table -> spark.read().format("delta").load(table.location()).inputFiles().length)
                .sum();
    }

    /** Files and bytes of the silver tables' transaction logs (commits, checksums, checkpoints). */
    private static long[] deltaLogSize(Lake lake)
    {
        long files = 0;
        long bytes = 0;
        for (TableSpec table : lake.tables().silver().values()) {
            try (Stream<Path> entries = Files.list(Path.of(table.location()).resolve("_delta_log"))) {
                // Hidden files are the local file system's checksums, which S3 does not have.
                for (Path entry : entries.filter(Files::isRegularFile).filter(entry -> !entry.getFileName().toString().startsWith(".")).toList()) {
                    files++;
                    bytes += Files.size(entry);
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new long[] {files, bytes};
    }

    /**
     * What could grow with the table, alone and repeated: an idempotent append of the same 1,000 rows to each lake's
     * largest silver table, as the sink writes each table of a batch (marker check, which rebuilds the snapshot's
     * state from the last checkpoint and later commits; write; commit; every tenth commit a checkpoint), the lakes
     * taking turns.
     *
     * @return the append's median of per-turn ratios, largest size over smallest
     */
    private static double probeAppends(SparkSession spark, List<Subject> subjects, int rounds)
    {
        IdempotentDeltaWriter writer = new IdempotentDeltaWriter(spark);
        List<TableSpec> tables = subjects.stream().map(subject -> subject.lake().tables().silver(subject.largestTable())).toList();
        List<Dataset<Row>> samples = tables.stream().map(table -> spark.read().format("delta").load(table.location()).limit(1_000).localCheckpoint()).toList();
        List<List<Long>> millis = new ArrayList<>();
        subjects.forEach(subject -> millis.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < subjects.size(); turn++) {
                int i = round % 2 == 0 ? turn : subjects.size() - 1 - turn;
                long start = System.nanoTime();
                writer.append(samples.get(i), tables.get(i), "sluice:table-size-probe", round);
                millis.get(i).add((System.nanoTime() - start) / 1_000_000);
            }
        }
        System.out.printf("%nidempotent append of 1,000 rows to the largest silver table, %d times (the size-dependent part of a batch, per table):%n", rounds);
        for (int i = 0; i < subjects.size(); i++) {
            List<Long> values = millis.get(i);
            System.out.printf("%,13d existing rows (%s): median %,d ms, p90 %,d ms, max %,d ms; all: %s%n", subjects.get(i).existingRows(),
                    subjects.get(i).largestTable(), percentile(values, 0.5), percentile(values, 0.9), values.stream().mapToLong(Long::longValue).max().orElseThrow(),
                    values);
        }
        for (int i = 1; i < subjects.size(); i++) {
            System.out.printf("idempotent append, %,d rows / %,d rows: ratio of medians %.2fx, median of per-turn ratios %.2fx%n",
                    subjects.get(i).existingRows(), subjects.get(0).existingRows(),
                    percentile(millis.get(i), 0.5) / (double) percentile(millis.get(0), 0.5), medianRatio(millis.get(i), millis.get(0)));
        }
        return medianRatio(millis.get(subjects.size() - 1), millis.get(0));
    }

    private static double medianRatio(List<Long> numerators, List<Long> denominators)
    {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(numerators.get(i) / (double) denominators.get(i));
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static long percentile(List<Long> values, double fraction)
    {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(fraction * sorted.size()) - 1));
    }

    private static void delete(Path root)
    {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
