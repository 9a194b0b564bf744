package io.sluice.maintain;

import io.sluice.backfill.BackfillRequest;
import io.sluice.backfill.BackfillSource;
import io.sluice.backfill.Backfill;
import io.sluice.backfill.TimeRange;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.TennisFeed;
import io.sluice.table.BronzeRecords;
import io.sluice.sink.IdempotentDeltaWriter;
import io.sluice.table.TableSpec;
import io.sluice.source.JsonLinesArchive;
import io.sluice.lake.Lake;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class TableMaintenanceTest
{
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void maintenanceCompactsFragmentedPartitionsAndChangesNoRow(@TempDir Path directory)
    {
        Path archive = directory.resolve("archive/part-0.jsonl");
        try (JsonLinesRecordWriter writer = new JsonLinesRecordWriter(archive)) {
            writer.write(new TennisFeed(new FeedOptions(5, 4, DAY.plus(Duration.ofMinutes(30)), 4_000 / 72_000.0, 0.05, 0, 0, Duration.ZERO, 0.05, 70_000))
                    .take(4_000));
        }
        Lake lake = TestLakes.lake(directory, Map.of("spark.shuffle-partitions", "2"));
        new Backfill(spark, lake, line -> {}, Clock.systemUTC()).run(new BackfillRequest(new TimeRange(DAY, DAY.plus(Duration.ofDays(1))),
                new BackfillSource.JsonLines(archive.toString()), Set.of(), false, BackfillRequest.DEFAULT_SLICE_RECORDS, false));
        // Fragment every partition the way many small micro-batches do: a dozen small files each.
        List<TableSpec> tables = new ArrayList<>(lake.tables().silver().values());
        tables.add(lake.tables().quarantine());
        for (TableSpec table : tables) {
            spark.read().format("delta").load(table.location()).localCheckpoint().repartition(12)
                    .write().format("delta").mode("overwrite").save(table.location());
        }
        // Bronze is append-only: compaction must work on it too. Five small appends, as five micro-batches would.
        IdempotentDeltaWriter writer = new IdempotentDeltaWriter(spark);
        Dataset<Row> raw = JsonLinesArchive.read(spark, archive.toString());
        for (int batch = 0; batch < 5; batch++) {
            writer.append(BronzeRecords.fromRaw(raw.sample(0.2, batch).repartition(2), lit(Timestamp.from(DAY.plus(Duration.ofHours(23))))),
                    lake.tables().bronze(), "test", batch);
        }
        tables.add(lake.tables().bronze());
        Map<TableSpec, Long> filesBefore = new java.util.LinkedHashMap<>();
        Map<TableSpec, Long> versions = new java.util.LinkedHashMap<>();
        for (TableSpec table : tables) {
            filesBefore.put(table, files(table));
            versions.put(table, io.delta.tables.DeltaTable.forPath(spark, table.location()).history(1).first().<Long>getAs("version"));
        }
        TableSpec points = lake.tables().silver("tennis_points");
        assertThat(filesBefore.get(points)).as("fragmented").isGreaterThanOrEqualTo(10);

        List<String> lines = new ArrayList<>();
        List<MaintenanceReport> reports = new TableMaintenance(spark, lake, lines::add, Clock.fixed(DAY.plus(Duration.ofHours(30)), ZoneOffset.UTC))
                .run(new MaintenanceRequest(2, Duration.ofDays(7), false));

        for (TableSpec table : tables) {
            long after = files(table);
            assertThat(after).as(table.name() + " files").isLessThan(filesBefore.get(table));
            // One file per partition: silver has one per event type, bronze one, quarantine one (all of one day).
            assertThat(after).as(table.name() + " files").isLessThanOrEqualTo(distinctPartitions(table));
            Dataset<Row> before = spark.read().format("delta").option("versionAsOf", versions.get(table)).load(table.location());
            Dataset<Row> now = spark.read().format("delta").load(table.location());
            assertThat(fingerprint(now)).as(table.name() + " rows (count, sum and xor of row hashes)").isEqualTo(fingerprint(before));
            MaintenanceReport report = reports.stream().filter(candidate -> candidate.table().equals(table.name())).findFirst().orElseThrow();
            assertThat(report.filesBefore()).isEqualTo(filesBefore.get(table));
            assertThat(report.filesAfter()).isEqualTo(after);
        }
        assertThat(lines).anyMatch(line -> line.startsWith("maintain: tennis_points: recent partitions"));
    }

    @Test
    void rawRetentionDeletesBronzeRowsIngestedBeforeTheCutoffAndKeepsTheRest(@TempDir Path directory)
    {
        Path archive = directory.resolve("archive/part-0.jsonl");
        try (JsonLinesRecordWriter writer = new JsonLinesRecordWriter(archive)) {
            writer.write(new TennisFeed(new FeedOptions(7, 2, DAY, 1.0, 0, 0, 0, Duration.ZERO, 0, 70_000)).take(300));
        }
        Lake lake = TestLakes.lake(directory, Map.of("spark.shuffle-partitions", "2"));
        Dataset<Row> raw = JsonLinesArchive.read(spark, archive.toString()).localCheckpoint();
        long perBatch = raw.count();
        IdempotentDeltaWriter writer = new IdempotentDeltaWriter(spark);
        // Ingested 40, 30 (exactly the cutoff: kept), 10 and 0 days before the run.
        List<Integer> daysAgo = List.of(40, 30, 10, 0);
        for (int batch = 0; batch < daysAgo.size(); batch++) {
            writer.append(BronzeRecords.fromRaw(raw, lit(Timestamp.from(DAY.minus(Duration.ofDays(daysAgo.get(batch)))))),
                    lake.tables().bronze(), "test", batch);
        }
        TableSpec bronze = lake.tables().bronze();
        Clock clock = Clock.fixed(DAY.plus(Duration.ofHours(1)), ZoneOffset.UTC);

        List<String> dryRun = new ArrayList<>();
        new TableMaintenance(spark, lake, dryRun::add, clock).run(new MaintenanceRequest(2, Duration.ofDays(7), true, 30));
        assertThat(spark.read().format("delta").load(bronze.location()).count()).isEqualTo(4 * perBatch);
        assertThat(dryRun).contains("maintain (dry run): would delete from raw_events: %,d rows ingested before 2026-10-21 (raw retention 30 days)"
                .formatted(perBatch));

        List<String> lines = new ArrayList<>();
        new TableMaintenance(spark, lake, lines::add, clock).run(new MaintenanceRequest(2, Duration.ofDays(7), false, 30));
        Dataset<Row> kept = spark.read().format("delta").load(bronze.location());
        assertThat(kept.count()).isEqualTo(3 * perBatch);
        assertThat(kept.agg(org.apache.spark.sql.functions.min(BronzeRecords.INGEST_DATE)).first().getDate(0).toString())
                .isEqualTo("2026-10-21");
        assertThat(lines).contains("maintain: deleted from raw_events: %,d rows ingested before 2026-10-21 (raw retention 30 days)"
                .formatted(perBatch));
        // Silver is never subject to it, and 0 (the default) turns the step off.
        assertThat(new MaintenanceRequest(2, Duration.ofDays(7), false).rawRetentionDays()).isZero();
    }

    @Test
    void aRetentionShorterThanSevenDaysIsRefused()
    {
        assertThatThrownBy(() -> new MaintenanceRequest(2, Duration.ofHours(24), false))
                .hasMessageStartingWith("Invalid --retain: 24h is shorter than the safe minimum of 168h");
    }

    private long files(TableSpec table)
    {
        return spark.sql("DESCRIBE DETAIL delta.`%s`".formatted(table.location())).first().<Long>getAs("numFiles");
    }

    /** Row count and two order-independent sums of row hashes: equal for the same multiset of rows. */
    private static List<Object> fingerprint(Dataset<Row> rows)
    {
        org.apache.spark.sql.Column hash = org.apache.spark.sql.functions.xxhash64(
                java.util.Arrays.stream(rows.columns()).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
        Row row = rows.agg(org.apache.spark.sql.functions.count(lit(1)), org.apache.spark.sql.functions.sum(hash.cast("decimal(38,0)")),
                org.apache.spark.sql.functions.bit_xor(hash)).first();
        return List.of(row.get(0), String.valueOf(row.get(1)), String.valueOf(row.get(2)));
    }

    private long distinctPartitions(TableSpec table)
    {
        return spark.read().format("delta").load(table.location())
                .select(table.partitionColumns().stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
                .distinct().count();
    }
}
