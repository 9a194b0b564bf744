package io.sluice.stream;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SourceConnector;
import io.sluice.lake.Lake;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.source.kinesis.KinesisSourceOptions;
import io.sluice.table.SilverColumns;
import io.sluice.table.TableSpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.FileStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_date;

/**
 * Moves a streaming query from a checkpoint of an earlier dedup state layout (the newest of
 * {@link io.sluice.table.LakeLayout#previousCheckpoints}: {@code v2}, one timer per id; the query's directory, the
 * first dedup on {@code flatMapGroupsWithState}) to one of the current layout ({@code v3}, ids in slots) without
 * letting an event id into silver twice (G2). Spark cannot restart a checkpoint whose stateful operator keeps its
 * state another way, so the new query has a checkpoint of its own, started at batch 0, and inherits three things:
 * <ul>
 *   <li>where to read: the Kinesis positions where the old query's last committed batch stopped
 *   ({@link KinesisSourceOptions#CONTINUE_OFFSET}), so no record is read twice or skipped;</li>
 *   <li>what it has seen: the ids of every silver table with an event time at or after the old query's watermark,
 *   as the operator's initial state (which Spark applies in batch 0 only);</li>
 *   <li>what is late: that watermark, below which events are LATE whatever the new query's own watermark (which
 *   starts from nothing), so an id too old to be in the initial state goes through the late MERGE against silver.</li>
 * </ul>
 * These facts are fixed once, in {@code v3/sluice-migration.json}, before the new query first starts: a batch 0 that
 * is run again after a crash gets the same start and the same initial state (silver read at the versions recorded),
 * and every later start the same late bound. The old checkpoint is only read.
 */
final class DedupMigration
{
    static final String PLAN_FILE = "sluice-migration.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param legacyCheckpoint the old query's checkpoint
     * @param lastBatch its last committed batch
     * @param lateBeforeMillis the watermark that batch ran with
     * @param sourceOffset that batch's source offset, as the offsets log holds it
     * @param silverVersions each silver table's version (by table name) when the migration was planned
     */
    record Plan(String legacyCheckpoint, long lastBatch, long lateBeforeMillis, String sourceOffset, Map<String, Long> silverVersions)
    {
        Plan
        {
            requireNonNull(legacyCheckpoint, "legacyCheckpoint is null");
            requireNonNull(sourceOffset, "sourceOffset is null");
            silverVersions = Map.copyOf(requireNonNull(silverVersions, "silverVersions is null"));
        }

        /** Reader options that start the Kinesis source where the old query stopped. */
        Map<String, String> sourceOptions()
        {
            return Map.of(KinesisSourceOptions.CONTINUE_OFFSET, sourceOffset,
                    KinesisSourceOptions.CONTINUE_CHECKPOINT, new Path(new Path(legacyCheckpoint, "sources"), "0").toString());
        }

        /**
         * The initial state: the ids of every silver table (at the recorded versions) whose event time is at or after
         * the late bound. One day more is read than the bound's date, whatever day boundary the partitions use.
         */
        Dataset<Row> seed(SparkSession spark, Map<String, TableSpec> silver)
        {
            Dataset<Row> ids = null;
            for (Map.Entry<String, Long> table : new TreeMap<>(silverVersions).entrySet()) {
                TableSpec spec = requireNonNull(silver.get(table.getKey()), () -> "Cannot seed the dedup state: no silver table " + table.getKey());
                Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", table.getValue()).load(spec.location())
                        .where(col(SilverColumns.EVENT_DATE).geq(date_sub(to_date(timestamp_millis(lit(lateBeforeMillis))), 1))
                                .and(col(SilverColumns.EVENT_TIME).geq(timestamp_millis(lit(lateBeforeMillis)))))
                        .select(SilverColumns.EVENT_ID, SilverColumns.EVENT_TIME);
                ids = ids == null ? rows : ids.unionAll(rows);
            }
            if (ids == null) {
                throw new IllegalStateException("Cannot seed the dedup state: the lake has no silver table");
            }
            return EventDeduplicator.seedState(ids);
        }
    }

    private DedupMigration() {}

