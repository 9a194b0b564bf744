package io.sluice.backfill;

import io.sluice.produce.FeedOptions;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Generated archives of JSON-lines files (what the generator meant for silver: {@code TestLakes.expectedSilverIds}). */
final class Archives
{
    private Archives() {}

    /**
     * Writes {@code files} gzip files of {@code perFile} records each from one feed: 10% duplicates, 5% out of order,
     * 3% late by {@code lateBy}, 5% invalid.
     */
    static List<ProducedRecord> write(Path directory, int files, int perFile, Instant start, double eventsPerSecond, Duration lateBy)
    {
        TennisFeed feed = new TennisFeed(new FeedOptions(11, 8, start, eventsPerSecond, 0.10, 0.05, 0.03, lateBy, 0.05, 70_000));
        List<ProducedRecord> records = new ArrayList<>();
        for (int file = 0; file < files; file++) {
            List<ProducedRecord> batch = feed.take(perFile);
            try (JsonLinesRecordWriter writer = new JsonLinesRecordWriter(directory.resolve("part-%03d.jsonl.gz".formatted(file)))) {
                writer.write(batch);
            }
            records.addAll(batch);
        }
        return records;
    }

    static long count(List<ProducedRecord> records, RecordKind.Fate fate)
    {
        return records.stream().filter(record -> record.kind().fate() == fate).count();
    }
}
