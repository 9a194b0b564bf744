package io.sluice.testing;

import io.sluice.marts.GoldMarts;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.source.JsonLinesArchive;
import io.sluice.stream.BatchActivity;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A lake as the stream builds it from the seeded generator: a few JSON-lines files of the tennis feed (duplicates,
 * out-of-order, late and invalid records) streamed through the streaming job, so bronze, silver, quarantine and the
 * audit table all hold rows, then the gold marts built once. Deterministic contents for a seed.
 */
public record SeededLake(Path root, Lake lake, List<ProducedRecord> records, List<BatchReport> reports)
{
    public static SeededLake build(SparkSession spark, Path root, long seed, int files, int perFile)
            throws Exception
    {
        Path archive = root.resolve("archive");
        List<ProducedRecord> records = new ArrayList<>();
        // Event time spans about three hours, so hourly charts have more than one bar.
        TennisFeed feed = new TennisFeed(new FeedOptions(seed, 6, Instant.parse("2026-11-20T09:00:00Z"), files * perFile / 10_800.0,
                0.05, 0.05, 0.02, Duration.ofMinutes(40), 0.03, 70_000));
        try {
            Files.createDirectories(archive);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int file = 0; file < files; file++) {
            List<ProducedRecord> batch = feed.take(perFile);
            try (JsonLinesRecordWriter writer = new JsonLinesRecordWriter(archive.resolve("part-%03d.jsonl".formatted(file)))) {
                writer.write(batch);
            }
            records.addAll(batch);
        }
        Lake lake = TestLakes.lake(root, Map.of(
                "stream.watermark-delay", "20m",
                "spark.master", "local[2]",
                "spark.shuffle-partitions", "2"));
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, lake).start(
                JsonLinesArchive.fromLines(spark.readStream().option("maxFilesPerTrigger", 1).text(archive.toString())), report -> {
                    reports.add(report);
                    System.out.println("SeededLake: " + report.summaryLine());
                }, activity);
        StreamHarness.ingestThenStop(query, activity, reports, records.size(), Duration.ofMinutes(10));
        new GoldMarts(spark, lake, line -> { }).build();
        return new SeededLake(root, lake, List.copyOf(records), List.copyOf(reports));
    }
}
