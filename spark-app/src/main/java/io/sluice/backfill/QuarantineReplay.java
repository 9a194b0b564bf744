package io.sluice.backfill;

import io.delta.tables.DeltaTable;
import io.sluice.pipeline.ContractEnforcer;
import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EnforcedBatch;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.table.QuarantineColumns;
import io.sluice.table.RawRecordColumns;
import io.sluice.sink.BatchReport;
import io.sluice.sink.CommitMarkers;
import io.sluice.sink.LakeWriter;
import io.sluice.sink.LogCheckpoints;
import io.sluice.sink.ConcurrentCommits;
import io.sluice.config.ConfigKeys;
import io.sluice.lake.Lake;
import io.sluice.lake.StreamWriterCheck;
import io.sluice.spark.LocalCheckpoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

/**
 * Re-validates quarantined records against the current contracts (after a contract fix, say) and moves those that now
 * pass into silver. Nothing is deleted: the quarantine rows stay, marked {@code replayed}, and records that still fail
 * stay as they were. Silver is written first through the same insert-only MERGE as a backfill and the marks second, so
 * a run that dies between the two is completed by the next one, which finds the events already in silver.
 */
public final class QuarantineReplay
{
    public static final String RUN_PREFIX = "replay:";
    /** The quarantine row's ingest time, carried through enforcement to find the row again. */
    private static final String QUARANTINE_INGEST_TIME = "__quarantine_ingest_time";

    private final SparkSession spark;
    private final Lake lake;
    private final Consumer<String> progress;
    private final Clock clock;
    private final ConcurrentCommits retry = ConcurrentCommits.defaults();

    public QuarantineReplay(SparkSession spark, Lake lake, Consumer<String> progress, Clock clock)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public ReplayResult run(ReplayRequest request)
    {
        requireNonNull(request, "request is null");
        lake.contracts().checkDatasets(request.datasets(), "--dataset");
        if (!request.dryRun()) {
            StreamWriterCheck.checkBatchJobMayWrite(spark, lake, "replay", clock);
        }
        lake.createOrEvolveTables(spark);
        Instant startedAt = clock.instant();
        String runId = RUN_PREFIX + UUID.randomUUID();

        Dataset<Row> quarantined = spark.read().format("delta").load(lake.tables().quarantine().location())
                .filter(col(QuarantineColumns.INGEST_DATE).between(lit(utcDate(request.range().from())), lit(utcDate(request.range().to()))))
                .filter(request.range().contains(col(QuarantineColumns.INGEST_TIME)))
                .filter(not(col(QuarantineColumns.REPLAYED)));
        if (!request.datasets().isEmpty()) {
            quarantined = quarantined.filter(col(QuarantineColumns.CONTRACT_DATASET).isin(request.datasets().toArray()));
        }
        Dataset<Row> raw = quarantined.select(
                col(QuarantineColumns.RAW_PAYLOAD).as(RawRecordColumns.DATA),
                col(QuarantineColumns.INGEST_STREAM).as(RawRecordColumns.STREAM_NAME),
                col(QuarantineColumns.INGEST_PARTITION_KEY).as(RawRecordColumns.PARTITION_KEY),
                col(QuarantineColumns.INGEST_SEQUENCE_NUMBER).as(RawRecordColumns.SEQUENCE_NUMBER),
                col(QuarantineColumns.INGEST_ARRIVAL_TIME).as(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP),
                col(QuarantineColumns.INGEST_SHARD_ID).as(RawRecordColumns.SHARD_ID),
                col(QuarantineColumns.INGEST_TIME).as(QUARANTINE_INGEST_TIME));
        Dataset<Row> labelled = EventDeduplicator.labelBatch(lake.enforcer().parse(raw));
        // Materialized as a local checkpoint, not a cache: what is built on it plans against a leaf (LocalCheckpoint).
        LocalCheckpoint materialized = LocalCheckpoint.of(lake.enforcer().route(labelled, lit(Timestamp.from(startedAt))));
        Dataset<Row> routed = materialized.rows();
        try {
            long read = routed.count();
            Dataset<Row> passing = routed.filter(ContractEnforcer.passes());
            long passingCount = passing.count();
            progress.accept("replay %s: %,d quarantined records ingested in %s, %,d pass the current contracts".formatted(
                    runId.substring(RUN_PREFIX.length()), read, request.range(), passingCount));
            EnforcedBatch batch = lake.enforcer().split(routed.filter(col(EventDeduplicator.STATUS_COLUMN).equalTo(DedupStatus.NEW.name())));
            LakeWriter writer = new LakeWriter(spark, lake.tables(), new CommitMarkers(spark, startedAt), runId);
            Map<String, Long> moved = new TreeMap<>();
            if (request.dryRun()) {
                batch.silver().forEach((table, rows) -> moved.put(table, rows.count()));
            }
            else {
                moved.putAll(writer.insertMissing("replay", 0, batch.silver()).silverRows());
            }
            long movedTotal = moved.values().stream().mapToLong(Long::longValue).sum();
            long marked = request.dryRun() || passingCount == 0 ? 0 : markReplayed(passing, request.range());
            ReplayResult result = new ReplayResult(read, moved, passingCount - movedTotal, read - passingCount, marked,
                    Duration.between(startedAt, clock.instant()), request.dryRun());
            if (!request.dryRun() && read > 0) {
                BatchReport report = new BatchReport(0, read, moved, result.alreadyInSilver(), 0, result.stillFailing(), List.of(),
                        Optional.empty(), Optional.empty(), startedAt, result.duration(), false);
                writer.writeAudit(0, report);
                try (LogCheckpoints checkpoints = new LogCheckpoints(spark, lake.config().value(ConfigKeys.LAKE_LOG_CHECKPOINT_INTERVAL))) {
                    checkpoints.writeDue(lake.tables().all());
                }
            }
            return result;
        }
        finally {
            materialized.close();
        }
    }

    /** Sets {@code replayed} on the quarantine rows of the passing records; returns how many rows it marked. */
    private long markReplayed(Dataset<Row> passing, TimeRange range)
    {
        Dataset<Row> keys = passing.select(col(RawRecordColumns.DATA), col(RawRecordColumns.SEQUENCE_NUMBER), col(QUARANTINE_INGEST_TIME)).distinct();
        String condition = ("t.`%s` BETWEEN DATE'%s' AND DATE'%s' AND NOT t.`%s` AND t.`%s` = s.`%s` AND t.`%s` = s.`%s` AND t.`%s` <=> s.`%s`").formatted(
                QuarantineColumns.INGEST_DATE, utcDate(range.from()), utcDate(range.to()), QuarantineColumns.REPLAYED,
                QuarantineColumns.INGEST_TIME, QUARANTINE_INGEST_TIME,
                QuarantineColumns.RAW_PAYLOAD, RawRecordColumns.DATA,
                QuarantineColumns.INGEST_SEQUENCE_NUMBER, RawRecordColumns.SEQUENCE_NUMBER);
        return retry.run("marking replayed rows in " + lake.tables().quarantine().name(), () -> {
            Row metrics = DeltaTable.forPath(spark, lake.tables().quarantine().location()).as("t")
                    .merge(keys.as("s"), condition)
                    .whenMatched().updateExpr(Map.of(QuarantineColumns.REPLAYED, "true"))
                    .execute()
                    .first();
            return ((Number) metrics.getAs("num_updated_rows")).longValue();
        });
    }

    private static java.sql.Date utcDate(Instant instant)
    {
        return java.sql.Date.valueOf(instant.atOffset(ZoneOffset.UTC).toLocalDate());
    }
}
