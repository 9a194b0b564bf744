package io.sluice.table;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The columns of a raw Kinesis record, as every source (ours or the EMR connector) must provide them. */
public final class RawRecordColumns
{
    /** The record payload: one CloudEvent as JSON bytes. */
    public static final String DATA = "data";
    public static final String STREAM_NAME = "streamName";
    public static final String PARTITION_KEY = "partitionKey";
    public static final String SEQUENCE_NUMBER = "sequenceNumber";
    public static final String APPROXIMATE_ARRIVAL_TIMESTAMP = "approximateArrivalTimestamp";
    /** Null when the EMR Kinesis connector is used: it does not expose the shard. */
    public static final String SHARD_ID = "shardId";

    public static final StructType SCHEMA = new StructType()
            .add(DATA, DataTypes.BinaryType)
            .add(STREAM_NAME, DataTypes.StringType)
            .add(PARTITION_KEY, DataTypes.StringType)
            .add(SEQUENCE_NUMBER, DataTypes.StringType)
            .add(APPROXIMATE_ARRIVAL_TIMESTAMP, DataTypes.TimestampType)
            .add(SHARD_ID, DataTypes.StringType);

    private RawRecordColumns() {}
}
