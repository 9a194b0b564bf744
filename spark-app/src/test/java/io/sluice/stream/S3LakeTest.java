package io.sluice.stream;

import io.sluice.testing.StreamHarness;
import io.sluice.testing.TestLakes;

import io.sluice.lake.Lake;

import io.sluice.config.SluiceConfig;
import io.sluice.local.KinesisMock;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.KinesisRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.source.kinesis.KinesisClients;
import io.sluice.spark.SparkSessions;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.LocalS3;
import io.sluice.testing.SharedSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming job with its lake and its checkpoint on S3 ({@code s3a://}, s3proxy on loopback): generated events
 * with duplicates, late and invalid records, a graceful stop, then a restart on the same checkpoint with new data.
 * Every valid id lands in silver once, every record in bronze once, and the audit balances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class S3LakeTest
{
    private static final String STREAM = "s3-lake-test";
    private static final String BUCKET = "sluice-lake";
    // S3A's credential chain for local runs (SparkSessions) is the AWS SDK's default chain; its first link reads these.
    private static final Map<String, String> CREDENTIAL_PROPERTIES = Map.of(
            "aws.accessKeyId", LocalS3.ACCESS_KEY,
            "aws.secretAccessKey", LocalS3.SECRET_KEY);

    private SparkSession spark;
    private LocalS3 s3;
    private KinesisMock mock;
    private SluiceConfig config;
    private final Map<String, Optional<String>> replacedProperties = new HashMap<>();

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
        s3 = LocalS3.start(BUCKET);
        mock = KinesisMock.start(Path.of(System.getProperty("sluice.home", ".")));
        mock.createStream(STREAM, 2);
        config = SluiceConfig.defaults().with(Map.ofEntries(
                Map.entry("source.endpoint", mock.endpoint().toString()),
                Map.entry("source.stream-name", STREAM),
                Map.entry("lake.root", "s3a://%s/lake".formatted(BUCKET)),
                Map.entry("lake.checkpoint-root", "s3a://%s/checkpoints".formatted(BUCKET)),
                Map.entry("lake.s3.endpoint", s3.endpoint().toString()),
                Map.entry("lake.s3.region", "us-east-1"),
                Map.entry("lake.s3.path-style-access", "true"),
                Map.entry("stream.trigger-interval", "1s"),
                Map.entry("stream.watermark-delay", "30s"),
                Map.entry("stream.max-record-bytes", "65536"),
                Map.entry("spark.shuffle-partitions", "2")));
        CREDENTIAL_PROPERTIES.forEach((name, value) -> replacedProperties.put(name, Optional.ofNullable(System.setProperty(name, value))));
        // The shared session exists already, so the settings SparkSessions.builder would pass as spark.hadoop.* go
        // straight into its Hadoop configuration, before anything opens the bucket.
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        SparkSessions.s3aSettings(config).forEach(hadoop::set);
    }

    @AfterAll
    void stop()
            throws IOException
    {
        replacedProperties.forEach((name, previous) -> previous.ifPresentOrElse(value -> System.setProperty(name, value), () -> System.clearProperty(name)));
        if (config != null) {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            // Closing the cached S3A client keeps it from outliving the server; the settings go with it.
            FileSystem.get(URI.create("s3a://" + BUCKET + "/"), hadoop).close();
            SparkSessions.s3aSettings(config).keySet().forEach(hadoop::unset);
        }
        if (mock != null) {
            mock.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void streamsIntoDeltaOnS3AndResumesFromItsS3Checkpoint()
            throws Exception
    {
        Duration watermark = Duration.ofSeconds(30);
        FeedOptions options = new FeedOptions(11, 4, Instant.parse("2026-11-21T10:00:00Z"), 200,
                0.10, 0.05, 0.03, watermark.multipliedBy(2), 0.04, 70_000);
        TennisFeed feed = new TennisFeed(options);
        Lake lake = Lake.of(config);
        List<ProducedRecord> sent = new ArrayList<>();
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        try (KinesisRecordWriter writer = new KinesisRecordWriter(KinesisClients.create(mock.clientSettings()), STREAM)) {
            // Records written before each start, so that each run reads them in as few batches as possible (2 cores).
            sent.addAll(write(writer, feed.take(600)));
            BatchActivity firstActivity = new BatchActivity();
            StreamingQuery first = new StreamingJob(spark, lake).start(reports::add, firstActivity);
            StreamHarness.ingestThenStop(first, firstActivity, reports, sent.size(), Duration.ofMinutes(3));
            UUID firstQuery = first.id();
            assertThat(s3.exists(BUCKET, "checkpoints/sluice-ingest/v3/offsets/0")).as("the checkpoint is in the bucket").isTrue();
            assertThat(s3.exists(BUCKET, "lake/bronze/raw_events/_delta_log/00000000000000000000.json")).as("the tables are in the bucket").isTrue();

            // New records arrive while the job is down, among them re-sends of first-run events and events late by
            // twice the watermark (restored from the checkpoint): the restarted job reads them once, drops the
            // re-sends with the dedup state it reads back from S3, and merges the late ones.
            sent.addAll(write(writer, feed.take(600)));
            BatchActivity secondActivity = new BatchActivity();
            StreamingQuery second = new StreamingJob(spark, lake).start(reports::add, secondActivity);
            StreamHarness.ingestThenStop(second, secondActivity, reports, sent.size(), Duration.ofMinutes(3));
            UUID secondQuery = second.id();
            assertThat(secondQuery).as("restarted on the same checkpoint").isEqualTo(firstQuery);
        }

        assertThat(reports).allSatisfy(report -> assertThat(report.balanced()).as(report.summaryLine()).isTrue());
        Collection<BatchReport> batches = StreamHarness.byBatch(reports).values();
        assertThat(batches.stream().mapToLong(BatchReport::recordsRead).sum()).as("each record read once").isEqualTo(sent.size());
        assertThat(batches.stream().mapToLong(BatchReport::late).sum()).as("late events took the MERGE path").isPositive();

        lake.registerViews(spark);
        TestLakes.assertSilverIds(spark, lake, TestLakes.expectedSilverIds(sent));
        List<String> invalid = sent.stream().filter(record -> record.kind().fate() == RecordKind.Fate.QUARANTINE).map(record -> latin1(record.payload())).toList();
        List<String> quarantined = spark.sql("SELECT raw_payload FROM quarantine").collectAsList().stream().map(row -> latin1((byte[]) row.get(0))).toList();
        assertThat(quarantined).as("quarantine holds the invalid records, once, bytes unchanged").containsExactlyInAnyOrderElementsOf(invalid);
        assertThat(spark.sql("SELECT count(*) FROM raw_events").first().getLong(0)).isEqualTo(sent.size());
        Row totals = spark.sql("SELECT sum(records_read), sum(silver_rows), sum(duplicates), sum(quarantined), count(*), count(DISTINCT batch_id) FROM ingest_audit").first();
        assertThat(totals.getLong(0)).isEqualTo(sent.size());
        assertThat(totals.getLong(1) + totals.getLong(2) + totals.getLong(3)).isEqualTo(sent.size());
        assertThat(totals.getLong(2)).isEqualTo(sent.stream().filter(record -> record.kind() == RecordKind.DUPLICATE).count());
        assertThat(totals.getLong(4)).as("one audit row per batch").isEqualTo(totals.getLong(5));
    }

    private static List<ProducedRecord> write(KinesisRecordWriter writer, List<ProducedRecord> records)
    {
        writer.write(records);
        return records;
    }

    private static String latin1(byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
