package io.sluice.source.kinesis;

import org.apache.spark.sql.connector.read.InputPartition;

import static java.util.Objects.requireNonNull;

/**
 * The records of one shard in micro-batch {@code batchId}: after {@code start}, up to the end recorded for the batch
 * if one is, else up to the read limits. {@code cutoffMillis} (Trigger.AvailableNow; 0 for none) leaves records that
 * arrived later to the next run; the first GetRecords waits until {@code notBeforeMillis}, so that with the driver's
 * and the previous task's calls the shard sees at most five a second.
 */
record KinesisInputPartition(String shardId, ShardPosition start, long batchId, long cutoffMillis, long notBeforeMillis)
        implements InputPartition
{
    KinesisInputPartition
    {
        requireNonNull(shardId, "shardId is null");
        requireNonNull(start, "start is null");
        if (batchId < 0) {
            throw new IllegalArgumentException("Invalid batchId: " + batchId);
        }
        if (start.finished()) {
            throw new IllegalArgumentException("Invalid start: shard %s is finished at %s".formatted(shardId, start));
        }
    }
}
