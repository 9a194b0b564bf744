package io.sluice.sink;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The audit table: one row per micro-batch with its per-shard offset ranges and its accounting. */
public final class AuditLog
{
    private static final StructType SHARD_RANGE = new StructType()
            .add("shard_id", DataTypes.StringType, false)
            .add("first_sequence_number", DataTypes.StringType, false)
            .add("last_sequence_number", DataTypes.StringType, false)
            .add("records", DataTypes.LongType, false);

    public static final StructType SCHEMA = new StructType()
            .add("query_id", DataTypes.StringType, false)
            .add("batch_id", DataTypes.LongType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("duration_ms", DataTypes.LongType, false)
            .add("records_read", DataTypes.LongType, false)
            .add("silver_rows", DataTypes.LongType, false)
            .add("silver_rows_by_table", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), false)
            .add("duplicates", DataTypes.LongType, false)
            .add("late", DataTypes.LongType, false)
            .add("quarantined", DataTypes.LongType, false)
            .add("shard_ranges", DataTypes.createArrayType(SHARD_RANGE, false), false)
            .add("max_arrival_time", DataTypes.TimestampType)
            .add("max_event_time", DataTypes.TimestampType)
            .add("audit_date", DataTypes.DateType, false);

    public static final List<String> PARTITION_COLUMNS = List.of("audit_date");

    private AuditLog() {}

    public static Dataset<Row> rows(SparkSession spark, String queryId, BatchReport report)
    {
        requireNonNull(report, "report is null");
        List<Row> ranges = report.shardRanges().stream()
                .map(range -> RowFactory.create(range.shardId(), range.firstSequenceNumber(), range.lastSequenceNumber(), range.records()))
                .toList();
        Row row = RowFactory.create(
                queryId,
                report.batchId(),
                Timestamp.from(report.startedAt()),
                report.duration().toMillis(),
                report.recordsRead(),
                report.silverRows(),
                scala.jdk.javaapi.CollectionConverters.asScala(report.silverRowsByTable()),
                report.duplicates(),
                report.late(),
                report.quarantined(),
                scala.jdk.javaapi.CollectionConverters.asScala(ranges).toSeq(),
                report.maxArrivalTime().map(Timestamp::from).orElse(null),
                report.maxEventTime().map(Timestamp::from).orElse(null),
                Date.valueOf(report.startedAt().atOffset(ZoneOffset.UTC).toLocalDate()));
        return spark.createDataFrame(List.of(row), SCHEMA);
    }
}
