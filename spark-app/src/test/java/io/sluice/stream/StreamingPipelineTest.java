package io.sluice.stream;

import io.sluice.testing.StreamHarness;

import io.sluice.lake.Lake;

import io.sluice.local.KinesisMock;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.KinesisRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.source.kinesis.KinesisClients;
import io.sluice.table.TableSpec;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole streaming job against the Kinesis mock: generated tennis events with duplicates, out-of-order, late and
 * invalid records go in; each lands exactly where the generator meant it to, compared by event id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class StreamingPipelineTest
{
    private static final String STREAM = "pipeline-test";

    private KinesisMock mock;
    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
        mock = KinesisMock.start(Path.of(System.getProperty("sluice.home", ".")));
        mock.createStream(STREAM, 4);
    }

    @AfterAll
    void stop()
    {
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void everyRecordLandsWhereTheGeneratorMeantIt(@TempDir Path lake)
            throws Exception
    {
        Duration watermark = Duration.ofSeconds(30);
        Lake sluiceLake = TestLakes.lake(lake, Map.of(
                "source.endpoint", mock.endpoint().toString(),
                "source.stream-name", STREAM,
                "stream.trigger-interval", "200ms",
                "stream.watermark-delay", "30s",
                "stream.max-record-bytes", "65536",
                "spark.shuffle-partitions", "2"));
        FeedOptions options = new FeedOptions(7, 6, Instant.parse("2026-11-21T10:00:00Z"), 200,
                0.10, 0.05, 0.03, watermark.multipliedBy(2), 0.06, 70_000);
        TennisFeed feed = new TennisFeed(options);
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, sluiceLake).start(reports::add, activity);

        List<ProducedRecord> sent = new ArrayList<>();
        try (KinesisRecordWriter writer = new KinesisRecordWriter(KinesisClients.create(mock.clientSettings()), STREAM)) {
            // Two rounds: the second arrives after the first has moved the watermark, so its late events take the late path.
            for (int round = 0; round < 2; round++) {
                List<ProducedRecord> records = feed.take(1500);
                writer.write(records);
                sent.addAll(records);
                long expected = sent.size();
                StreamHarness.awaitIngested(query, reports, expected, Duration.ofMinutes(3));
            }
        }
        finally {
            GracefulStop.stopBetweenBatches(query, activity);
        }
        assertThat(query.exception().isEmpty()).isTrue();

        assertThat(reports).allSatisfy(report -> assertThat(report.balanced()).as(report.summaryLine()).isTrue());
        assertThat(reports.stream().mapToLong(BatchReport::recordsRead).sum()).isEqualTo(sent.size());
        assertThat(reports.stream().mapToLong(BatchReport::late).sum()).as("late events took the late path").isPositive();

        sluiceLake.registerViews(spark);
        // Silver holds every event meant for it, once, in the table of its dataset.
        TestLakes.assertSilverIds(spark, sluiceLake, TestLakes.expectedSilverIds(sent));

        // Quarantine holds exactly the invalid records, each with the reason its kind implies, bytes unchanged.
        Map<String, String> expectedRule = Map.of(
                RecordKind.MALFORMED_JSON.name(), "MALFORMED_JSON",
                RecordKind.MISSING_REQUIRED_FIELD.name(), "MISSING_REQUIRED_FIELD",
                RecordKind.WRONG_TYPE.name(), "WRONG_TYPE",
                RecordKind.UNKNOWN_TYPE.name(), "TYPE_NOT_IN_CONTRACT",
                RecordKind.UNKNOWN_CONTRACT_VERSION.name(), "UNKNOWN_CONTRACT_VERSION",
                RecordKind.OVERSIZED.name(), "OVERSIZED");
        Map<String, ProducedRecord> invalidByPayload = sent.stream()
                .filter(record -> record.kind().fate() == RecordKind.Fate.QUARANTINE)
                .collect(Collectors.toMap(record -> new String(record.payload(), java.nio.charset.StandardCharsets.ISO_8859_1), record -> record));
        List<Row> quarantined = spark.sql("SELECT raw_payload, transform(reasons, r -> r.rule) FROM quarantine").collectAsList();
        assertThat(quarantined).hasSize(invalidByPayload.size());
        for (Row row : quarantined) {
            ProducedRecord record = invalidByPayload.get(new String((byte[]) row.get(0), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(record).as("quarantined payload was sent as invalid").isNotNull();
            assertThat(row.<String>getList(1)).as(record.kind().name()).contains(expectedRule.get(record.kind().name()));
        }

        // Batches of a few thousand records are written in one task: one file per table partition and commit, not one
        // per partition of the batch (small files are what slows Athena down).
        for (TableSpec table : sluiceLake.tables().silver().values()) {
            assertThat(splitPartitions(table)).as("commits of " + table.name() + " with more than one file in a partition").isEmpty();
        }

        assertThat(spark.sql("SELECT count(*) FROM raw_events").first().getLong(0)).isEqualTo(sent.size());
        Row totals = spark.sql("SELECT sum(records_read), sum(silver_rows), sum(duplicates), sum(quarantined) FROM ingest_audit").first();
        assertThat(totals.getLong(0)).isEqualTo(sent.size());
        assertThat(totals.getLong(1) + totals.getLong(2) + totals.getLong(3)).isEqualTo(sent.size());
        assertThat(totals.getLong(2)).isEqualTo(sent.stream().filter(record -> record.kind() == RecordKind.DUPLICATE).count());
    }
    @Test
    void eachTableIsWrittenInTheTasksItsOwnRowsNeed(@TempDir Path lake)
            throws Exception
    {
        String stream = "pipeline-write-tasks";
        mock.createStream(stream, 4);
        // Put before the query starts, so that they are one batch: 24,000 records need two write tasks (20,000 rows a
        // task), while each silver table's share (about 11,000 serves, as many points) and quarantine's need one.
        List<ProducedRecord> sent = new TennisFeed(new FeedOptions(11, 8, Instant.parse("2026-11-21T10:00:00Z"), 200,
                0.05, 0.05, 0, Duration.ZERO, 0.03, 70_000)).take(24_000);
        try (KinesisRecordWriter writer = new KinesisRecordWriter(KinesisClients.create(mock.clientSettings()), stream)) {
            writer.write(sent);
        }
        Lake sluiceLake = TestLakes.lake(lake, Map.of(
                "source.endpoint", mock.endpoint().toString(),
                "source.stream-name", stream,
                "stream.max-record-bytes", "65536",
                "spark.shuffle-partitions", "2"));
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, sluiceLake).start(reports::add, activity);
        try {
            StreamHarness.awaitIngested(query, reports, sent.size(), Duration.ofMinutes(3));
        }
        finally {
            GracefulStop.stopBetweenBatches(query, activity);
        }
        assertThat(reports).extracting(BatchReport::recordsRead).containsExactly((long) sent.size());
        assertThat(reports.get(0).balanced()).as(reports.get(0).summaryLine()).isTrue();
        sluiceLake.registerViews(spark);
        TestLakes.assertSilverIds(spark, sluiceLake, TestLakes.expectedSilverIds(sent));

        for (TableSpec table : sluiceLake.tables().silver().values()) {
            assertThat(splitPartitions(table)).as("partitions of " + table.name() + " written by more than one task").isEmpty();
        }
        assertThat(splitPartitions(sluiceLake.tables().quarantine())).as("partitions of quarantine written by more than one task").isEmpty();
        assertThat(splitPartitions(sluiceLake.tables().bronze())).as("bronze's partition, written by two tasks").hasSize(1);
    }

    /** Per commit of {@code table}, the partitions it added more than one file to: each was written by several tasks. */
    private List<Row> splitPartitions(TableSpec table)
    {
        return spark.read().json(table.location() + "/_delta_log/*.json")
                .where(col("add").isNotNull())
                .groupBy(input_file_name(), col("add.partitionValues"))
                .count()
                .where(col("count").gt(1))
                .collectAsList();
    }
}
