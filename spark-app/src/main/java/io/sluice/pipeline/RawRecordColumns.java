package io.sluice.pipeline;

/** Columns of a raw record as both Kinesis connectors deliver it ({@code shardId} only from Sluice's own source). */
public final class RawRecordColumns
{
    public static final String DATA = "data";
    public static final String STREAM_NAME = "streamName";
    public static final String PARTITION_KEY = "partitionKey";
    public static final String SEQUENCE_NUMBER = "sequenceNumber";
    public static final String APPROXIMATE_ARRIVAL_TIMESTAMP = "approximateArrivalTimestamp";
    public static final String SHARD_ID = "shardId";

    private RawRecordColumns() {}
}
