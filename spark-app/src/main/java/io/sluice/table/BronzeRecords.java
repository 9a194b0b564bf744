package io.sluice.table;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

/**
 * The bronze table: every record exactly as received, with where and when it came in. Column names are snake_case
 * (Athena and Glue lower-case names); {@link #toRaw} maps them back so a backfill can replay bronze through the
 * same transformation as the stream.
 */
public final class BronzeRecords
{
    public static final String PAYLOAD = "payload";
    public static final String STREAM_NAME = "stream_name";
    public static final String SHARD_ID = "shard_id";
    public static final String PARTITION_KEY = "partition_key";
    public static final String SEQUENCE_NUMBER = "sequence_number";
    public static final String ARRIVAL_TIME = "arrival_time";
    public static final String INGEST_TIME = "ingest_time";
    public static final String INGEST_DATE = "ingest_date";

    public static final StructType SCHEMA = new StructType()
            .add(PAYLOAD, DataTypes.BinaryType)
            .add(STREAM_NAME, DataTypes.StringType)
            .add(SHARD_ID, DataTypes.StringType)
            .add(PARTITION_KEY, DataTypes.StringType)
            .add(SEQUENCE_NUMBER, DataTypes.StringType)
            .add(ARRIVAL_TIME, DataTypes.TimestampType)
            .add(INGEST_TIME, DataTypes.TimestampType, false)
            .add(INGEST_DATE, DataTypes.DateType, false);

    public static final List<String> PARTITION_COLUMNS = List.of(INGEST_DATE);

    private BronzeRecords() {}

    public static Dataset<Row> fromRaw(Dataset<Row> raw, Column ingestTime)
    {
        return raw.select(
                col(RawRecordColumns.DATA).as(PAYLOAD),
                col(RawRecordColumns.STREAM_NAME).as(STREAM_NAME),
                col(RawRecordColumns.SHARD_ID).as(SHARD_ID),
                col(RawRecordColumns.PARTITION_KEY).as(PARTITION_KEY),
                col(RawRecordColumns.SEQUENCE_NUMBER).as(SEQUENCE_NUMBER),
                col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP).as(ARRIVAL_TIME),
                ingestTime.as(INGEST_TIME),
                to_date(ingestTime).as(INGEST_DATE));
    }

    public static Dataset<Row> toRaw(Dataset<Row> bronze)
    {
        return bronze.select(
                col(PAYLOAD).as(RawRecordColumns.DATA),
                col(STREAM_NAME).as(RawRecordColumns.STREAM_NAME),
                col(PARTITION_KEY).as(RawRecordColumns.PARTITION_KEY),
                col(SEQUENCE_NUMBER).as(RawRecordColumns.SEQUENCE_NUMBER),
                col(ARRIVAL_TIME).as(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP),
                col(SHARD_ID).as(RawRecordColumns.SHARD_ID));
    }
}
