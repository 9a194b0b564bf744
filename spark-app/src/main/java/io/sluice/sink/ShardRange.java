package io.sluice.sink;

import static java.util.Objects.requireNonNull;

/** The records one micro-batch read from one shard: the first and last sequence numbers, and how many. */
public record ShardRange(String shardId, String firstSequenceNumber, String lastSequenceNumber, long records)
{
    public ShardRange
    {
        requireNonNull(shardId, "shardId is null");
        requireNonNull(firstSequenceNumber, "firstSequenceNumber is null");
        requireNonNull(lastSequenceNumber, "lastSequenceNumber is null");
    }
}
