package io.sluice.stream;

import io.sluice.config.LatePolicy;
import io.sluice.pipeline.ContractEnforcer;
import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EnforcedBatch;
import io.sluice.pipeline.EnvelopeColumns;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.pipeline.LateEvents;
import io.sluice.table.RawRecordColumns;
import io.sluice.sink.BatchReport;
import io.sluice.sink.CommitMarkers;
import io.sluice.sink.LakeWriter;
import io.sluice.sink.LogCheckpoints;
import io.sluice.table.BronzeRecords;
import io.sluice.sink.ShardRange;
import io.sluice.spark.LocalCheckpoint;
import io.sluice.table.SluiceTables;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.udf;

/**
 * Writes one micro-batch of labelled and routed records (see {@link EventDeduplicator}, {@link ContractEnforcer#route})
 * to every table, exactly once:
 * bronze gets all records, silver the new and late-but-unseen events, quarantine the invalid ones, and the audit
 * log one row with the batch's offsets and accounting. Each table write is idempotent on (query id, batch id), so a
 * batch Spark re-executes after a crash writes nothing twice.
 */
public final class MicroBatchProcessor
        implements VoidFunction2<Dataset<Row>, Long>
{
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(MicroBatchProcessor.class);
    /** Spark sets this local property on the thread that runs a streaming query's batches; it survives restarts. */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

    private final transient ContractEnforcer enforcer;
    private final transient SluiceTables tables;
    private final LatePolicy latePolicy;
    private final transient Consumer<BatchReport> listener;
    private final transient Clock clock;
    private final transient BatchActivity activity;
    private final Instant notBefore;
    private final transient LogCheckpoints checkpoints;
    /** What the tables hold of this query's batches: read from each table's history once, then kept by this processor. */
    private transient CommitMarkers markers;

    /**
     * @param notBefore no commit of this query is older than this (its checkpoint was created at or after it)
     */
    public MicroBatchProcessor(ContractEnforcer enforcer, SluiceTables tables, LatePolicy latePolicy, Consumer<BatchReport> listener, Clock clock,
            BatchActivity activity, Instant notBefore, LogCheckpoints checkpoints)
    {
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.notBefore = requireNonNull(notBefore, "notBefore is null");
        this.activity = requireNonNull(activity, "activity is null");
        this.enforcer = requireNonNull(enforcer, "enforcer is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.latePolicy = requireNonNull(latePolicy, "latePolicy is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId)
    {
        SparkSession spark = batch.sparkSession();
        String queryId = Optional.ofNullable(spark.sparkContext().getLocalProperty(QUERY_ID_PROPERTY))
                .orElseThrow(() -> new IllegalStateException("Cannot write a batch outside a streaming query: no query id"));
        Instant startedAt = clock.instant();
        Timestamp ingestTime = Timestamp.from(startedAt);
        if (markers == null) {
            markers = new CommitMarkers(spark, notBefore);
        }
        LakeWriter writer = new LakeWriter(spark, tables, markers, queryId);

        // Spark hands the batch over as a plan of one leaf (its rows), so what is built on it here plans quickly.
        // Materialized as a local checkpoint, not a cache: the outputs then read a leaf without lineage.
        activity.started();
        LocalCheckpoint materialized = LocalCheckpoint.of(batch.withColumn(ContractEnforcer.INGEST_TIME, batchConstant(ingestTime)));
        Dataset<Row> routed = materialized.rows();
        try {
            long mark = System.nanoTime();
            Statistics statistics = Statistics.of(routed, enforcer.destination());
            log.debug("batch {}: routed and counted in {} ms", batchId, (System.nanoTime() - mark) / 1_000_000);
            if (statistics.read() == 0) {
                activity.noData();
                return;
            }
            activity.writing();
            mark = System.nanoTime();
            EnforcedBatch onTime = enforcer.split(routed.filter(status().isin(DedupStatus.NEW.name(), DedupStatus.UNKEYED.name())));
            long late = statistics.countOf(DedupStatus.LATE);
            Optional<EnforcedBatch> lateBatch = Optional.empty();
            Dataset<Row> quarantine = onTime.quarantine();
            if (late > 0) {
                Dataset<Row> lateRows = routed.filter(status().equalTo(DedupStatus.LATE.name()));
                lateBatch = Optional.of(latePolicy == LatePolicy.MERGE ? enforcer.split(lateRows) : enforcer.split(LateEvents.markLate(lateRows)));
                quarantine = quarantine.unionByName(lateBatch.get().quarantine());
            }

            // Only tables that receive rows are written: an empty append is still a Delta commit, log and all.
            Map<String, Dataset<Row>> silver = new TreeMap<>();
            onTime.silver().forEach((table, rows) -> {
                if (statistics.onTimeRowsFor(table) > 0) {
                    silver.put(table, rows);
                }
            });
            boolean anyQuarantined = statistics.quarantineCandidates() > 0 || (late > 0 && latePolicy == LatePolicy.QUARANTINE);
            LakeWriter.Written appended = writer.append(batchId, new LakeWriter.Appends(
                    Optional.of(BronzeRecords.fromRaw(routed, col(ContractEnforcer.INGEST_TIME))),
                    silver,
                    anyQuarantined ? Optional.of(quarantine) : Optional.empty()));
            log.debug("batch {}: bronze, silver and quarantine appended in {} ms", batchId, (System.nanoTime() - mark) / 1_000_000);

            Map<String, Long> silverRows = new TreeMap<>();
            onTime.silver().keySet().forEach(table -> silverRows.put(table, appended.silverRows().getOrDefault(table, 0L)));
            boolean replayed = appended.alreadyCommitted();
            long duplicates = statistics.countOf(DedupStatus.DUPLICATE);
            if (lateBatch.isPresent()) {
                LakeWriter.Inserted inserted = writer.insertMissing("late", batchId, lateBatch.get().silver());
                inserted.silverRows().forEach((table, rows) -> silverRows.merge(table, rows, Long::sum));
                duplicates += inserted.alreadyPresent();
                replayed |= inserted.alreadyCommitted();
            }

            BatchReport report = new BatchReport(batchId, statistics.read(), silverRows, duplicates, late, appended.quarantineRows(),
                    statistics.shardRanges(), statistics.maxArrivalTime(), statistics.maxEventTime(), startedAt,
                    Duration.between(startedAt, clock.instant()), replayed);
            writer.writeAudit(batchId, report);
            // Beside the next batch, one table at a time, rather than inside this batch's commits, all at once.
            checkpoints.scheduleDue(tables.all());
            listener.accept(report);
        }
        finally {
            materialized.close();
            activity.finished(batchId);
        }
    }

    /**
     * The batch's ingest time as a column whose generated code is the same in every batch. Spark inlines timestamp
     * literals into generated code, so {@code lit(time)} would recompile every plan that uses it, every batch (about
     * half of a 50,000-record batch's time here); a UDF is passed by reference instead.
     */
    private static Column batchConstant(Timestamp time)
    {
        return udf((UDF0<Timestamp>) () -> time, DataTypes.TimestampType).asNondeterministic().apply();
    }

    private static Column status()
    {
        return col(EventDeduplicator.STATUS_COLUMN);
    }

    /**
     * Counts per dedup status, per shard and per output, from one aggregation over the batch.
     *
     * @param onTimeSilver rows of on-time (new or unkeyed) records that pass their contract, by silver table
     * @param quarantineCandidates rows of records other than duplicates that fail their contract
     */
    private record Statistics(Map<DedupStatus, Long> byStatus, List<ShardRange> shardRanges, Optional<Instant> maxArrivalTime,
            Optional<Instant> maxEventTime, Map<String, Long> onTimeSilver, long quarantineCandidates)
    {
        static Statistics of(Dataset<Row> routed, Column destination)
        {
            // Sequence numbers are decimal strings of up to 56 digits (more with a sub-record suffix): among strings of
            // one length, string order is numeric order. Grouping by length as well lets min and max read the values
            // as they are (padding each to one width cost an allocation and a copy per record); the ranges of a
            // shard's lengths are merged below, by length first.
            Column sequence = col(RawRecordColumns.SEQUENCE_NUMBER);
            List<Row> rows = routed
                    .groupBy(coalesce(col(RawRecordColumns.SHARD_ID), lit("")).as("shard"), status().as("status"), destination.as("destination"),
                            length(sequence).as("sequence_length"))
                    .agg(count(lit(1)).as("records"),
                            min(sequence).as("first"),
                            max(sequence).as("last"),
                            max(col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP)).as("max_arrival"),
                            max(col(EnvelopeColumns.EVENT_TIME)).as("max_event_time"))
                    .drop("sequence_length")
                    .collectAsList();
            Map<DedupStatus, Long> byStatus = new EnumMap<>(DedupStatus.class);
            Map<String, ShardRange> ranges = new LinkedHashMap<>();
            Timestamp maxArrival = null;
            Timestamp maxEvent = null;
            Map<String, Long> onTimeSilver = new TreeMap<>();
            long quarantineCandidates = 0;
            for (Row row : rows) {
                long records = row.getLong(3);
                DedupStatus status = DedupStatus.valueOf(row.getString(1));
                byStatus.merge(status, records, Long::sum);
                if (row.isNullAt(2)) {
                    quarantineCandidates += status == DedupStatus.DUPLICATE ? 0 : records;
                }
                else if (status == DedupStatus.NEW || status == DedupStatus.UNKEYED) {
                    onTimeSilver.merge(row.getString(2), records, Long::sum);
                }
                String shard = row.getString(0);
                String first = Objects.requireNonNullElse(row.getString(4), "");
                String last = Objects.requireNonNullElse(row.getString(5), "");
                ranges.merge(shard, new ShardRange(shard, first, last, records), (left, right) -> new ShardRange(shard,
                        lower(left.firstSequenceNumber(), right.firstSequenceNumber()),
                        higher(left.lastSequenceNumber(), right.lastSequenceNumber()),
                        left.records() + right.records()));
                maxArrival = later(maxArrival, row.getTimestamp(6));
                maxEvent = later(maxEvent, row.getTimestamp(7));
            }
            return new Statistics(byStatus, new ArrayList<>(ranges.values()),
                    Optional.ofNullable(maxArrival).map(Timestamp::toInstant), Optional.ofNullable(maxEvent).map(Timestamp::toInstant),
                    onTimeSilver, quarantineCandidates);
        }

        long onTimeRowsFor(String table)
        {
            return onTimeSilver.getOrDefault(table, 0L);
        }

        long countOf(DedupStatus status)
        {
            return byStatus.getOrDefault(status, 0L);
        }

        long read()
        {
            return byStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        private static String lower(String left, String right)
        {
            return compareSequence(left, right) <= 0 ? left : right;
        }

        private static String higher(String left, String right)
        {
            return compareSequence(left, right) >= 0 ? left : right;
        }

        private static int compareSequence(String left, String right)
        {
            int byLength = Integer.compare(left.length(), right.length());
            return byLength != 0 ? byLength : left.compareTo(right);
        }

        private static Timestamp later(Timestamp current, Timestamp candidate)
        {
            if (candidate == null) {
                return current;
            }
            return current == null || candidate.after(current) ? candidate : current;
        }
    }
}