    /**
     * The migration this query is in, if any: planned now when the query has an old checkpoint and none of its own yet
     * (the silver tables must exist), read back when planned before.
     *
     * @throws IllegalStateException when the old checkpoint cannot be continued exactly (a batch planned but not
     * committed, or a connector that cannot start at given positions)
     */
    static Optional<Plan> prepare(SparkSession spark, Lake lake)
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(lake, "lake is null");
        String queryName = lake.config().value(ConfigKeys.STREAM_QUERY_NAME);
        Path checkpoint = new Path(lake.layout().checkpoint(queryName));
        Path planFile = new Path(checkpoint, PLAN_FILE);
        try {
            FileSystem fs = checkpoint.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(planFile)) {
                return Optional.of(read(fs, planFile));
            }
            if (fs.exists(new Path(checkpoint, "offsets"))) {
                // A query of the current layout: nothing to continue.
                return Optional.empty();
            }
            Optional<Path> previous = previous(fs, lake, queryName);
            if (previous.isEmpty()) {
                return Optional.empty();
            }
            Plan plan = plan(spark, lake, fs, previous.get());
            write(fs, planFile, plan);
            return Optional.of(plan);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the streaming checkpoints under " + checkpoint.getParent(), e);
        }
    }

    /**
     * The newest earlier checkpoint that planned a batch. One that planned none (a migration to it prepared, the
     * query never run) holds no position and no state, so the one before it is continued instead.
     */
    private static Optional<Path> previous(FileSystem fs, Lake lake, String queryName)
            throws IOException
    {
        for (String location : lake.layout().previousCheckpoints(queryName)) {
            Path previous = new Path(location);
            if (latestBatch(fs, new Path(previous, "offsets")) >= 0) {
                return Optional.of(previous);
            }
        }
        return Optional.empty();
    }

    /** Whether the new query has committed its first batch, the one that applies the initial state. */
    static boolean seeded(SparkSession spark, Lake lake)
    {
        Path firstCommit = new Path(new Path(lake.layout().checkpoint(lake.config().value(ConfigKeys.STREAM_QUERY_NAME)), "commits"), "0");
        try {
            return firstCommit.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(firstCommit);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the streaming checkpoint at " + firstCommit, e);
        }
    }

    /**
     * For a query whose source is not the configured Kinesis stream (archives, tests): it cannot start where another
     * checkpoint stopped, so an old checkpoint is refused instead of being silently left behind.
     */
    static void refuseLegacy(SparkSession spark, Lake lake)
    {
        String queryName = lake.config().value(ConfigKeys.STREAM_QUERY_NAME);
        Path checkpoint = new Path(lake.layout().checkpoint(queryName));
        try {
            FileSystem fs = checkpoint.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(new Path(checkpoint, "offsets"))) {
                return;
            }
            Optional<Path> previous = previous(fs, lake, queryName);
            if (previous.isPresent()) {
                throw new IllegalStateException(("Cannot migrate the checkpoint %s to the current dedup state layout: this query's source cannot "
                        + "continue from another checkpoint's offsets (only the sluice Kinesis source can)").formatted(previous.get()));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the streaming checkpoints under " + checkpoint.getParent(), e);
        }
    }

    private static Plan plan(SparkSession spark, Lake lake, FileSystem fs, Path legacy)
            throws IOException
    {
        if (lake.config().value(ConfigKeys.SOURCE_CONNECTOR) != SourceConnector.SLUICE) {
            throw new IllegalStateException(("Cannot migrate the checkpoint %s to the current dedup state layout with source.connector=%s: that "
                    + "connector cannot start at another checkpoint's positions (docs/decisions.md, D3)")
                    .formatted(legacy, lake.config().value(ConfigKeys.SOURCE_CONNECTOR).configName()));
        }
        long planned = latestBatch(fs, new Path(legacy, "offsets"));
        long committed = latestBatch(fs, new Path(legacy, "commits"));
        if (planned != committed) {
            throw new IllegalStateException(("Cannot migrate the checkpoint %s to the current dedup state layout: its batch %d was planned but not "
                    + "committed. Start the previous Sluice version on it until that batch is committed, stop it gracefully, then start this "
                    + "version").formatted(legacy, planned));
        }
        // Spark's offsets log entry: a version line, the batch's metadata (its watermark), then one line per source.
        List<String> lines = lines(fs, new Path(new Path(legacy, "offsets"), Long.toString(committed)));
        if (lines.size() != 3 || !lines.get(0).equals("v1") || lines.get(2).equals("-")) {
            throw new IllegalStateException("Cannot migrate the checkpoint %s: expected a v1 offsets entry with one source for batch %d, found %s"
                    .formatted(legacy, committed, lines));
        }
        JsonNode metadata = MAPPER.readTree(lines.get(1));
        long watermark = metadata.path("batchWatermarkMs").asLong(0);
        Map<String, Long> versions = new TreeMap<>();
        lake.tables().silver().forEach((name, spec) -> versions.put(name,
                DeltaTable.forPath(spark, spec.location()).history(1).select("version").first().getLong(0)));
        return new Plan(legacy.toString(), committed, watermark, lines.get(2), versions);
    }

    /** The newest batch of one of Spark's checkpoint logs (files named by batch number), -1 when it has none. */
    private static long latestBatch(FileSystem fs, Path log)
            throws IOException
    {
        long latest = -1;
        if (!fs.exists(log)) {
            return latest;
        }
        for (FileStatus file : fs.listStatus(log)) {
            String name = file.getPath().getName();
            if (name.matches("[0-9]+")) {
                latest = Math.max(latest, Long.parseLong(name));
            }
        }
        return latest;
    }

    private static List<String> lines(FileSystem fs, Path file)
            throws IOException
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }

    private static Plan read(FileSystem fs, Path file)
            throws IOException
    {
        try (InputStream in = fs.open(file)) {
            return MAPPER.readValue(in, Plan.class);
        }
    }

    /** Written to a temporary name and renamed, so a start that dies half-way leaves no half a plan. */
    private static void write(FileSystem fs, Path file, Plan plan)
            throws IOException
    {
        Path temporary = new Path(file.getParent(), "." + file.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(temporary, true)) {
            out.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(plan).getBytes(StandardCharsets.UTF_8));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the migration plan " + file, e);
        }
        if (!fs.rename(temporary, file)) {
            throw new IOException("Cannot rename " + temporary + " to " + file);
        }
    }
}
