package io.sluice.source.kinesis;

import org.apache.spark.sql.connector.read.InputPartition;

import static java.util.Objects.requireNonNull;

/**
 * The records of one shard in one micro-batch: after {@code start}, up to and including {@code endSequenceNumber}.
 * Both ends come from the offset log, so a re-run task reads the same records.
 */
record KinesisInputPartition(String shardId, ShardPosition start, String endSequenceNumber, long expectedRecords)
        implements InputPartition
{
    KinesisInputPartition
    {
        requireNonNull(shardId, "shardId is null");
        requireNonNull(start, "start is null");
        requireNonNull(endSequenceNumber, "endSequenceNumber is null");
        if (expectedRecords < 1) {
            throw new IllegalArgumentException("Invalid expectedRecords: " + expectedRecords);
        }
    }
}
