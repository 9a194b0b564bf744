package io.sluice.stream;

import io.sluice.lake.Lake;
import io.sluice.local.KinesisMock;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.KinesisRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.source.kinesis.KinesisClients;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.StreamHarness;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query whose checkpoint an earlier dedup state layout wrote moves to the current one (DedupMigration), with re-sends
 * on both sides of the cut: records the old query read are sent again while the job is being upgraded and after it
 * restarted on the new checkpoint. Every record is read once, every valid id is in silver once (G2), and the re-sends
 * are counted as duplicates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class DedupMigrationTest
{

    private KinesisMock mock;
    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
        mock = KinesisMock.start(Path.of(System.getProperty("sluice.home", ".")));
    }

    @AfterAll
    void stop()
    {
        if (mock != null) {
            mock.close();
        }
    }

    @ParameterizedTest
    @EnumSource(LegacyStreamingJob.Layout.class)
    void reSendsAcrossTheCutLandInSilverOnce(LegacyStreamingJob.Layout layout, @TempDir Path work)
            throws Exception
    {
        // A stream per case: each reads its stream from the start.
        String stream = "migration-" + layout.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        mock.createStream(stream, 2);
        // A window longer than the generated hour of events: every re-send is inside it, so only the migrated state can
        // tell it from a new event.
        Lake lake = TestLakes.lake(work, Map.of(
                "source.endpoint", mock.endpoint().toString(),
                "source.stream-name", stream,
                "stream.trigger-interval", "200ms",
                "stream.watermark-delay", "2h",
                "stream.max-record-bytes", "65536"));
        TennisFeed feed = new TennisFeed(new FeedOptions(17, 3, Instant.parse("2026-11-21T10:00:00Z"), 50,
                0.05, 0.05, 0, Duration.ZERO, 0.05, 70_000));
        List<ProducedRecord> sent = new ArrayList<>();
        List<ProducedRecord> reSent = new ArrayList<>();
        List<BatchReport> reports = new ArrayList<>();
        try (KinesisRecordWriter writer = new KinesisRecordWriter(KinesisClients.create(mock.clientSettings()), stream)) {
            // The old job reads the first records and is stopped for the upgrade.
            List<ProducedRecord> first = feed.take(600);
            send(writer, sent, first);
            reports.addAll(run(first.size(), (listener, activity) -> LegacyStreamingJob.start(spark, lake, layout, listener, activity)));
            assertThat(Files.exists(Path.of(layout.checkpoint(lake, "sluice-ingest"), "commits", "0"))).isTrue();

            // While it is down: new records, and records the old job already wrote to silver.
            List<ProducedRecord> whileDown = new ArrayList<>(feed.take(300));
            List<ProducedRecord> before = silverBound(first).subList(0, 60);
            whileDown.addAll(before);
            reSent.addAll(before);
            send(writer, sent, whileDown);

            // The new job continues the old checkpoint's stream positions, with silver's ids as its initial state.
            reports.addAll(run(whileDown.size(), (listener, activity) -> new StreamingJob(spark, lake).start(listener, activity)));
            assertThat(Files.exists(Path.of(lake.layout().checkpoint("sluice-ingest"), DedupMigration.PLAN_FILE))).isTrue();

            // Restarted on its own checkpoint (no initial state any more): re-sends from both sides of the cut.
            List<ProducedRecord> afterRestart = new ArrayList<>(feed.take(300));
            List<ProducedRecord> both = new ArrayList<>(silverBound(first).subList(60, 90));
            both.addAll(silverBound(whileDown).subList(0, 30));
            afterRestart.addAll(both);
            reSent.addAll(both);
            send(writer, sent, afterRestart);
            reports.addAll(run(afterRestart.size(), (listener, activity) -> new StreamingJob(spark, lake).start(listener, activity)));
        }

        assertThat(reports).allSatisfy(report -> assertThat(report.balanced()).as(report.summaryLine()).isTrue());
        assertThat(reports.stream().mapToLong(BatchReport::late).sum()).as("no re-send was taken for a late event").isZero();
        lake.registerViews(spark);
        TestLakes.assertSilverIds(spark, lake, TestLakes.expectedSilverIds(sent));
        assertThat(spark.sql("SELECT count(*) FROM raw_events").first().getLong(0)).as("every record read once, across the cut").isEqualTo(sent.size());
        Row totals = spark.sql("SELECT sum(records_read), sum(duplicates) FROM ingest_audit").first();
        assertThat(totals.getLong(0)).isEqualTo(sent.size());
        long generatedDuplicates = sent.stream().filter(record -> record.kind() == RecordKind.DUPLICATE).count();
        assertThat(totals.getLong(1)).as("generated duplicates and re-sends").isEqualTo(generatedDuplicates + reSent.size());
    }

    private static void send(KinesisRecordWriter writer, List<ProducedRecord> sent, List<ProducedRecord> records)
    {
        writer.write(records);
        sent.addAll(records);
    }

    /** Starts a query, lets it read {@code expected} records, stops it between batches; its batch reports. */
    private static List<BatchReport> run(long expected, Starter starter)
            throws Exception
    {
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = starter.start(reports::add, activity);
        StreamHarness.ingestThenStop(query, activity, reports, expected, Duration.ofMinutes(3));
        return List.copyOf(StreamHarness.byBatch(reports).values());
    }

    private interface Starter
    {
        StreamingQuery start(java.util.function.Consumer<BatchReport> listener, BatchActivity activity)
                throws Exception;
    }

    private static List<ProducedRecord> silverBound(List<ProducedRecord> records)
    {
        return records.stream().filter(record -> record.kind().fate() == RecordKind.Fate.SILVER && record.kind() != RecordKind.DUPLICATE).toList();
    }
}
