package io.sluice.benchmark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.contract.ContractLoader;
import io.sluice.contract.ContractRegistry;
import io.sluice.table.RawRecordColumns;
import io.sluice.spark.SparkSessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Issue 12's fair benchmark: Sluice against the job a user would write by hand and against a bare JSON-to-Delta
 * append, as streaming queries in one JVM, over the same generated input (TennisFeed's fault mix), with the same
 * trigger, the same micro-batch size (one Parquet file of raw Kinesis-shaped rows per batch, {@code
 * maxFilesPerTrigger=1}, read in about a task per shard, as from Kinesis) and the same cores. A discarded warm-up round first, then rounds in rotating order so that
 * no contender always runs first or last on a shared machine. Figures come from the queries' own progress.
 *
 * <p>Run: {@code bench/run pipeline [--quick]}; options: {@code --rounds N --batches N --batch-sizes 50000,200000
 * --cores N --tiny-batches N}. Exits 1 when a Sluice run does not balance or its silver ids differ from the
 * generator's valid ids. Ends with one {@code RESULT pipeline ...} line.
 */
public final class PipelineBenchmark
{
    private static final int WARM_UP_BATCH = 5_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

    private final Options options;
    private final SparkSession spark;
    private final SparkJobLog jobs;
    private final List<Contender> contenders;
    private final Path work;

    /**
     * @param batches micro-batches (input files) per run; the first two are not steady state
     * @param tinyBatches 1-record micro-batches per run that price the fixed cost of a batch
     */
    record Options(boolean quick, int rounds, int batches, List<Integer> batchSizes, int cores, int tinyBatches, List<String> only)
    {
        Options
        {
            batchSizes = List.copyOf(requireNonNull(batchSizes, "batchSizes is null"));
            only = List.copyOf(requireNonNull(only, "only is null"));
            if (rounds < 1 || batches < 3 || tinyBatches < 3 || cores < 1 || batchSizes.isEmpty()) {
                // Not "this": a compact constructor's fields are assigned only after its body.
                throw new IllegalArgumentException(("Invalid options: %d rounds, %d batches, %d tiny batches, %d cores, batch sizes %s "
                        + "(at least 1 round, 3 batches, 3 tiny batches, 1 core, 1 batch size)").formatted(rounds, batches, tinyBatches, cores, batchSizes));
            }
        }

        static Options parse(String[] args)
        {
            boolean quick = List.of(args).contains("--quick");
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--quick")) {
                    continue;
                }
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("Invalid argument: " + args[i]
                            + " (expected --quick, --rounds N, --batches N, --batch-sizes N,N, --cores N, --tiny-batches N, --only NAME,NAME)");
                }
                values.put(args[i], args[++i]);
            }
            List<Integer> sizes = Arrays.stream(values.getOrDefault("--batch-sizes", quick ? "50000" : "50000,200000").split(","))
                    .map(Integer::parseInt).toList();
            Options options = new Options(quick,
                    Integer.parseInt(values.getOrDefault("--rounds", quick ? "3" : "5")),
                    Integer.parseInt(values.getOrDefault("--batches", quick ? "4" : "5")),
                    sizes,
                    Integer.parseInt(values.getOrDefault("--cores", "2")),
                    Integer.parseInt(values.getOrDefault("--tiny-batches", quick ? "3" : "6")),
                    // A subset of the contenders, for profiling one of them; ratios need all three.
                    values.containsKey("--only") ? List.of(values.get("--only").split(",")) : List.of());
            values.keySet().removeAll(List.of("--rounds", "--batches", "--batch-sizes", "--cores", "--tiny-batches", "--only"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("Invalid arguments: " + values.keySet());
            }
            return options;
        }
    }

    private PipelineBenchmark(Options options, SparkSession spark, SparkJobLog jobs, List<Contender> contenders, Path work)
    {
        this.options = requireNonNull(options, "options is null");
        this.spark = requireNonNull(spark, "spark is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.contenders = List.copyOf(requireNonNull(contenders, "contenders is null"));
        this.work = requireNonNull(work, "work is null");
    }

    public static void main(String[] args)
    {
        long started = System.nanoTime();
        int status = 0;
        SparkSession spark = null;
        Path work = null;
        try {
            Options options = Options.parse(args);
            work = Files.createTempDirectory("sluice-pipeline-benchmark");
            SluiceConfig config = SluiceConfig.defaults().with(Map.of(
                    ConfigKeys.SPARK_MASTER.name(), "local[" + options.cores() + "]",
                    ConfigKeys.SPARK_SHUFFLE_PARTITIONS.name(), Integer.toString(options.cores()),
                    ConfigKeys.LAKE_ROOT.name(), work.resolve("lake").toString(),
                    ConfigKeys.CHECKPOINT_ROOT.name(), work.resolve("checkpoints").toString(),
                    // Batches back to back, for every contender alike.
                    ConfigKeys.STREAM_TRIGGER_INTERVAL.name(), "0s",
                    // A 16 KiB record limit lets the oversized records be 20 KB, so the average stays near 600 bytes.
                    ConfigKeys.STREAM_MAX_RECORD_BYTES.name(), "16384"));
            spark = SparkSessions.builder(config, "sluice-pipeline-benchmark")
                    // Keep every batch's progress of a run, not just the last 100.
                    .config("spark.sql.streaming.numRecentProgressUpdates", "10000")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            SparkJobLog jobs = new SparkJobLog();
            spark.sparkContext().addSparkListener(jobs);
            spark.streams().addListener(new ProgressLog());
            ContractRegistry contracts = new ContractLoader().loadClasspath(PipelineBenchmark.class.getClassLoader());
            Trigger trigger = Trigger.ProcessingTime(config.value(ConfigKeys.STREAM_TRIGGER_INTERVAL).toMillis());
            List<Contender> contenders = List.of(
                    new BareContender(spark, contracts, trigger),
                    new HandWrittenContender(contracts, trigger),
                    new SluiceContender(spark, config)).stream()
                    .filter(contender -> options.only().isEmpty() || options.only().contains(contender.name()))
                    .toList();
            if (contenders.isEmpty()) {
                throw new IllegalArgumentException("Invalid --only: " + options.only() + " (expected names among bare, handwritten, sluice)");
            }
            new PipelineBenchmark(options, spark, jobs, contenders, work).run();
        }
        catch (Contender.BenchmarkFailure e) {
            System.out.println("FAILED: " + e.getMessage());
            status = 1;
        }
        catch (Throwable e) {
            e.printStackTrace(System.out);
            System.out.println("FAILED: " + e);
            status = 1;
        }
        finally {
            if (spark != null) {
                spark.stop();
            }
            if (work != null) {
                delete(work);
            }
        }
        System.err.printf("pipeline benchmark took %.1f min%n", (System.nanoTime() - started) / 60e9);
        // Spark leaves non-daemon threads behind; the exit status is the verdict.
        System.exit(status);
    }

    private void run()
    {
        System.out.printf("pipeline benchmark: %s, local[%d], trigger %s, contenders %s%n", options, options.cores(),
                "ProcessingTime(0)", contenders.stream().map(Contender::name).toList());

        // The warm-up compiles (JIT, Spark's code generation) and loads what every contender needs once: it runs the
        // same code as a round, on a smaller input, and its figures are thrown away.
        PipelineInput warmUp = PipelineInput.faultMix(spark, 7, WARM_UP_BATCH, 2, work.resolve("input-warm-up").toString());
        PipelineInput tiny = PipelineInput.clean(spark, 11, 1, options.tinyBatches(), work.resolve("input-tiny").toString());
        System.out.println("warm-up round (discarded): 2 batches of " + WARM_UP_BATCH + " records");
        for (Contender contender : contenders) {
            long start = System.nanoTime();
            stream(contender, warmUp);
            System.out.printf("  warm-up %-12s %.1f s%n", contender.name(), (System.nanoTime() - start) / 1e9);
        }

        Map<Integer, List<Map<String, RunFigures>>> bySize = new LinkedHashMap<>();
        List<Map<String, RunFigures>> tinyRounds = new ArrayList<>();
        for (int size : options.batchSizes()) {
            PipelineInput input = PipelineInput.faultMix(spark, 1, size, options.batches(), work.resolve("input-" + size).toString());
            System.out.printf("%ninput: %,d records in %d files of %,d (%,.0f payload bytes per record on average), %,d valid ids%n",
                    input.records(), input.batches(), size, input.payloadBytes() / (double) input.records(), input.validIds().size());
            List<Map<String, RunFigures>> rounds = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                Map<String, RunFigures> figures = new LinkedHashMap<>();
                for (Contender contender : rotated(round)) {
                    figures.put(contender.name(), runOnce(contender, input, "round " + round));
                }
                rounds.add(figures);
                if (options.only().isEmpty()) {
                    printRound(round, figures);
                }
                // Fixed cost per batch, measured once per round, at the first size only: it does not depend on it.
                if (size == options.batchSizes().get(0)) {
                    Map<String, RunFigures> tinyFigures = new LinkedHashMap<>();
                    for (Contender contender : rotated(round)) {
                        tinyFigures.put(contender.name(), runOnce(contender, tiny, "round " + round + ", 1-record batches"));
                    }
                    tinyRounds.add(tinyFigures);
                }
            }
            bySize.put(size, rounds);
        }
        if (options.only().isEmpty()) {
            new PipelineReport(options, bySize, tinyRounds).print();
        }
        else {
            System.out.println("--only " + options.only() + ": no ratios and no RESULT line");
        }
    }

    /** Round r starts with the contender r-1 places down the list, so each one takes every position in turn. */
    private List<Contender> rotated(int round)
    {
        List<Contender> order = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            order.add(contenders.get((round - 1 + i) % contenders.size()));
        }
        return order;
    }

    private RunFigures runOnce(Contender contender, PipelineInput input, String label)
    {
        Path directory = work.resolve("runs").resolve(contender.name() + "-" + System.nanoTime());
        StreamingQueryProgress[] progress = stream(contender, input, directory);
        RunFigures figures = RunFigures.of(contender.name(), progress, jobs, directory);
        System.out.printf("  %-34s %-12s %,9.1f records/s, steady batch %,7d ms, %4.1f jobs (%4.1f log replay), %4.1f commits per batch%s%n",
                label, contender.name(), figures.recordsPerSecond(), figures.batchMs(), figures.jobsPerBatch(), figures.logReplayJobsPerBatch(),
                figures.commitsPerBatch(), figures.state().map(state -> ", state %,d ids %,.0f B/id in memory, %,.0f B/id in the checkpoint's state files"
                        .formatted(state.ids(), state.memoryBytesPerId(), state.checkpointBytesPerId())).orElse(""));
        // Every run's breakdown as it happens, so that an interrupted benchmark still leaves its figures.
        System.out.printf("  %-34s %-12s breakdown ms: %s%n", "", "", figures.durationsMs().entrySet().stream()
                .sorted(java.util.Comparator.comparingInt(entry -> RunFigures.DURATION_KEYS.indexOf(entry.getKey())))
                .map(entry -> entry.getKey() + " " + entry.getValue()).toList());
        delete(directory);
        return figures;
    }

    private void stream(Contender contender, PipelineInput input)
    {
        Path directory = work.resolve("runs").resolve(contender.name() + "-" + System.nanoTime());
        stream(contender, input, directory);
        delete(directory);
    }

    /** Streams the whole input through the contender, stops it and checks what it wrote. */
    private StreamingQueryProgress[] stream(Contender contender, PipelineInput input, Path directory)
    {
        Dataset<Row> raw = spark.readStream().schema(RawRecordColumns.SCHEMA).option("maxFilesPerTrigger", 1).parquet(input.path());
        Contender.Started started = contender.start(raw, directory);
        StreamingQuery query = started.query();
        StreamingQueryProgress[] progress;
        try {
            progress = awaitInput(contender, query, input.records());
        }
        finally {
            stop(query);
        }
        started.verify().accept(input);
        return progress;
    }

    /** Waits until the query's progress has accounted for every input record; fails if the query dies or stalls. */
    private static StreamingQueryProgress[] awaitInput(Contender contender, StreamingQuery query, long records)
    {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (true) {
            if (!query.isActive()) {
                throw new IllegalStateException("Cannot finish the %s run: the query stopped".formatted(contender.name()),
                        query.exception().isDefined() ? query.exception().get() : null);
            }
            StreamingQueryProgress[] progress = query.recentProgress();
            long done = Stream.of(progress).mapToLong(StreamingQueryProgress::numInputRows).sum();
            if (done > records) {
                throw new Contender.BenchmarkFailure("%s: read %,d records, the input has %,d".formatted(contender.name(), done, records));
            }
            if (done == records) {
                return progress;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Cannot finish the %s run: %,d of %,d records after %s".formatted(contender.name(), done, records, RUN_TIMEOUT));
            }
            try {
                query.awaitTermination(200);
            }
            catch (Exception e) {
                throw new IllegalStateException("Cannot finish the %s run: %s".formatted(contender.name(), e.getMessage()), e);
            }
        }
    }

    private static void stop(StreamingQuery query)
    {
        try {
            query.stop();
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot stop query %s: %s".formatted(query.id(), e.getMessage()), e);
        }
    }

    private static void printRound(int round, Map<String, RunFigures> figures)
    {
        double sluice = figures.get("sluice").recordsPerSecond();
        System.out.printf("  round %d: sluice/handwritten %.2f, sluice/bare %.2f%n", round,
                sluice / figures.get("handwritten").recordsPerSecond(), sluice / figures.get("bare").recordsPerSecond());
    }

    /** Deletes a benchmark's working directory and everything under it. */
    static void delete(Path directory)
    {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + directory, e);
        }
    }
}
