package io.sluice.stream;

import io.sluice.local.KinesisMock;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.KinesisRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import io.sluice.source.kinesis.KinesisClients;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.StreamHarness;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice stream} as a separate JVM, started through bin/sluice: stopped by SIGTERM (exit 0, nothing lost), and
 * killed with SIGKILL while records flow, then restarted on the same checkpoint (nothing lost, nothing twice, in any
 * table). Checked on the tables' data: whole id sets, row counts, the audit's accounting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class StreamProcessIT
{
    private static final Instant START = Instant.parse("2026-11-21T12:00:00Z");

    private final Path home = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    private KinesisMock mock;
    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
        mock = KinesisMock.start(home);
    }

    @AfterAll
    void stop()
    {
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void sigtermStopsAfterTheBatchAndExitsZero(@TempDir Path work)
            throws Exception
    {
        String stream = "sigterm-test";
        mock.createStream(stream, 2);
        List<ProducedRecord> sent = new TennisFeed(feed(21)).take(1200);
        Process job = startJob(stream, work, work.resolve("first.out"));
        try {
            put(stream, sent);
            StreamHarness.awaitAudited(job, spark, audit(work), sent.size(), Duration.ofMinutes(4));
            job.destroy();
            assertThat(job.waitFor(2, TimeUnit.MINUTES)).as("stopped within two minutes").isTrue();
            assertThat(job.exitValue()).as(Files.readString(work.resolve("first.out"))).isZero();
            assertThat(Files.readString(work.resolve("first.out"))).contains("sluice stream: stopped after the last complete micro-batch");
        }
        finally {
            job.destroyForcibly();
        }
        assertLake(work, sent);
    }

    @Test
    void killedMidStreamAndRestartedLosesNothingAndWritesNothingTwice(@TempDir Path work)
            throws Exception
    {
        String stream = "crash-test";
        mock.createStream(stream, 2);
        TennisFeed feed = new TennisFeed(feed(33));
        List<ProducedRecord> sent = new ArrayList<>();

        Process first = startJob(stream, work, work.resolve("first.out"));
        try {
            List<ProducedRecord> before = feed.take(1500);
            put(stream, before);
            sent.addAll(before);
            // Wait for a first committed batch, then keep records coming and kill the JVM while it works on them.
            StreamHarness.awaitAudited(first, spark, audit(work), 1, Duration.ofMinutes(4));
            List<ProducedRecord> during = feed.take(1500);
            put(stream, during);
            sent.addAll(during);
            first.destroyForcibly();
            assertThat(first.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        finally {
            first.destroyForcibly();
        }
        long ingestedAtKill = StreamHarness.audited(spark, audit(work));
        assertThat(ingestedAtKill).as("killed before everything was ingested").isLessThan(sent.size());

        // After the restart: new records, and exact re-sends of records the first run had already read.
        List<ProducedRecord> after = new ArrayList<>(feed.take(500));
        sent.stream()
                .filter(original -> original.kind().fate() == RecordKind.Fate.SILVER)
                .limit(100)
                .forEach(original -> after.add(new ProducedRecord(original.partitionKey(), original.payload(), RecordKind.DUPLICATE,
                        original.eventId(), original.dataset())));
        Process second = startJob(stream, work, work.resolve("second.out"));
        try {
            put(stream, after);
            sent.addAll(after);
            StreamHarness.awaitAudited(second, spark, audit(work), sent.size(), Duration.ofMinutes(4));
            second.destroy();
            assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(second.exitValue()).as(Files.readString(work.resolve("second.out"))).isZero();
        }
        finally {
            second.destroyForcibly();
        }
        assertLake(work, sent);
    }

    private void assertLake(Path work, List<ProducedRecord> sent)
    {
        Path lake = work.resolve("lake");
        Set<String> expectedSilver = new HashSet<>();
        long invalid = 0;
        for (ProducedRecord record : sent) {
            switch (record.kind().fate()) {
                case SILVER -> expectedSilver.add(record.eventId().orElseThrow());
                case QUARANTINE -> invalid++;
                case DUPLICATE -> { }
            }
        }
        List<String> silverIds = new ArrayList<>();
        for (String table : List.of("tennis_serves", "tennis_points", "tennis_match_status")) {
            spark.read().format("delta").load(lake.resolve("silver").resolve(table).toString()).select("event_id").collectAsList()
                    .forEach(row -> silverIds.add(row.getString(0)));
        }
        assertThat(silverIds).as("no event id twice in silver").doesNotHaveDuplicates();
        Set<String> missing = new HashSet<>(expectedSilver);
        silverIds.forEach(missing::remove);
        Set<String> unexpected = new HashSet<>(silverIds);
        unexpected.removeAll(expectedSilver);
        assertThat(missing).as("valid events missing from silver (of %d)", expectedSilver.size()).isEmpty();
        assertThat(unexpected).as("events in silver that were not sent as valid").isEmpty();
        assertThat(count(lake.resolve("bronze/raw_events"))).as("bronze holds each record read once").isEqualTo(sent.size());
        assertThat(count(lake.resolve("quarantine/quarantine"))).isEqualTo(invalid);
        Row totals = spark.read().format("delta").load(lake.resolve("audit/ingest_audit").toString())
                .selectExpr("sum(records_read)", "sum(silver_rows)", "sum(duplicates)", "sum(quarantined)", "count(*)", "count(DISTINCT batch_id)")
                .first();
        assertThat(totals.getLong(0)).isEqualTo(sent.size());
        assertThat(totals.getLong(1)).isEqualTo(expectedSilver.size());
        assertThat(totals.getLong(0)).isEqualTo(totals.getLong(1) + totals.getLong(2) + totals.getLong(3));
        assertThat(totals.getLong(4)).as("one audit row per batch").isEqualTo(totals.getLong(5));
    }

    private static Path audit(Path work)
    {
        return work.resolve("lake/audit/ingest_audit");
    }

    private long count(Path table)
    {
        return spark.read().format("delta").load(table.toString()).count();
    }

    private Process startJob(String stream, Path work, Path output)
            throws IOException
    {
        return new ProcessBuilder(List.of(home.resolve("bin/sluice").toString(), "stream",
                "--set", "source.endpoint=" + mock.endpoint(),
                "--set", "source.stream-name=" + stream,
                "--set", "lake.root=" + work.resolve("lake"),
                "--set", "lake.checkpoint-root=" + work.resolve("checkpoints"),
                "--set", "stream.trigger-interval=300ms",
                "--set", "stream.watermark-delay=5m",
                // The feed's oversized records are 20 KB: below the default limit they would be valid.
                "--set", "stream.max-record-bytes=16384",
                "--set", "spark.master=local[2]",
                "--set", "spark.shuffle-partitions=2"))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    private void put(String stream, List<ProducedRecord> records)
    {
        try (KinesisRecordWriter writer = new KinesisRecordWriter(KinesisClients.create(mock.clientSettings()), stream)) {
            writer.write(records);
        }
    }

    private static FeedOptions feed(long seed)
    {
        return new FeedOptions(seed, 6, START, 500, 0.10, 0.05, 0.02, Duration.ofMinutes(10), 0.04, 20_000);
    }
}
