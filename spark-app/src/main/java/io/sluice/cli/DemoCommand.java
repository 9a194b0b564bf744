package io.sluice.cli;

import io.sluice.config.UsageException;

import io.sluice.config.ConfigKeys;
import io.sluice.config.DurationFormat;
import io.sluice.config.SluiceConfig;
import io.sluice.local.KinesisMock;
import io.sluice.produce.KinesisRecordWriter;
import io.sluice.produce.Producer;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.table.TableSpec;
import io.sluice.source.kinesis.KinesisClients;
import io.sluice.spark.SparkSessions;
import io.sluice.stream.BatchActivity;
import io.sluice.stream.GracefulStop;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"End to end on this machine, no AWS account: start the Kinesis mock, create a stream, produce a live-tennis feed",
                "with duplicates, late and invalid records, stream it into Delta until every record is ingested, stop, and report:",
                "rows per table, the accounting line, quarantine reasons and a sample analytic query. Safe to run again."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every record accounted for, as the generator intended", "1:something did not add up or failed",
                "2:bad command line or configuration"})
final class DemoCommand
        implements java.util.concurrent.Callable<Integer>
{
    private static final String STREAM = "sluice-demo";
    private static final String MARKER = ".sluice-demo";
    /** Two cores' worth of driver work, plus one query waiting on a job. */
    private static final int REPORT_PARALLELISM = 3;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    FeedMixin feed;

    @Option(names = "--events", defaultValue = "20000", description = "Records to produce (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--rate", defaultValue = "2000", description = "Records per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--shards", defaultValue = "4", description = "Shards of the demo stream (default: ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--workdir", defaultValue = ".sluice/demo", description = "Where the demo's lake and checkpoints go; emptied first (default: ${DEFAULT-VALUE})")
    Path workdir;

    @Option(names = "--timeout", defaultValue = "8m", description = "Give up if ingestion has not caught up by then (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--trino", description = "After streaming, answer one query with Trino, Athena engine v3's base, over the demo's lake (needs JDK 24+; docs/athena.md)")
    boolean trino;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        if (shards < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Invalid --shards: " + shards + " (expected at least 2)");
        }
        Duration deadline = DurationFormat.parse(timeout).orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Invalid --timeout: '%s' (expected a duration such as 8m)".formatted(timeout)));
        SluiceConfig base = configOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        Path work = prepare(workdir.toAbsolutePath().normalize());

        try (KinesisMock mock = KinesisMock.start(SluiceHome.resolve())) {
            mock.createStream(STREAM, shards);
            out.printf("Kinesis mock on %s, stream %s with %d shards; lake in %s%n", mock.endpoint(), STREAM, shards, work.resolve("lake"));
            Duration watermark = Duration.ofMinutes(1);
            SluiceConfig config = base.with(Map.of(
                    ConfigKeys.SOURCE_ENDPOINT.name(), mock.endpoint().toString(),
                    ConfigKeys.SOURCE_STREAM_NAME.name(), STREAM,
                    // The feed starts before the query: the query must read the stream from its start.
                    ConfigKeys.SOURCE_STARTING_POSITION.name(), "TRIM_HORIZON",
                    ConfigKeys.LAKE_ROOT.name(), work.resolve("lake").toString(),
                    ConfigKeys.CHECKPOINT_ROOT.name(), work.resolve("checkpoints").toString(),
                    ConfigKeys.STREAM_TRIGGER_INTERVAL.name(), "500ms",
                    ConfigKeys.STREAM_WATERMARK_DELAY.name(), DurationFormat.format(watermark)));
            feed.lateBy = DurationFormat.format(watermark.multipliedBy(2));

            SparkSession spark = SparkSessions.builder(config, "sluice-demo").getOrCreate();
            try {
                return run(spark, config, mock, out, deadline);
            }
            finally {
                spark.stop();
            }
        }
    }

    private int run(SparkSession spark, SluiceConfig config, KinesisMock mock, PrintWriter out, Duration deadline)
            throws Exception
    {
        Lake lake = Lake.of(config);
        AtomicLong read = new AtomicLong();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query;
        Producer.Summary sent;
        try (KinesisRecordWriter writer = new KinesisRecordWriter(KinesisClients.create(mock.clientSettings()), STREAM)) {
            // The feed starts while the job starts (tables, the query's first plan), as producers do not wait for a
            // deploy: the stream then begins on a backlog, and the demo does not spend the two one after the other.
            CompletableFuture<Producer.Summary> producing = CompletableFuture.supplyAsync(
                    () -> new Producer(new TennisFeed(feed.options(rate)), writer).run(Optional.of(events), Optional.empty(), rate, ignored -> { }));
            query = new StreamingJob(spark, lake).start((BatchReport report) -> {
                read.addAndGet(report.recordsRead());
                out.println(report.summaryLine());
                out.flush();
            }, activity);
            sent = producing.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            out.printf("produced %,d records in %.1f s%n", sent.total(), sent.elapsed().toMillis() / 1000.0);
            long producedAt = System.nanoTime();
            out.flush();
            long until = System.nanoTime() + deadline.toNanos();
            while (read.get() < sent.total()) {
                if (!query.isActive()) {
                    spec.commandLine().getErr().println("sluice demo: the streaming query failed: "
                            + (query.exception().isDefined() ? SluiceMain.rootMessage(query.exception().get()) : "stopped"));
                    return ExitCodes.FAILED;
                }
                if (System.nanoTime() > until) {
                    spec.commandLine().getErr().printf("sluice demo: only %,d of %,d records ingested after %s%n", read.get(), sent.total(), timeout);
                    GracefulStop.stopBetweenBatches(query, activity);
                    return ExitCodes.FAILED;
                }
                query.awaitTermination(200);
            }
            // What the demo's time goes to: producing (bounded by --rate and the stand-in) versus the pipeline catching up.
            out.printf("ingested every record %.1f s after the last was produced%n", (System.nanoTime() - producedAt) / 1e9);
        }
        GracefulStop.stopBetweenBatches(query, activity);
        out.println("stopped the streaming query after its last micro-batch");
        int exitCode = report(spark, lake, sent, out);
        if (trino) {
            AthenaAnswer.print(lake, out);
        }
        return exitCode;
    }

    private int report(SparkSession spark, Lake lake, Producer.Summary sent, PrintWriter out)
            throws InterruptedException, ExecutionException
    {
        lake.registerViews(spark);
        // The report's queries are independent and each is mostly driver work (a snapshot, a plan, a small job):
        // asked side by side, then printed in order.
        ExecutorService pool = Executors.newFixedThreadPool(REPORT_PARALLELISM);
        try {
            Map<String, Future<Long>> rows = new LinkedHashMap<>();
            for (TableSpec table : lake.tables().all()) {
                rows.put(table.name(), pool.submit(() -> spark.table(table.name()).count()));
            }
            Future<Row> totalsQuery = pool.submit(() -> spark.sql(
                    "SELECT sum(records_read), sum(silver_rows), sum(duplicates), sum(quarantined), sum(late) FROM " + lake.tables().audit().name()).first());
            Future<List<Row>> reasons = pool.submit(() -> spark.sql("SELECT reason.rule AS rule, count(*) AS records FROM " + lake.tables().quarantine().name()
                    + " LATERAL VIEW explode(reasons) AS reason GROUP BY reason.rule ORDER BY records DESC, rule").collectAsList());
            Future<List<Row>> serves = pool.submit(() -> spark.sql("""
                    SELECT player_id, max(speed_kmh) AS fastest_kmh, count(*) AS serves, count_if(outcome = 'ace') AS aces
                    FROM tennis_serves GROUP BY player_id ORDER BY fastest_kmh DESC, player_id LIMIT 5""").collectAsList());

            out.println();
            out.println("Rows per table:");
            for (Map.Entry<String, Future<Long>> table : rows.entrySet()) {
                out.printf("  %-22s %,10d%n", table.getKey(), table.getValue().get());
            }
            Row totals = totalsQuery.get();
            long readTotal = totals.getLong(0);
            long silver = totals.getLong(1);
            long duplicates = totals.getLong(2);
            long quarantined = totals.getLong(3);
            boolean balanced = readTotal == silver + duplicates + quarantined;
            out.println();
            out.printf("Accounting: records read %,d = silver rows %,d + duplicates dropped %,d + quarantined %,d  [%s]%n",
                    readTotal, silver, duplicates, quarantined, balanced ? "balanced" : "UNBALANCED");
            out.printf("            (%,d late events took the late path)%n", totals.getLong(4));
            boolean asIntended = readTotal == sent.total()
                    && silver == sent.count(RecordKind.Fate.SILVER)
                    && duplicates == sent.count(RecordKind.Fate.DUPLICATE)
                    && quarantined == sent.count(RecordKind.Fate.QUARANTINE);
            out.printf("Generator sent %,d: %,d valid, %,d duplicates, %,d invalid  [%s]%n", sent.total(), sent.count(RecordKind.Fate.SILVER),
                    sent.count(RecordKind.Fate.DUPLICATE), sent.count(RecordKind.Fate.QUARANTINE), asIntended ? "every record where it belongs" : "MISMATCH");

            out.println();
            out.println("Quarantine by reason:");
            reasons.get().forEach(row -> out.printf("  %-28s %,8d%n", row.getString(0), row.getLong(1)));

            out.println();
            out.println("Fastest serves per player (top 5):");
            out.printf("  %-8s %12s %8s %6s%n", "player", "fastest km/h", "serves", "aces");
            serves.get().forEach(row -> out.printf("  %-8s %12.1f %8d %6d%n", row.getString(0), row.getDouble(1), row.getLong(2), row.getLong(3)));
            out.flush();
            return balanced && asIntended ? ExitCodes.OK : ExitCodes.FAILED;
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** Empties the demo's directory, refusing to touch one the demo did not create. */
    private static Path prepare(Path work)
            throws IOException
    {
        if (Files.exists(work)) {
            boolean ours;
            try (Stream<Path> entries = Files.list(work)) {
                ours = Files.exists(work.resolve(MARKER)) || entries.findAny().isEmpty();
            }
            if (!ours) {
                throw new UsageException("Cannot use %s for the demo: it is not empty and was not made by the demo".formatted(work));
            }
            try (Stream<Path> tree = Files.walk(work)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(work);
        Files.createFile(work.resolve(MARKER));
        return work;
    }
}
