package io.sluice.stream;

import io.sluice.config.LatePolicy;
import io.sluice.pipeline.ContractEnforcer;
import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EnforcedBatch;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.pipeline.LateEvents;
import io.sluice.sink.BatchReport;
import io.sluice.sink.CommitMarkers;
import io.sluice.sink.LakeWriter;
import io.sluice.sink.LogCheckpoints;
import io.sluice.table.BronzeRecords;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
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
    /** Rows above which a batch's writes get a second task, and so on, up to the batch's partitions. */
    private static final long ROWS_PER_WRITE_TASK = 20_000;

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
        BatchCounter counter = new BatchCounter(enforcer);
        Dataset<Row> input = batch.withColumn(ContractEnforcer.INGEST_TIME, batchConstant(ingestTime));
        // Only the audit row needs them; folded in the checkpoint's pass, so they cost no job of their own.
        ShardRanges shardRanges = new ShardRanges(input.schema());
        LocalCheckpoint materialized = LocalCheckpoint.of(input, counter.aggregates(), List.of(shardRanges));
        try {
            BatchCounter.Counts counts = counter.read(materialized.aggregates());
            if (counts.read() == 0) {
                activity.noData();
                return;
            }
            activity.writing();
            Dataset<Row> routed = writeTasks(materialized.rows(), counts.read(), materialized.partitions());
            long mark = System.nanoTime();
            EnforcedBatch onTime = enforcer.split(routed.filter(status().isin(DedupStatus.NEW.name(), DedupStatus.UNKEYED.name())));
            long late = counts.countOf(DedupStatus.LATE);
            Optional<EnforcedBatch> lateBatch = Optional.empty();
            Dataset<Row> quarantine = onTime.quarantine();
            if (late > 0) {
                Dataset<Row> lateRows = routed.filter(status().equalTo(DedupStatus.LATE.name()));
                lateBatch = Optional.of(latePolicy == LatePolicy.MERGE ? enforcer.split(lateRows) : enforcer.split(LateEvents.markLate(lateRows)));
                quarantine = quarantine.unionByName(lateBatch.get().quarantine());
            }

            // Only tables that receive rows are written: an empty append is still a Delta commit, log and all.
            Map<String, Dataset<Row>> silver = new TreeMap<>();
            // Each table's write gets the tasks its own rows need: a silver table or quarantine holds a part of the
            // batch, and written in as many tasks as the whole batch it paid each task's cost for a few rows.
            int batchTasks = (int) Math.min(materialized.partitions(), tasksFor(counts.read()));
            onTime.silver().forEach((table, rows) -> {
                long tableRows = counts.onTimeRowsFor(table);
                if (tableRows > 0) {
                    silver.put(table, writeTasks(rows, tableRows, batchTasks));
                }
            });
            long quarantineRows = counts.quarantineCandidates() + (latePolicy == LatePolicy.QUARANTINE ? late : 0);
            LakeWriter.Written appended = writer.append(batchId, new LakeWriter.Appends(
                    Optional.of(BronzeRecords.fromRaw(routed, col(ContractEnforcer.INGEST_TIME))),
                    silver,
                    quarantineRows > 0 ? Optional.of(writeTasks(quarantine, quarantineRows, batchTasks)) : Optional.empty()));
            log.debug("batch {}: bronze, silver and quarantine appended in {} ms", batchId, (System.nanoTime() - mark) / 1_000_000);

            Map<String, Long> silverRows = new TreeMap<>();
            onTime.silver().keySet().forEach(table -> silverRows.put(table, appended.silverRows().getOrDefault(table, 0L)));
            boolean replayed = appended.alreadyCommitted();
            long duplicates = counts.countOf(DedupStatus.DUPLICATE);
            if (lateBatch.isPresent()) {
                LakeWriter.Inserted inserted = writer.insertMissing("late", batchId, lateBatch.get().silver());
                inserted.silverRows().forEach((table, rows) -> silverRows.merge(table, rows, Long::sum));
                duplicates += inserted.alreadyPresent();
                replayed |= inserted.alreadyCommitted();
            }

            BatchReport report = new BatchReport(batchId, counts.read(), silverRows, duplicates, late, appended.quarantineRows(),
                    ShardRanges.merge(materialized.folded(shardRanges)), counts.maxArrivalTime(), counts.maxEventTime(), startedAt,
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
     * Rows in as many partitions as their count needs, at most as many as they have: each partition is a write task
     * (a task costs about 15 ms before its first row, deserializing the Hadoop configuration and generating its
     * writers' code) and a file in each table partition it has rows for, so a few rows written in two tasks doubled
     * both for nothing.
     *
     * @param partitions the partitions {@code rows} has
     */
    private static Dataset<Row> writeTasks(Dataset<Row> rows, long count, int partitions)
    {
        long needed = tasksFor(count);
        return needed < partitions ? rows.coalesce((int) needed) : rows;
    }

    private static long tasksFor(long rows)
    {
        return Math.max(1, (rows + ROWS_PER_WRITE_TASK - 1) / ROWS_PER_WRITE_TASK);
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
}
