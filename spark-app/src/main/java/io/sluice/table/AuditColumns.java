package io.sluice.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/** The audit table: one row per micro-batch (or backfill slice) with its per-shard offset ranges and its accounting. */
public final class AuditColumns
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

    private AuditColumns() {}
}
