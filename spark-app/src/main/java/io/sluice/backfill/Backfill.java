package io.sluice.backfill;

import io.sluice.config.UsageException;

import io.sluice.config.ConfigKeys;
import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EnforcedBatch;
import io.sluice.pipeline.EnvelopeColumns;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.table.RawRecordColumns;
import io.sluice.sink.BatchReport;
import io.sluice.sink.CommitMarkers;
import io.sluice.sink.LakeWriter;
import io.sluice.sink.LogCheckpoints;
import io.sluice.lake.Lake;
import io.sluice.lake.StreamWriterCheck;
import io.sluice.spark.LocalCheckpoint;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Reprocesses a time range of raw records through the stream's own transformation (envelope parsing, dedup on the
 * event id, contract enforcement) and merges the result into the lake: silver through an insert-only MERGE on the
 * event id restricted to the partitions touched, quarantine through an insert-only MERGE on the raw payload. Running
 * it again, or over events the stream already wrote, inserts nothing.
 *
 * <p>A record's time is its event time, else (unparseable records) its arrival time; records with neither, bad lines
 * of an archive, belong to every range of that archive. The input is parsed and routed once, then written in slices
 * of whole event-time hours, so that a long run reports progress and bounds each MERGE.
 *
 * <p>Running beside the stream is safe by design: the backfill only writes event times below the stream's watermark
 * ({@link StreamHorizon}), which the stream itself can only write through its late path, a MERGE; Delta's conflict
 * detection then orders the two MERGEs on a partition and the loser retries against the winner's rows.
 */
public final class Backfill
{
    public static final String RUN_PREFIX = "backfill:";
    private static final String SLICE_TIME = "__slice_time";
    private static final String HOUR = "hour";

    private final SparkSession spark;
    private final Lake lake;
    private final Consumer<String> progress;
    private final Clock clock;

