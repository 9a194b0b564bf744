package io.sluice.source.kinesis;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * What the task of one shard read in one micro-batch, recorded under the checkpoint before the batch commits: where
 * it stopped, how many Kinesis records it read, whether it stopped because the shard had nothing more (rather than at
 * a limit), how far behind the shard's tip its last answer was, and when it last called GetRecords (so the next call on
 * this shard, by the driver or the next task, keeps within Kinesis' five calls per second and shard).
 */
record ShardEnd(ShardPosition end, long records, boolean caughtUp, long millisBehindLatest, long lastGetRecordsMillis)
        implements Serializable
{
    ShardEnd
    {
        requireNonNull(end, "end is null");
        if (records < 0) {
            throw new IllegalArgumentException("Invalid record count: " + records);
        }
    }
}
