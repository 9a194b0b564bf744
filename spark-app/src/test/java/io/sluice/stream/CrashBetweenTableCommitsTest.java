package io.sluice.stream;

import io.sluice.lake.Lake;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.source.JsonLinesArchive;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.StreamHarness;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A micro-batch that dies after some of its tables committed and before the others did, then runs again on the same
 * checkpoint: nothing is lost and nothing is written twice (G4). The fault is real: a CHECK constraint that every
 * quarantine row breaks makes the quarantine append fail after bronze and silver have committed their part of the
 * batch; the constraint is dropped and the job restarted, as an operator would after fixing the cause.
 */
@ExtendWith(ExtensionContextResolver.class)
final class CrashBetweenTableCommitsTest
{
    @Test
    void batchThatDiedBetweenTwoTableCommitsIsCompletedOnceOnRestart(@TempDir Path work, ExtensionContext context)
            throws Exception
    {
        SparkSession spark = SharedSpark.session(context);
        Lake lake = TestLakes.lake(work, Map.of(
                "stream.trigger-interval", "200ms",
                "stream.max-record-bytes", "65536"));
        lake.createOrEvolveTables(spark);
        String quarantine = lake.tables().quarantine().location();
        spark.sql("ALTER TABLE delta.`%s` ADD CONSTRAINT refuse_every_row CHECK (replayed IS NULL)".formatted(quarantine));

        TennisFeed feed = new TennisFeed(new FeedOptions(31, 3, Instant.parse("2026-11-21T10:00:00Z"), 200,
                0.05, 0.05, 0, Duration.ZERO, 0.05, 70_000));
        List<ProducedRecord> sent = new ArrayList<>(feed.take(1200));
        Path input = Files.createDirectories(work.resolve("input"));
        try (JsonLinesRecordWriter writer = new JsonLinesRecordWriter(input.resolve("part-0.jsonl"))) {
            writer.write(sent);
        }
        long invalid = sent.stream().filter(record -> record.kind().fate() == RecordKind.Fate.QUARANTINE).count();
        assertThat(invalid).as("the input has records for quarantine").isPositive();

        // First run: the only batch commits bronze and silver, then its quarantine append fails and the query dies.
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        StreamingQuery first = new StreamingJob(spark, lake).start(JsonLinesArchive.fromLines(spark.readStream().text(input.toString())),
                reports::add, new BatchActivity());
        await().atMost(Duration.ofMinutes(3)).until(() -> !first.isActive());
        assertThat(first.exception().isDefined()).as("the first run died").isTrue();
        assertThat(reports).as("no batch completed").isEmpty();
        lake.registerViews(spark);
        assertThat(count(spark, "raw_events")).as("bronze committed before the crash").isEqualTo(sent.size());
        assertThat(count(spark, "quarantine")).as("quarantine did not commit").isZero();

        // The cause is fixed; the job restarts on the same checkpoint and re-runs the batch.
        spark.sql("ALTER TABLE delta.`%s` DROP CONSTRAINT refuse_every_row".formatted(quarantine));
        BatchActivity activity = new BatchActivity();
        StreamingQuery second = new StreamingJob(spark, lake).start(JsonLinesArchive.fromLines(spark.readStream().text(input.toString())),
                reports::add, activity);
        StreamHarness.ingestThenStop(second, activity, reports, sent.size(), Duration.ofMinutes(3));
        assertThat(second.id()).as("restarted on the same checkpoint").isEqualTo(first.id());

        assertThat(reports).allSatisfy(report -> assertThat(report.balanced()).as(report.summaryLine()).isTrue());
        assertThat(reports.get(0).alreadyCommitted()).as("the re-run found its earlier commits").isTrue();
        lake.registerViews(spark);
        assertThat(count(spark, "raw_events")).as("bronze: every record once").isEqualTo(sent.size());
        TestLakes.assertSilverIds(spark, lake, TestLakes.expectedSilverIds(sent));
        Set<String> invalidPayloads = new HashSet<>();
        sent.stream().filter(record -> record.kind().fate() == RecordKind.Fate.QUARANTINE).forEach(record -> invalidPayloads.add(latin1(record.payload())));
        List<String> quarantined = spark.sql("SELECT raw_payload FROM quarantine").collectAsList().stream().map(row -> latin1((byte[]) row.get(0))).toList();
        assertThat(quarantined).as("quarantine: every invalid record once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(quarantined)).isEqualTo(invalidPayloads);
        List<Row> audit = spark.sql("SELECT batch_id, records_read FROM ingest_audit").collectAsList();
        assertThat(audit).as("one audit row for the batch").hasSize(1);
        assertThat(audit.get(0).getLong(1)).isEqualTo(sent.size());
    }

    private static long count(SparkSession spark, String table)
    {
        return spark.sql("SELECT count(*) FROM " + table).first().getLong(0);
    }

    private static String latin1(byte[] bytes)
    {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
