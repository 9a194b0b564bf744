package io.sluice.benchmark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.DurationFormat;
import io.sluice.config.SluiceConfig;
import io.sluice.lake.Lake;
import io.sluice.local.KinesisMock;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.KinesisRecordWriter;
import io.sluice.produce.Producer;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.source.kinesis.KinesisClients;
import io.sluice.spark.SparkSessions;
import io.sluice.stream.BatchActivity;
import io.sluice.stream.GracefulStop;
import io.sluice.stream.StreamingJob;
import org.apache.spark.sql.SparkSession;
import org.awaitility.Awaitility;
import org.apache.spark.sql.streaming.StreamingQuery;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Issue 13's freshness benchmark: how long after its PutRecords call returned an event is queryable in silver.
 *
 * <p>Starts the local Kinesis stand-in and, per rate, a stream sized as a real one would be (a shard per 1,000
 * Kinesis records/s and per MiB/s, at least 2), a fresh lake and the production streaming job ({@link StreamingJob#start(java.util.function.Consumer,
 * BatchActivity)}, the path of {@code sluice stream}) with the configuration's defaults on {@code local[2]}. Open-loop
 * producers ({@link Producer} over {@link KinesisRecordWriter}, the generator of {@code sluice produce}) put the
 * tennis feed at a fixed rate on a wall-clock schedule, whatever the job does. Per valid event, freshness = when the
 * Delta commit that added its row became visible (the commit file's modification time, {@link SilverVisibility})
 * − when its PutRecords returned ({@link PutLog}); split into Kinesis (arrival time − put), waiting for a batch
 * (the batch's trigger time − arrival; negative when a batch's tasks read a record that arrived after the trigger)
 * and processing (visible − trigger). A rate counts only if every valid event id produced is in silver exactly once.
 *
 * <p>Figures are of a running job: a discarded first query warms the JVM (its JIT, Spark's generated code, Delta's
 * classes), and each phase's query gets a warm-up of its own at the phase's rate, whose events are checked but not
 * measured: a new query's first batches still compile and run cold (its state store, its tables' first commits and
 * log checkpoints, the backlog they leave). Freshness over the whole phase, warm-up included, is printed beside.
 *
 * <p>Run: {@code bench/run freshness [--quick]}; options: {@code --rates 1000,5000,10000 --duration 5m --search-steps N
 * --search-duration 2m --warm-up 30s --cores 2 --set key=value --aggregate}; with {@code --aggregate} the producers put KPL
 * aggregates ({@link KinesisRecordWriter#aggregating}), as {@code sluice produce --aggregate} does. The first rate is the headline; rates after it, and
 * the search steps (halving the gap between the highest rate that kept p99 ≤ 5 s and the lowest that did not), find
 * the highest sustainable rate. Ends with {@code RESULT freshness p50_ms= p99_ms= max_ms= rate= max_rate_p99_under_5s=}.
 */
public final class FreshnessBenchmark
{
    private static final long TARGET_P99_MILLIS = 5_000;
    /** A search phase whose newest visible record is this old has failed already: stop it instead of queueing more. */
    private static final Duration GIVE_UP_BEHIND = Duration.ofSeconds(30);
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** A shard's write limits: 1,000 records and 1 MiB a second. */
    private static final int RECORDS_PER_SHARD = 1_000;
    private static final long BYTES_PER_SHARD = 1 << 20;
    private static final double RATE_PER_PRODUCER = 2_500;
    private static final int RATE_STEP = 500;
    /** 20 KB oversized records (3% invalid, a sixth of them oversized) keep the feed near 600 bytes a record. */
    private static final int OVERSIZED_BYTES = 20_000;

    private final Options options;
    private final SparkSession spark;
    private final SluiceConfig base;
    private final KinesisMock mock;
    private final BatchTimes batchTimes;
    private final Path work;
    private final double meanEventBytes = meanEventBytes();
    private int phases;

    record Options(boolean quick, boolean aggregate, List<Integer> rates, Duration duration, int searchSteps, Duration searchDuration, Duration warmUp, int cores,
            Map<String, String> settings)
    {
        Options
        {
            rates = List.copyOf(requireNonNull(rates, "rates is null"));
            requireNonNull(duration, "duration is null");
            requireNonNull(searchDuration, "searchDuration is null");
            requireNonNull(warmUp, "warmUp is null");
            settings = Map.copyOf(requireNonNull(settings, "settings is null"));
            if (rates.isEmpty() || rates.stream().anyMatch(rate -> rate < 1) || searchSteps < 0 || cores < 1) {
                throw new IllegalArgumentException("Invalid options: %s (at least one rate, each at least 1/s; search steps ≥ 0; 1 core)".formatted(this));
            }
        }

        static Options parse(String[] args)
        {
            boolean quick = List.of(args).contains("--quick");
            boolean aggregate = List.of(args).contains("--aggregate");
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> settings = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--quick") || args[i].equals("--aggregate")) {
                    continue;
                }
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("Invalid argument: " + args[i]
                            + " (expected --quick, --aggregate, --rates N,N, --duration D, --search-steps N, --search-duration D, --warm-up D, --cores N, --set key=value)");
                }
                String value = args[++i];
                if (args[i - 1].equals("--set")) {
                    int equals = value.indexOf('=');
                    if (equals < 1) {
                        throw new IllegalArgumentException("Invalid --set: '%s' (expected key=value)".formatted(value));
                    }
                    settings.put(value.substring(0, equals), value.substring(equals + 1));
                    continue;
                }
                values.put(args[i - 1], value);
            }
            Options options = new Options(quick, aggregate,
                    Arrays.stream(values.getOrDefault("--rates", quick ? "1000,5000" : "1000,5000,10000").split(",")).map(Integer::parseInt).toList(),
                    duration(values.getOrDefault("--duration", quick ? "3m" : "5m")),
                    Integer.parseInt(values.getOrDefault("--search-steps", "1")),
                    duration(values.getOrDefault("--search-duration", quick ? "1m" : "2m")),
                    duration(values.getOrDefault("--warm-up", "30s")),
                    Integer.parseInt(values.getOrDefault("--cores", "2")),
                    settings);
            values.keySet().removeAll(List.of("--rates", "--duration", "--search-steps", "--search-duration", "--warm-up", "--cores"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("Invalid arguments: " + values.keySet());
            }
            return options;
        }

        private static Duration duration(String text)
        {
            return DurationFormat.parse(text).orElseThrow(() -> new IllegalArgumentException("Invalid duration: '%s' (expected e.g. 90s or 5m)".formatted(text)));
        }

        /** The later rates are shorter in a quick run: only the first one is the headline. */
        Duration durationOf(int index)
        {
            return quick && index > 0 ? searchDuration : duration;
        }
    }

    private FreshnessBenchmark(Options options, SparkSession spark, SluiceConfig base, KinesisMock mock, BatchTimes batchTimes, Path work)
    {
        this.options = requireNonNull(options, "options is null");
        this.spark = requireNonNull(spark, "spark is null");
        this.base = requireNonNull(base, "base is null");
        this.mock = requireNonNull(mock, "mock is null");
        this.batchTimes = requireNonNull(batchTimes, "batchTimes is null");
        this.work = requireNonNull(work, "work is null");
    }

    public static void main(String[] args)
    {
        long started = System.nanoTime();
        int status = 0;
        Path work = null;
        try {
            Options options = Options.parse(args);
            work = Files.createTempDirectory("sluice-freshness-benchmark");
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(ConfigKeys.SPARK_MASTER.name(), "local[" + options.cores() + "]");
            settings.put(ConfigKeys.STREAM_MAX_RECORD_BYTES.name(), "16384");
            settings.putAll(options.settings());
            SluiceConfig base = SluiceConfig.defaults().with(settings);
            try (KinesisMock mock = KinesisMock.start(Path.of(System.getProperty("sluice.home", "..")))) {
                SparkSession spark = SparkSessions.builder(base, "sluice-freshness-benchmark").getOrCreate();
                try {
                    spark.sparkContext().setLogLevel("WARN");
                    BatchTimes batchTimes = new BatchTimes();
                    spark.streams().addListener(batchTimes);
                    status = new FreshnessBenchmark(options, spark, base, mock, batchTimes, work).run();
                }
                finally {
                    spark.stop();
                }
            }
        }
        catch (Throwable e) {
            e.printStackTrace(System.out);
            System.out.println("FAILED: " + e);
            status = 1;
        }
        finally {
            if (work != null) {
                delete(work);
            }
        }
        System.err.printf("freshness benchmark took %.1f min%n", (System.nanoTime() - started) / 60e9);
        // Spark leaves non-daemon threads behind; the exit status is the verdict.
        System.exit(status);
    }

    private int run()
    {
        System.out.printf("freshness benchmark: %s, stand-in %s, trigger %s, max records per shard %,d, %d shuffle partitions, %.0f bytes an event%n",
                options, mock.kind().packageName(),
                DurationFormat.format(base.value(ConfigKeys.STREAM_TRIGGER_INTERVAL)), base.value(ConfigKeys.SOURCE_MAX_RECORDS_PER_SHARD),
                base.value(ConfigKeys.SPARK_SHUFFLE_PARTITIONS), meanEventBytes);
        // A first query compiles what every later one reuses (JIT, Spark's generated code, Delta's classes): discarded.
        if (!options.warmUp().isZero()) {
            System.out.printf("%nwarm-up (discarded): %,d events/s for %s%n", options.rates().get(0), DurationFormat.format(options.warmUp()));
            phase(options.rates().get(0), Duration.ZERO, options.warmUp(), false);
        }
        List<PhaseResult> results = new ArrayList<>();
        for (int i = 0; i < options.rates().size(); i++) {
            results.add(phase(options.rates().get(i), options.warmUp(), options.durationOf(i), i > 0));
        }
        PhaseResult headline = results.get(0);
        if (!headline.delivered()) {
            System.out.println("FAILED: the headline rate " + headline.verdict());
            return 1;
        }
        for (int step = 0; step < options.searchSteps(); step++) {
            Optional<Integer> next = nextRate(results);
            if (next.isEmpty()) {
                break;
            }
            System.out.printf("%nrate search, step %d of %d%n", step + 1, options.searchSteps());
            results.add(phase(next.get(), options.warmUp(), options.searchDuration(), true));
        }

        System.out.printf("%nSummary (local[%d], %s):%n", options.cores(), mock.kind().packageName());
        System.out.printf("  %8s %9s %8s %8s %8s %8s %10s %10s  %s%n", "rate/s", "achieved", "p50 ms", "p95 ms", "p99 ms", "max ms", "batch p50", "batch p99", "verdict");
        results.stream().sorted(Comparator.comparingInt(PhaseResult::rate)).forEach(result -> System.out.println("  " + result.tableRow()));
        int maxRate = results.stream().filter(PhaseResult::meetsTarget).mapToInt(PhaseResult::rate).max().orElse(0);
        Distribution freshness = headline.figures().orElseThrow().freshness();
        System.out.printf("RESULT freshness p50_ms=%d p99_ms=%d max_ms=%d rate=%d max_rate_p99_under_5s=%d%n",
                freshness.p50(), freshness.p99(), freshness.max(), headline.rate(), maxRate);
        return 0;
    }

    /**
     * The next rate to try: above every rate tried while all met the target (the next of 5,000, 10,000, 20,000,
     * 40,000), else halfway between the highest that met it and the lowest that did not, in steps of 500.
     */
    private static Optional<Integer> nextRate(List<PhaseResult> results)
    {
        int highestPass = results.stream().filter(PhaseResult::meetsTarget).mapToInt(PhaseResult::rate).max().orElse(0);
        Optional<Integer> lowestFail = results.stream().filter(result -> !result.meetsTarget()).map(PhaseResult::rate)
                .filter(rate -> rate > highestPass).min(Integer::compare);
        if (lowestFail.isEmpty()) {
            return Stream.of(5_000, 10_000, 20_000, 40_000).filter(rate -> rate > highestPass).findFirst();
        }
        int middle = (highestPass + lowestFail.get()) / 2 / RATE_STEP * RATE_STEP;
        return middle > highestPass && middle < lowestFail.get() ? Optional.of(middle) : Optional.empty();
    }

    /**
     * The shards a real stream would need for {@code rate} events a second: enough for both of a shard's write limits.
     * Aggregated, dozens of events share a Kinesis record of up to 50 KiB, so the byte limit binds long before the
     * record limit does.
     */
    private int shardsFor(int rate)
    {
        long forBytes = (long) Math.ceil(rate * meanEventBytes / BYTES_PER_SHARD);
        long forRecords = options.aggregate() ? 0 : (rate + RECORDS_PER_SHARD - 1) / RECORDS_PER_SHARD;
        return (int) Math.max(2, Math.max(forBytes, forRecords));
    }

    /** The producers' feed: 5% re-sends, 5% out of order, 3% invalid, no late events. */
    private static FeedOptions feedOptions(long seed, Instant startTime, double eventsPerSecond)
    {
        return new FeedOptions(seed, 8, startTime, eventsPerSecond, 0.05, 0.05, 0, Duration.ZERO, 0.03, OVERSIZED_BYTES);
    }

    /** The mean payload size of the producers' feed, over a sample of it. */
    private static double meanEventBytes()
    {
        return new TennisFeed(feedOptions(1, Instant.now(), 1_000)).take(20_000).stream()
                .mapToInt(record -> record.payload().length)
                .average()
                .orElseThrow();
    }

    /**
     * One rate: a new stream, lake and query; produce for {@code warmUp} and then {@code duration}; wait until every
     * record is read; measure the events put after the warm-up, and check every event of the phase.
     */
    private PhaseResult phase(int rate, Duration warmUp, Duration duration, boolean mayGiveUp)
    {
        int index = ++phases;
        String stream = "freshness-" + index;
        int shards = shardsFor(rate);
        mock.createStream(stream, shards);
        Path directory = work.resolve("phase-" + index);
        Lake lake = Lake.of(base.with(Map.of(
                ConfigKeys.SOURCE_ENDPOINT.name(), mock.endpoint().toString(),
                ConfigKeys.SOURCE_STREAM_NAME.name(), stream,
                ConfigKeys.LAKE_ROOT.name(), directory.resolve("lake").toString(),
                ConfigKeys.CHECKPOINT_ROOT.name(), directory.resolve("checkpoints").toString())));
        System.out.printf("%n%,d events/s for %s into %s (%d shards)%s%n", rate, DurationFormat.format(duration), stream, shards,
                warmUp.isZero() ? "" : ", after a warm-up of %s in the same query".formatted(DurationFormat.format(warmUp)));

        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, lake).start(report -> {
            reports.add(report);
            System.out.println("    " + report.summaryLine());
        }, activity);
        try {
            awaitFirstBatch(query);
            Production production = produce(rate, warmUp.plus(duration), stream, query, reports, mayGiveUp);
            if (production.gaveUp().isPresent()) {
                return PhaseResult.gaveUp(rate, production, production.gaveUp().get());
            }
            Optional<String> drained = awaitRead(query, reports, production.log().sent());
            stop(query, activity);
            if (drained.isPresent()) {
                return PhaseResult.undelivered(rate, production, drained.get());
            }
            Figures figures = measure(lake, query, production, reports, production.startMillis() + warmUp.toMillis());
            PhaseResult result = PhaseResult.measured(rate, production, figures);
            result.print();
            return result;
        }
        finally {
            stop(query, activity);
            delete(directory);
        }
    }

    /** Producing starts once the query has run a batch: the phase measures a running job, not its start-up. */
    private void awaitFirstBatch(StreamingQuery query)
    {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (batchTimes.of(query.id()).isEmpty()) {
            requireActive(query);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Cannot start the streaming query: no batch after " + START_TIMEOUT);
            }
            await(query, Duration.ofMillis(100));
        }
    }

    /**
     * What was produced: the put log, when producing started (epoch ms), the achieved rate, and, when the phase gave
     * up early, why.
     */
    record Production(PutLog log, long startMillis, Duration elapsed, Optional<String> gaveUp)
    {
        Production
        {
            requireNonNull(log, "log is null");
            requireNonNull(elapsed, "elapsed is null");
            requireNonNull(gaveUp, "gaveUp is null");
        }

        double achievedRate()
        {
            return log.sent() / Math.max(0.001, elapsed.toNanos() / 1e9);
        }
    }

    /**
     * Puts the feed at {@code rate} for {@code duration} from as many producer threads as one client keeps on schedule
     * ({@link #RATE_PER_PRODUCER} each), each with its own feed seed and Kinesis client. When {@code mayGiveUp}, stops
     * early once the newest record made visible is {@link #GIVE_UP_BEHIND} old: that rate has failed.
     */
    private Production produce(int rate, Duration duration, String stream, StreamingQuery query, List<BatchReport> reports, boolean mayGiveUp)
    {
        int producers = (int) Math.ceil(rate / RATE_PER_PRODUCER);
        double perProducer = rate / (double) producers;
        Instant startTime = Instant.now();
        long startMillis = startTime.toEpochMilli();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        PutLog log = null;
        List<CompletableFuture<Producer.Summary>> running = new ArrayList<>();
        long start = System.nanoTime();
        Optional<String> gaveUp = Optional.empty();
        try {
            for (int i = 0; i < producers; i++) {
                KinesisClient client = KinesisClients.create(mock.clientSettings());
                KinesisRecordWriter writer = options.aggregate() ? KinesisRecordWriter.aggregating(client, stream) : new KinesisRecordWriter(client, stream);
                PutLog producerLog = log == null ? new PutLog(writer) : log.sharing(writer);
                log = log == null ? producerLog : log;
                FeedOptions feed = feedOptions(1_000 + i, startTime, perProducer);
                running.add(CompletableFuture.supplyAsync(() -> {
                    try (producerLog) {
                        return new Producer(new TennisFeed(feed), producerLog).run(Optional.empty(), Optional.of(duration), perProducer, sent -> { });
                    }
                }, pool));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
            while (!all.isDone()) {
                requireActive(query);
                if (mayGiveUp && gaveUp.isEmpty()) {
                    Optional<String> behind = tooFarBehind(reports, start);
                    if (behind.isPresent()) {
                        log.stop();
                        gaveUp = behind;
                        System.out.println("    giving up this rate: " + behind.get());
                    }
                }
                await(query, Duration.ofSeconds(1));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            for (CompletableFuture<Producer.Summary> producer : running) {
                try {
                    producer.get();
                }
                catch (ExecutionException e) {
                    if (!(e.getCause() instanceof PutLog.Stopped)) {
                        throw new IllegalStateException("Cannot produce: " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            System.out.printf("    produced %,d records in %.1f s: %,.0f records/s (target %,d) from %d producer thread%s%n", log.sent(),
                    elapsed.toMillis() / 1000.0, log.sent() / (elapsed.toMillis() / 1000.0), rate, producers, producers == 1 ? "" : "s");
            return new Production(log, startMillis, elapsed, gaveUp);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing", e);
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** Why the job cannot keep up, if the newest visible record (or, before any batch with data, the first put) is too old. */
    private static Optional<String> tooFarBehind(List<BatchReport> reports, long producingSince)
    {
        Optional<BatchReport> last = reports.stream().filter(report -> report.maxArrivalTime().isPresent()).reduce((first, second) -> second);
        long now = System.currentTimeMillis();
        if (last.isEmpty()) {
            long waited = (System.nanoTime() - producingSince) / 1_000_000;
            return waited > GIVE_UP_BEHIND.toMillis() ? Optional.of("no batch with records after %.0f s".formatted(waited / 1000.0)) : Optional.empty();
        }
        long age = now - last.get().maxArrivalTime().get().toEpochMilli();
        return age > GIVE_UP_BEHIND.toMillis() ? Optional.of("the newest visible record is %.0f s old".formatted(age / 1000.0)) : Optional.empty();
    }

    /**
     * Waits until the batches have read every record produced and their progress has been reported (a batch's
     * progress event comes after its writes); empty when so, else why not. A job that keeps reading is waited for,
     * however far behind: the run counts only when every record is in. One that reads nothing for
     * {@link #STALL_TIMEOUT} has stalled.
     */
    private Optional<String> awaitRead(StreamingQuery query, List<BatchReport> reports, long produced)
    {
        long lastRead = -1;
        long lastChange = System.nanoTime();
        while (true) {
            requireActive(query);
            long read = reports.stream().mapToLong(BatchReport::recordsRead).sum();
            if (read > produced) {
                return Optional.of("read %,d records, %,d were produced".formatted(read, produced));
            }
            if (read == produced && reports.stream().allMatch(report -> batchTimes.batch(query.id(), report.batchId()).isPresent())) {
                return Optional.empty();
            }
            if (read != lastRead) {
                lastRead = read;
                lastChange = System.nanoTime();
            }
            if (System.nanoTime() - lastChange > STALL_TIMEOUT.toNanos()) {
                return Optional.of("read %,d of %,d records, nothing more for %s".formatted(read, produced, DurationFormat.format(STALL_TIMEOUT)));
            }
            await(query, Duration.ofMillis(200));
        }
    }

    /**
     * Freshness per valid event put from {@code measureFrom} (epoch ms) on, and of batches triggered from then on; the
     * check that silver holds each valid id produced exactly once covers the whole phase, its warm-up included.
     */
    private Figures measure(Lake lake, StreamingQuery query, Production production, List<BatchReport> reports, long measureFrom)
    {
        Map<String, Long> putMillis = production.log().putMillis();
        int expected = putMillis.size();
        long[] freshnessFromStart = new long[expected];
        int[] fromStart = {0};
        long[] freshness = new long[expected];
        long[] kinesis = new long[expected];
        long[] waiting = new long[expected];
        long[] processing = new long[expected];
        int[] matched = {0};
        long[] unexpected = {0};
        long[] withoutBatch = {0};
        Map<Long, BatchTimes.Batch> batches = batchTimes.of(query.id());
        SilverVisibility.forEachRow(spark, lake.tables().silver().values(), row -> {
            // Removing as we go finds ids seen twice or never produced, and leaves the missing ones behind.
            Long put = putMillis.remove(row.eventId());
            if (put == null) {
                unexpected[0]++;
                return;
            }
            BatchTimes.Batch batch = batches.get(row.batchId());
            if (batch == null) {
                withoutBatch[0]++;
                return;
            }
            freshnessFromStart[fromStart[0]++] = row.visibleMillis() - put;
            if (put < measureFrom) {
                return;
            }
            int i = matched[0]++;
            freshness[i] = row.visibleMillis() - put;
            kinesis[i] = row.arrivalMillis() - put;
            waiting[i] = batch.triggerMillis() - row.arrivalMillis();
            processing[i] = row.visibleMillis() - batch.triggerMillis();
        });
        List<BatchTimes.Batch> withRecords = batches.values().stream().filter(batch -> batch.inputRows() > 0 && batch.triggerMillis() >= measureFrom).toList();
        long[] durations = withRecords.stream().mapToLong(BatchTimes.Batch::durationMillis).toArray();
        // Where a batch's time goes, median per step: the source's offsets and the commits are the trigger's share, addBatch the pipeline's.
        Map<String, Long> steps = new TreeMap<>();
        withRecords.stream().flatMap(batch -> batch.phases().keySet().stream()).distinct().forEach(step -> {
            long[] values = withRecords.stream().mapToLong(batch -> batch.phases().getOrDefault(step, 0L)).toArray();
            steps.put(step, Distribution.of(values, values.length).p50());
        });
        // Whether silver became visible before bronze in each batch, and by how much (bronze − silver, ms).
        Map<Long, Long> silverByBatch = new HashMap<>();
        lake.tables().silver().values().forEach(table -> SilverVisibility.visibleByBatch(Path.of(table.location()))
                .forEach((batch, visible) -> silverByBatch.merge(batch, visible, Math::max)));
        Map<Long, Long> bronzeByBatch = SilverVisibility.visibleByBatch(Path.of(lake.tables().bronze().location()));
        long[] silverLead = silverByBatch.entrySet().stream().filter(entry -> bronzeByBatch.containsKey(entry.getKey()))
                .mapToLong(entry -> bronzeByBatch.get(entry.getKey()) - entry.getValue()).toArray();
        long silverFirst = Arrays.stream(silverLead).filter(lead -> lead >= 0).count();
        List<String> problems = new ArrayList<>();
        if (!putMillis.isEmpty()) {
            problems.add("%,d valid ids produced are not in silver (e.g. %s)".formatted(putMillis.size(), putMillis.keySet().stream().limit(3).toList()));
        }
        if (unexpected[0] > 0) {
            problems.add("%,d silver rows are repeats or ids never produced as valid".formatted(unexpected[0]));
        }
        if (withoutBatch[0] > 0) {
            problems.add("%,d silver rows were written by a batch without progress".formatted(withoutBatch[0]));
        }
        reports.stream().filter(report -> !report.balanced() || report.alreadyCommitted()).forEach(report -> problems.add(report.summaryLine()));
        int count = matched[0];
        return new Figures(expected, count, Distribution.of(freshness, count), Distribution.of(freshnessFromStart, fromStart[0]), Distribution.of(kinesis, count),
                Distribution.of(waiting, count), Distribution.of(processing, count), Distribution.of(durations, durations.length), steps,
                silverFirst, Distribution.of(silverLead, silverLead.length), problems);
    }

    /**
     * @param validIds valid event ids produced in the whole phase
     * @param measuredIds those put after the warm-up: what {@code freshness} and its split are of
     * @param freshnessFromStart freshness of every valid event of the phase, the warm-up's included
     * @param problems why the run does not count; empty when silver holds every valid id once and every batch balanced
     */
    record Figures(int validIds, int measuredIds, Distribution freshness, Distribution freshnessFromStart, Distribution kinesis, Distribution waiting,
            Distribution processing, Distribution batchDuration, Map<String, Long> batchSteps, long silverFirst, Distribution silverLead, List<String> problems)
    {
        Figures
        {
            requireNonNull(freshness, "freshness is null");
            requireNonNull(freshnessFromStart, "freshnessFromStart is null");
            requireNonNull(kinesis, "kinesis is null");
            requireNonNull(waiting, "waiting is null");
            requireNonNull(processing, "processing is null");
            requireNonNull(batchDuration, "batchDuration is null");
            batchSteps = Map.copyOf(requireNonNull(batchSteps, "batchSteps is null"));
            requireNonNull(silverLead, "silverLead is null");
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }
    }

    /**
     * One rate's outcome.
     *
     * @param verdict why the rate did not meet the target, or "p99 ≤ 5 s"
     */
    record PhaseResult(int rate, double achievedRate, Optional<Figures> figures, boolean delivered, String verdict)
    {
        PhaseResult
        {
            requireNonNull(figures, "figures is null");
            requireNonNull(verdict, "verdict is null");
        }

        static PhaseResult gaveUp(int rate, Production production, String why)
        {
            return new PhaseResult(rate, production.achievedRate(), Optional.empty(), false, "gave up: " + why);
        }

        static PhaseResult undelivered(int rate, Production production, String why)
        {
            return new PhaseResult(rate, production.achievedRate(), Optional.empty(), false, "not delivered: " + why);
        }

        static PhaseResult measured(int rate, Production production, Figures figures)
        {
            boolean delivered = figures.problems().isEmpty();
            // A producer that fell behind its schedule did not test the rate it was asked for.
            boolean onSchedule = production.achievedRate() >= 0.95 * rate;
            String verdict = !delivered ? "does not count: " + String.join("; ", figures.problems())
                    : !onSchedule ? "producers fell behind (%,.0f/s)".formatted(production.achievedRate())
                    : figures.freshness().p99() <= TARGET_P99_MILLIS ? "p99 ≤ 5 s" : "p99 > 5 s";
            return new PhaseResult(rate, production.achievedRate(), Optional.of(figures), delivered && onSchedule, verdict);
        }

        boolean meetsTarget()
        {
            return delivered && figures.map(value -> value.freshness().p99() <= TARGET_P99_MILLIS).orElse(false);
        }

        void print()
        {
            Figures value = figures.orElseThrow();
            System.out.printf("    %,d valid events, %s; %,d put after the warm-up are measured%n", value.validIds(),
                    value.problems().isEmpty() ? "each in silver exactly once" : String.join("; ", value.problems()), value.measuredIds());
            System.out.println("    freshness      " + value.freshness().line());
            System.out.println("      from start   " + value.freshnessFromStart().line() + "   (every event of the query, its warm-up included)");
            System.out.println("      kinesis      " + value.kinesis().line() + "   (arrival − put)");
            System.out.println("      waiting      " + value.waiting().line() + "   (batch trigger − arrival)");
            System.out.println("      processing   " + value.processing().line() + "   (silver commit − batch trigger)");
            System.out.printf("    batch duration p50 %,d ms, p99 %,d ms over %d batches with records; %s%n", value.batchDuration().p50(), value.batchDuration().p99(),
                    value.batchDuration().count(), verdict);
            System.out.println("    batch steps, median ms: " + new TreeMap<>(value.batchSteps()));
            System.out.printf("    silver visible before bronze in %d of %d batches; bronze − silver p50 %,d ms%n", value.silverFirst(), value.silverLead().count(),
                    value.silverLead().p50());
        }

        String tableRow()
        {
            return figures.map(value -> "%,8d %,9.0f %,8d %,8d %,8d %,8d %,10d %,10d  %s".formatted(rate, achievedRate, value.freshness().p50(), value.freshness().p95(),
                    value.freshness().p99(), value.freshness().max(), value.batchDuration().p50(), value.batchDuration().p99(), verdict))
                    .orElse("%,8d %,9.0f %8s %8s %8s %8s %10s %10s  %s".formatted(rate, achievedRate, "-", "-", "-", "-", "-", "-", verdict));
        }
    }

    private static void requireActive(StreamingQuery query)
    {
        if (!query.isActive()) {
            throw new IllegalStateException("Cannot measure: the streaming query stopped",
                    query.exception().isDefined() ? query.exception().get() : null);
        }
    }

    private static void await(StreamingQuery query, Duration duration)
    {
        try {
            query.awaitTermination(duration.toMillis());
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot measure: the streaming query failed: " + e.getMessage(), e);
        }
    }

    private static void stop(StreamingQuery query, BatchActivity activity)
    {
        try {
            GracefulStop.stopBetweenBatches(query, activity);
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot stop query %s: %s".formatted(query.id(), e.getMessage()), e);
        }
    }

    /**
     * Deletes a phase's lake and checkpoints. Spark's state store maintenance can still be writing a stopped query's
     * RocksDB files for a moment (seen once, after 17 minutes of phases): a directory that fills again as it is
     * deleted is deleted again, until it stays gone.
     */
    private static void delete(Path directory)
    {
        Awaitility.await("deletion of " + directory)
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .ignoreException(DirectoryNotEmptyException.class)
                .until(() -> deleteOnce(directory));
    }

    private static boolean deleteOnce(Path directory)
            throws IOException
    {
        if (!Files.exists(directory)) {
            return true;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
        return !Files.exists(directory);
    }
}
