package io.sluice.backfill;

import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.sink.BatchReport;
import io.sluice.table.TableSpec;
import io.sluice.source.JsonLinesArchive;
import io.sluice.stream.BatchActivity;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.StreamHarness;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backfill against the stream it must agree with: one generated archive (duplicates, out-of-order, late and invalid
 * records) is streamed through the streaming job into one lake and backfilled into another; the silver and quarantine
 * tables must hold the same rows. The archive's size is {@code -Dsluice.backfill.records} (default 24,000; the
 * acceptance run uses 1,000,000, see docs/benchmarks.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class BackfillTest
{
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final TimeRange THE_DAY = new TimeRange(DAY, DAY.plus(Duration.ofDays(1)));
    private static final Duration WATERMARK = Duration.ofSeconds(30);
    private static final int FILES = 6;
    /** Ingest columns say when and how a row was written, which differs between any two runs by design. */
    private static final String[] INGEST_COLUMNS = {"ingest_time"};

    private SparkSession spark;
    private Path root;
    private Path archive;
    private List<ProducedRecord> records;
    private Lake streamed;
    private List<BatchReport> streamReports;

    @BeforeAll
    void streamTheArchive(ExtensionContext context)
            throws Exception
    {
        spark = SharedSpark.session(context);
        root = Files.createTempDirectory("sluice-backfill-test");
        archive = root.resolve("archive");
        int total = Integer.getInteger("sluice.backfill.records", 24_000);
        // The generated events span most of the day, whatever their number.
        records = Archives.write(archive, FILES, total / FILES, DAY.plus(Duration.ofMinutes(30)), total / 80_000.0, WATERMARK.multipliedBy(2));

        streamed = lake(root.resolve("streamed"));
        Dataset<Row> lines = spark.readStream().option("maxFilesPerTrigger", 1).text(archive.toString());
        streamReports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, streamed).start(JsonLinesArchive.fromLines(lines), streamReports::add, activity);
        StreamHarness.ingestThenStop(query, activity, streamReports, records.size(), Duration.ofMinutes(20));
        assertThat(streamReports).allSatisfy(report -> assertThat(report.balanced()).as(report.summaryLine()).isTrue());
    }

    @AfterAll
    void deleteFiles()
            throws IOException
    {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void backfillYieldsTheRowsStreamingYieldsAndASecondRunChangesNothing()
    {
        Lake backfilled = lake(root.resolve("backfilled"));
        BackfillRequest request = new BackfillRequest(THE_DAY, new BackfillSource.JsonLines(archive.toString()), Set.of(), false,
                records.size() / 4, false);
        List<String> progress = new ArrayList<>();

        BackfillResult first = new Backfill(spark, backfilled, progress::add, Clock.systemUTC()).run(request);
        // The figure docs/benchmarks.md records for the 1,000,000-record run.
        System.out.println("BackfillTest, first run: " + first.summaryLine());

        assertThat(first.balanced()).as(first.summaryLine()).isTrue();
        assertThat(first.recordsRead()).isEqualTo(records.size());
        assertThat(first.duplicates()).isEqualTo(records.stream().filter(record -> record.kind() == RecordKind.DUPLICATE).count());
        assertThat(first.quarantined()).isEqualTo(Archives.count(records, RecordKind.Fate.QUARANTINE));
        assertThat(first.slices()).as("slices of whole hours, then the records without a time").isGreaterThanOrEqualTo(4);
        assertThat(progress).anyMatch(line -> line.contains("100.0%") && line.contains("records/s") && line.contains("ETA"));
        Map<String, Set<String>> expected = TestLakes.expectedSilverIds(records);
        TestLakes.assertSilverIds(spark, backfilled, expected);
        for (String table : expected.keySet()) {
            assertSameRows(silver(backfilled, table), silver(streamed, table), table);
        }
        assertSameRows(quarantine(backfilled), quarantine(streamed), "quarantine");

        Map<TableSpec, Long> before = versions(backfilled);
        BackfillResult second = new Backfill(spark, backfilled, line -> {}, Clock.systemUTC()).run(request);

        assertThat(second.balanced()).as(second.summaryLine()).isTrue();
        assertThat(second.silverInserted()).isZero();
        assertThat(second.quarantined()).isZero();
        assertThat(second.silverAlreadyPresent()).isEqualTo(first.silverInserted());
        assertThat(second.quarantineAlreadyPresent()).isEqualTo(first.quarantined());
        assertUnchangedSince(before);
    }

    @Test
    void backfillFromTheRawTableOverWhatTheStreamWroteInsertsNothing()
    {
        Map<TableSpec, Long> before = versions(streamed);
        BackfillRequest request = new BackfillRequest(THE_DAY, new BackfillSource.RawTable(), Set.of(), false, BackfillRequest.DEFAULT_SLICE_RECORDS, true);

        BackfillResult result = new Backfill(spark, streamed, line -> {}, Clock.systemUTC()).run(request);

        assertThat(result.balanced()).as(result.summaryLine()).isTrue();
        assertThat(result.recordsRead()).isEqualTo(records.size());
        assertThat(result.silverInserted()).isZero();
        assertThat(result.quarantined()).isZero();
        assertUnchangedSince(before);
    }

    @Test
    void aBackfillStaysBelowTheWatermarkOfTheStreamWritingTheLake()
    {
        Instant newestEvent = streamReports.stream().flatMap(report -> report.maxEventTime().stream()).max(Comparator.naturalOrder()).orElseThrow();
        BackfillRequest request = new BackfillRequest(THE_DAY, new BackfillSource.RawTable(), Set.of(), true, BackfillRequest.DEFAULT_SLICE_RECORDS, false);

        assertThatThrownBy(() -> new Backfill(spark, streamed, line -> {}, Clock.systemUTC()).run(request))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot use --to 2026-11-21T00:00:00Z: the stream writing this lake is at watermark " + newestEvent.minus(WATERMARK));
    }

    @Test
    void aDryRunOfOneDatasetCountsItsRecordsAndWritesNothing()
    {
        Lake empty = lake(root.resolve("dry-run"));
        BackfillRequest request = new BackfillRequest(THE_DAY, new BackfillSource.JsonLines(archive.toString()), Set.of("tennis.point"), true,
                BackfillRequest.DEFAULT_SLICE_RECORDS, false);

        BackfillResult result = new Backfill(spark, empty, line -> {}, Clock.systemUTC()).run(request);

        assertThat(result.balanced()).as(result.summaryLine()).isTrue();
        assertThat(result.silverInsertedByTable()).containsOnlyKeys("tennis_match_status", "tennis_points", "tennis_serves")
                .containsEntry("tennis_serves", 0L)
                .containsEntry("tennis_points", (long) TestLakes.expectedSilverIds(records).get("tennis_points").size());
        assertThat(silver(empty, "tennis_points").count()).isZero();
        assertThat(quarantine(empty).count()).isZero();
    }

    @Test
    void anUnknownDatasetIsRefusedByName()
    {
        BackfillRequest request = new BackfillRequest(THE_DAY, new BackfillSource.RawTable(), Set.of("tennis.serv"), true, 10, true);

        assertThatThrownBy(() -> new Backfill(spark, streamed, line -> {}, Clock.systemUTC()).run(request))
                .hasMessage("Invalid --dataset: tennis.serv; known datasets: tennis.match, tennis.point, tennis.serve");
    }

    private Lake lake(Path path)
    {
        return TestLakes.lake(path, Map.of(
                "stream.trigger-interval", "200ms",
                "stream.watermark-delay", WATERMARK.toSeconds() + "s",
                "stream.max-record-bytes", "65536",
                "spark.shuffle-partitions", "2"));
    }

    private Dataset<Row> silver(Lake lake, String table)
    {
        return read(lake.tables().silver(table)).drop(INGEST_COLUMNS);
    }

    private Dataset<Row> quarantine(Lake lake)
    {
        return read(lake.tables().quarantine()).select(col("raw_payload"), col("event_id"), col("reasons"), col("replayed"));
    }

    private Dataset<Row> read(TableSpec table)
    {
        return spark.read().format("delta").load(table.location());
    }

    /** The current version of every silver table and of quarantine. */
    private Map<TableSpec, Long> versions(Lake lake)
    {
        Map<TableSpec, Long> versions = new java.util.LinkedHashMap<>();
        List<TableSpec> tables = new ArrayList<>(lake.tables().silver().values());
        tables.add(lake.tables().quarantine());
        for (TableSpec table : tables) {
            versions.put(table, io.delta.tables.DeltaTable.forPath(spark, table.location()).history(1).first().<Long>getAs("version"));
        }
        return versions;
    }

    /** Every table holds the rows it held at the given versions, byte for byte. */
    private void assertUnchangedSince(Map<TableSpec, Long> versions)
    {
        versions.forEach((table, version) -> assertSameRows(read(table),
                spark.read().format("delta").option("versionAsOf", version).load(table.location()), table.name() + " since version " + version));
    }

    private static void assertSameRows(Dataset<Row> actual, Dataset<Row> expected, String table)
    {
        assertThat(actual.count()).as(table + " row count").isEqualTo(expected.count());
        assertThat(actual.exceptAll(expected).count()).as(table + ": rows the stream did not write").isZero();
        assertThat(expected.exceptAll(actual).count()).as(table + ": rows the backfill did not write").isZero();
    }
}
