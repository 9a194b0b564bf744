package io.sluice.source.kinesis;

import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.Serializable;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * Where reading of one shard continues: at the trim horizon, at a time, or after a sequence number; and whether
 * the shard is finished (closed by a reshard and read to its end). Nullable fields instead of Optional keep
 * the value serializable for executors.
 *
 * @param sequenceNumber the last consumed sequence number, for {@link Kind#AFTER_SEQUENCE_NUMBER} only
 * @param timestampMillis the start time, for {@link Kind#AT_TIMESTAMP} only
 */
public record ShardPosition(Kind kind, String sequenceNumber, long timestampMillis, boolean finished)
        implements Serializable
{
    public enum Kind
    {
        TRIM_HORIZON, AT_TIMESTAMP, AFTER_SEQUENCE_NUMBER
    }

    public ShardPosition
    {
        requireNonNull(kind, "kind is null");
        if ((kind == Kind.AFTER_SEQUENCE_NUMBER) != (sequenceNumber != null)) {
            throw new IllegalArgumentException("Invalid shard position: %s with sequence number %s".formatted(kind, sequenceNumber));
        }
        if (sequenceNumber != null && !isSequenceNumber(sequenceNumber)) {
            throw new IllegalArgumentException("Invalid sequence number: " + sequenceNumber);
        }
        if (kind != Kind.AT_TIMESTAMP && timestampMillis != 0) {
            throw new IllegalArgumentException("Invalid shard position: %s with timestamp %d".formatted(kind, timestampMillis));
        }
    }

    public static ShardPosition trimHorizon()
    {
        return new ShardPosition(Kind.TRIM_HORIZON, null, 0, false);
    }

    public static ShardPosition atTimestamp(Instant timestamp)
    {
        return new ShardPosition(Kind.AT_TIMESTAMP, null, timestamp.toEpochMilli(), false);
    }

    public static ShardPosition after(String sequenceNumber)
    {
        return new ShardPosition(Kind.AFTER_SEQUENCE_NUMBER, sequenceNumber, 0, false);
    }

    public ShardPosition asFinished()
    {
        return new ShardPosition(kind, sequenceNumber, timestampMillis, true);
    }

    /** Builds the GetShardIterator request that starts right after this position. */
    public GetShardIteratorRequest iteratorRequest(String streamName, String shardId)
    {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamName(streamName).shardId(shardId);
        return switch (kind) {
            case TRIM_HORIZON -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON).build();
            case AT_TIMESTAMP -> request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(Instant.ofEpochMilli(timestampMillis)).build();
            case AFTER_SEQUENCE_NUMBER -> request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(sequenceNumber).build();
        };
    }

    static boolean isSequenceNumber(String text)
    {
        if (text.isEmpty() || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
