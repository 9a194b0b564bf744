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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Generated archives of JSON-lines files, and what the generator meant for each of their records. */
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

    /** Event ids meant for silver, by silver table. */
    static Map<String, Set<String>> silverIds(List<ProducedRecord> records)
    {
        Map<String, Set<String>> ids = new HashMap<>();
        for (ProducedRecord record : records) {
            if (record.kind().fate() == RecordKind.Fate.SILVER) {
                ids.computeIfAbsent(table(record.dataset().orElseThrow()), ignored -> new HashSet<>()).add(record.eventId().orElseThrow());
            }
        }
        return ids;
    }

    static long count(List<ProducedRecord> records, RecordKind.Fate fate)
    {
        return records.stream().filter(record -> record.kind().fate() == fate).count();
    }

    static String table(String dataset)
    {
        return switch (dataset) {
            case "tennis.serve" -> "tennis_serves";
            case "tennis.point" -> "tennis_points";
            case "tennis.match" -> "tennis_match_status";
            default -> throw new IllegalArgumentException(dataset);
        };
    }
}
