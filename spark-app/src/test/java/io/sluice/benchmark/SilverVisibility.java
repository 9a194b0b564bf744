package io.sluice.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.table.SilverColumns;
import io.sluice.table.TableSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * When each silver row became visible: the Delta commit that added its data file, read from the table's own log.
 * A commit is visible once its {@code _delta_log/<version>.json} exists, so the file's modification time is the
 * moment (Delta writes it under a temporary name and renames it; the commit's {@code commitInfo.timestamp} is taken
 * before the data files are even listed, so it is earlier). The commit marker in {@code userMetadata}
 * ({@code sluice-commit <writer> <batch id>}) names the micro-batch. Local lakes only.
 */
final class SilverVisibility
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");

    /** One silver row: its event id, Kinesis arrival time, when its commit became visible, and the batch that wrote it. */
    record Sample(String eventId, long arrivalMillis, long visibleMillis, long batchId)
    {
        Sample
        {
            requireNonNull(eventId, "eventId is null");
        }
    }

    /** A commit that added data files: its version, the batch its marker names, and when it became visible. */
    record Commit(long version, long batchId, long visibleMillis)
    {
    }

    private SilverVisibility() {}

    /** Streams every row of the silver tables, with when it became visible, to {@code sink}. */
    static void forEachRow(SparkSession spark, Iterable<TableSpec> silverTables, Consumer<Sample> sink)
    {
        requireNonNull(sink, "sink is null");
        for (TableSpec table : silverTables) {
            Map<String, Commit> byFile = commitsByFile(Path.of(table.location()));
            if (byFile.isEmpty()) {
                continue;
            }
            Iterator<Row> rows = spark.read().format("delta").load(table.location())
                    .select(col(SilverColumns.EVENT_ID), col(SilverColumns.INGEST_ARRIVAL_TIME), col("_metadata.file_name"))
                    .toLocalIterator();
            while (rows.hasNext()) {
                Row row = rows.next();
                Commit commit = byFile.get(row.getString(2));
                if (commit == null) {
                    throw new IllegalStateException("Cannot find the commit that added %s to %s".formatted(row.getString(2), table.location()));
                }
                Timestamp arrival = row.getTimestamp(1);
                sink.accept(new Sample(row.getString(0), arrival == null ? commit.visibleMillis() : arrival.getTime(), commit.visibleMillis(), commit.batchId()));
            }
        }
    }

    /** Batch id to when the table's last commit of that batch became visible (epoch milliseconds), for any Sluice table. */
    static Map<Long, Long> visibleByBatch(Path table)
    {
        Map<Long, Long> byBatch = new HashMap<>();
        commitsByFile(table).values().forEach(commit -> byBatch.merge(commit.batchId(), commit.visibleMillis(), Math::max));
        return byBatch;
    }

    /** Data file name to the commit that added it, from every commit file of the table's log. */
    static Map<String, Commit> commitsByFile(Path table)
    {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            return Map.of();
        }
        Map<String, Commit> byFile = new HashMap<>();
        try (Stream<Path> files = Files.list(log)) {
            for (Path file : files.filter(path -> COMMIT_FILE.matcher(path.getFileName().toString()).matches()).toList()) {
                long version = Long.parseLong(file.getFileName().toString().substring(0, 20));
                long visible = Files.getLastModifiedTime(file).toMillis();
                long batchId = -1;
                List<String> added = new ArrayList<>();
                try (BufferedReader reader = Files.newBufferedReader(file)) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        JsonNode action = JSON.readTree(line);
                        if (action.has("add")) {
                            String path = action.get("add").get("path").asText();
                            added.add(path.substring(path.lastIndexOf('/') + 1));
                        }
                        else if (action.has("commitInfo") && action.get("commitInfo").hasNonNull("userMetadata")) {
                            String marker = action.get("commitInfo").get("userMetadata").asText();
                            batchId = Long.parseLong(marker.substring(marker.lastIndexOf(' ') + 1));
                        }
                    }
                }
                Commit commit = new Commit(version, batchId, visible);
                added.forEach(name -> byFile.put(name, commit));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Delta log of " + table, e);
        }
        return byFile;
    }
}