    public Backfill(SparkSession spark, Lake lake, Consumer<String> progress, Clock clock)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public BackfillResult run(BackfillRequest request)
    {
        requireNonNull(request, "request is null");
        lake.contracts().checkDatasets(request.datasets(), "--dataset");
        if (!request.dryRun()) {
            StreamWriterCheck.checkBatchJobMayWrite(spark, lake, "backfill", clock);
        }
        lake.createOrEvolveTables(spark);
        StreamHorizon horizon = StreamHorizon.read(spark, lake.tables(), lake.config().value(ConfigKeys.STREAM_WATERMARK_DELAY));
        Optional<Instant> lateBefore = horizon.lateBefore();
        if (!request.ignoreStreamHorizon() && lateBefore.isPresent() && request.range().to().isAfter(lateBefore.get())) {
            throw new UsageException(("Cannot use --to %s: the stream writing this lake is at watermark %s (newest event %s minus "
                    + "stream.watermark-delay), and events after it may still be appended by the stream without checking silver. "
                    + "Use --to %s or earlier, or --ignore-stream-horizon if no stream will write these event times.")
                    .formatted(request.range().to(), lateBefore.get(), horizon.maxEventTime().orElseThrow(), lateBefore.get().truncatedTo(ChronoUnit.SECONDS)));
        }

        Instant startedAt = clock.instant();
        String runId = RUN_PREFIX + UUID.randomUUID();
        Dataset<Row> parsed = lake.enforcer()
                .parse(request.source().read(spark, lake.tables(), horizon.lastBatchStartedAt()));
        Column time = coalesce(col(EnvelopeColumns.EVENT_TIME), col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP));
        Dataset<Row> selected = parsed.filter(request.range().contains(time).or(time.isNull()));
        if (!request.datasets().isEmpty()) {
            selected = selected.filter(EnvelopeColumns.dataset().isin(request.datasets().toArray()));
        }
        Dataset<Row> labelled = EventDeduplicator.labelBatch(selected).withColumn(SLICE_TIME, time);
        // Materialized as a local checkpoint, not a cache: what is built on it plans against a leaf (LocalCheckpoint).
        LocalCheckpoint materialized = LocalCheckpoint.of(lake.enforcer().route(labelled, lit(Timestamp.from(startedAt))));
        Dataset<Row> routed = materialized.rows();
        try {
            List<Slice> slices = plan(routed, request.sliceRecords());
            long total = slices.stream().mapToLong(Slice::records).sum();
            progress.accept("backfill %s: %,d records in %s from %s, %d slice%s (parsed, deduplicated and routed in %.1f s)".formatted(
                    runId.substring(RUN_PREFIX.length()), total, request.range(), request.source(), slices.size(), slices.size() == 1 ? "" : "s",
                    Duration.between(startedAt, clock.instant()).toMillis() / 1000.0));
            Totals totals = new Totals();
            LakeWriter writer = new LakeWriter(spark, lake.tables(), new CommitMarkers(spark, startedAt), runId);
            Instant writingFrom = clock.instant();
            long done = 0;
            try (LogCheckpoints checkpoints = new LogCheckpoints(spark, lake.config().value(ConfigKeys.LAKE_LOG_CHECKPOINT_INTERVAL))) {
                for (Slice slice : slices) {
                    Instant sliceStart = clock.instant();
                    SliceResult result = write(routed.filter(slice.selects(col(SLICE_TIME))), slice, writer, request.dryRun());
                    totals.add(result);
                    if (!request.dryRun()) {
                        BatchReport report = new BatchReport(slice.index(), slice.records(), result.silverInserted(),
                                slice.duplicates() + result.silverAlreadyPresent() + result.quarantineAlreadyPresent(), 0, result.quarantined(), List.of(),
                                Optional.empty(), Optional.empty(), sliceStart, Duration.between(sliceStart, clock.instant()), false);
                        writer.writeAudit(slice.index(), report);
                        checkpoints.writeDue(lake.tables().all());
                    }
                    done += slice.records();
                    progress.accept(progressLine(slice, slices.size(), done, total, Duration.between(writingFrom, clock.instant())));
                }
            }
            return new BackfillResult(total, totals.silverInserted, totals.silverAlreadyPresent, totals.duplicates, totals.quarantined,
                    totals.quarantineAlreadyPresent, slices.size(), Duration.between(startedAt, clock.instant()),
                    spark.sparkContext().defaultParallelism(), request.dryRun());
        }
        finally {
            materialized.close();
        }
    }

    private SliceResult write(Dataset<Row> rows, Slice slice, LakeWriter writer, boolean dryRun)
    {
        EnforcedBatch batch = lake.enforcer().split(rows.filter(col(EventDeduplicator.STATUS_COLUMN).isin(DedupStatus.NEW.name(), DedupStatus.UNKEYED.name())));
        long quarantineCandidates = batch.quarantine().count();
        if (dryRun) {
            Map<String, Long> candidates = new TreeMap<>();
            batch.silver().forEach((table, tableRows) -> candidates.put(table, tableRows.count()));
            return new SliceResult(candidates, 0, slice.duplicates(), quarantineCandidates, 0);
        }
        LakeWriter.Inserted inserted = writer.insertMissing("backfill", slice.index(), batch.silver());
        long quarantined = quarantineCandidates == 0 ? 0 : writer.insertMissingQuarantine(batch.quarantine());
        return new SliceResult(inserted.silverRows(), inserted.alreadyPresent(), slice.duplicates(), quarantined, quarantineCandidates - quarantined);
    }

    /** Consecutive event-time hours grouped into slices of at least {@code sliceRecords}; records without a time last. */
    private static List<Slice> plan(Dataset<Row> routed, long sliceRecords)
    {
        Column duplicate = when(col(EventDeduplicator.STATUS_COLUMN).equalTo(DedupStatus.DUPLICATE.name()), 1L).otherwise(0L);
        List<Row> hours = routed.groupBy(date_trunc(HOUR, col(SLICE_TIME)).as(HOUR))
                .agg(count(lit(1)), sum(duplicate))
                .orderBy(col(HOUR).asc_nulls_last())
                .collectAsList();
        List<Slice> slices = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        long records = 0;
        long duplicates = 0;
        for (Row hour : hours) {
            if (hour.isNullAt(0)) {
                if (records > 0) {
                    slices.add(new Slice(slices.size(), Optional.of(start), Optional.of(end), records, duplicates));
                    records = 0;
                    duplicates = 0;
                }
                slices.add(new Slice(slices.size(), Optional.empty(), Optional.empty(), hour.getLong(1), hour.getLong(2)));
                continue;
            }
            Instant hourStart = ((Timestamp) hour.get(0)).toInstant();
            if (records == 0) {
                start = hourStart;
            }
            end = hourStart.plus(Duration.ofHours(1));
            records += hour.getLong(1);
            duplicates += hour.getLong(2);
            if (records >= sliceRecords) {
                slices.add(new Slice(slices.size(), Optional.of(start), Optional.of(end), records, duplicates));
                records = 0;
                duplicates = 0;
            }
        }
        if (records > 0) {
            slices.add(new Slice(slices.size(), Optional.of(start), Optional.of(end), records, duplicates));
        }
        slices.sort(java.util.Comparator.comparing(slice -> slice.start().isEmpty()));
        List<Slice> numbered = new ArrayList<>();
        for (Slice slice : slices) {
            numbered.add(new Slice(numbered.size(), slice.start(), slice.end(), slice.records(), slice.duplicates()));
        }
        return numbered;
    }

    private static String progressLine(Slice slice, int slices, long done, long total, Duration elapsed)
    {
        double rate = done / Math.max(elapsed.toMillis() / 1000.0, 0.001);
        long remainingSeconds = rate == 0 ? 0 : Math.round((total - done) / rate);
        return "backfill: slice %d/%d %s %,d records | %.1f%% | %,.0f records/s | ETA %d:%02d".formatted(
                slice.index() + 1, slices, slice, slice.records(), total == 0 ? 100.0 : 100.0 * done / total, rate,
                remainingSeconds / 60, remainingSeconds % 60);
    }

    /**
     * One unit of work: a run of event-time hours [start, end), or the records without a time (both empty).
     *
     * @param duplicates copies of an event id already taken by an earlier copy in the input
     */
    private record Slice(int index, Optional<Instant> start, Optional<Instant> end, long records, long duplicates)
    {
        Column selects(Column time)
        {
            if (start.isEmpty()) {
                return time.isNull();
            }
            return time.geq(lit(Timestamp.from(start.get()))).and(time.lt(lit(Timestamp.from(end.orElseThrow()))));
        }

        @Override
        public String toString()
        {
            return start.isEmpty() ? "(records without a time)" : "[" + start.get() + ", " + end.orElseThrow() + ")";
        }
    }

    private record SliceResult(Map<String, Long> silverInserted, long silverAlreadyPresent, long duplicates, long quarantined,
            long quarantineAlreadyPresent) {}

    private static final class Totals
    {
        private final Map<String, Long> silverInserted = new TreeMap<>();
        private long silverAlreadyPresent;
        private long duplicates;
        private long quarantined;
        private long quarantineAlreadyPresent;

        void add(SliceResult result)
        {
            result.silverInserted().forEach((table, rows) -> silverInserted.merge(table, rows, Long::sum));
            silverAlreadyPresent += result.silverAlreadyPresent();
            duplicates += result.duplicates();
            quarantined += result.quarantined();
            quarantineAlreadyPresent += result.quarantineAlreadyPresent();
        }
    }
}
