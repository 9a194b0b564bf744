package io.sluice.source.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads one shard with GetRecords. The driver uses {@link #scan} to fix where a micro-batch ends; tasks use
 * {@link #open} to deliver exactly the records between two positions, however often they are re-run.
 */
final class ShardReader
{
    // GetRecords returns at most 10,000 records per call.
    private static final int MAX_RECORDS_PER_CALL = 10_000;
    private static final Duration EMPTY_POLL_DELAY = Duration.ofMillis(200);
    private static final int MAX_EMPTY_AT_TIP = 50;

    private final KinesisClient client;
    private final KinesisCalls calls;
    private final String streamName;
    private final String shardId;

    ShardReader(KinesisClient client, KinesisCalls calls, String streamName, String shardId)
    {
        this.client = requireNonNull(client, "client is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.streamName = requireNonNull(streamName, "streamName is null");
        this.shardId = requireNonNull(shardId, "shardId is null");
    }

    /**
     * What a scan found: the new position, the number of records between the old and new one, an iterator
     * continuing exactly after the new position (null when the shard is finished or the last answer was cut),
     * how far the last answer was behind the shard's tip (0 when finished), and whether the scan stopped because
     * the shard had nothing more.
     */
    record Scan(ShardPosition end, int records, String nextIterator, long millisBehindLatest, boolean caughtUp) {}

    /**
     * Reads ahead from {@code from} until the shard is caught up, closed, {@code maxRecords} are seen, {@code maxTime}
     * passed, or a record arrived after {@code cutoff} (when not null; that record is left for later). Records are
     * only counted; tasks read them again within the bounds this fixes.
     */
    Scan scan(ShardPosition from, String cachedIterator, int maxRecords, Duration maxTime, Instant cutoff)
    {
        long deadline = System.nanoTime() + maxTime.toNanos();
        ShardPosition position = from;
        String iterator = cachedIterator != null ? cachedIterator : iterator(from);
        int count = 0;
        while (true) {
            int limit = Math.min(MAX_RECORDS_PER_CALL, maxRecords - count);
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = calls.call("GetRecords", () -> client.getRecords(request -> request.shardIterator(current).limit(limit)));
            }
            catch (ExpiredIteratorException e) {
                iterator = iterator(position);
                continue;
            }
            List<Record> records = response.records();
            for (Record record : records) {
                if (cutoff != null && record.approximateArrivalTimestamp() != null && record.approximateArrivalTimestamp().isAfter(cutoff)) {
                    // The iterator is past this record, so it cannot be reused.
                    return new Scan(position, count, null, lag(response), false);
                }
                count++;
                position = ShardPosition.after(record.sequenceNumber());
            }
            iterator = response.nextShardIterator();
            if (iterator == null) {
                return new Scan(position.asFinished(), count, null, 0, false);
            }
            if (records.isEmpty() && isCaughtUp(response)) {
                return new Scan(position, count, iterator, 0, true);
            }
            if (count >= maxRecords || System.nanoTime() > deadline) {
                return new Scan(position, count, iterator, lag(response), false);
            }
        }
    }

    /**
     * Opens a cursor over the records after {@code from} up to and including {@code endSequenceNumber}.
     * {@code expectedRecords} (what the driver counted, or a larger guess) only sizes the GetRecords calls.
     */
    Cursor open(ShardPosition from, String endSequenceNumber, long expectedRecords)
    {
        requireNonNull(endSequenceNumber, "endSequenceNumber is null");
        return new Cursor(from, endSequenceNumber, expectedRecords);
    }

    final class Cursor
    {
        private final String endSequenceNumber;
        private final long expectedRecords;
        private ShardPosition position;
        private String iterator;
        private long delivered;
        private int emptyAtTip;
        private boolean done;

        private Cursor(ShardPosition from, String endSequenceNumber, long expectedRecords)
        {
            this.position = requireNonNull(from, "from is null");
            this.endSequenceNumber = endSequenceNumber;
            this.expectedRecords = expectedRecords;
        }

        /** The next records of the range, possibly none; null once the end of the range was delivered. */
        List<Record> nextPage()
        {
            if (done) {
                return null;
            }
            if (iterator == null) {
                iterator = iterator(position);
            }
            int limit = (int) Math.min(MAX_RECORDS_PER_CALL, Math.max(1, expectedRecords - delivered));
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = calls.call("GetRecords", () -> client.getRecords(request -> request.shardIterator(current).limit(limit)));
            }
            catch (ExpiredIteratorException e) {
                iterator = null;
                return List.of();
            }
            List<Record> page = new ArrayList<>(response.records().size());
            for (Record record : response.records()) {
                int comparison = ShardPosition.compareSequenceNumbers(record.sequenceNumber(), endSequenceNumber);
                if (comparison > 0) {
                    done = true;
                    return page;
                }
                page.add(record);
                delivered++;
                position = ShardPosition.after(record.sequenceNumber());
                if (comparison == 0) {
                    done = true;
                    return page;
                }
            }
            iterator = response.nextShardIterator();
            if (iterator == null) {
                throw new KinesisSourceException("Cannot read shard %s of Kinesis stream '%s': it ended before sequence number %s planned for this batch"
                        .formatted(shardId, streamName, endSequenceNumber));
            }
            if (page.isEmpty() && isCaughtUp(response)) {
                // The driver saw the records up to the end, so they exist: an empty answer at the tip is transient.
                emptyAtTip++;
                if (emptyAtTip > MAX_EMPTY_AT_TIP) {
                    throw new KinesisSourceException("Cannot read shard %s of Kinesis stream '%s': sequence number %s planned for this batch not found after %s"
                            .formatted(shardId, streamName, endSequenceNumber, position));
                }
                KinesisCalls.pause(EMPTY_POLL_DELAY);
            }
            return page;
        }
    }

    private String iterator(ShardPosition position)
    {
        return calls.call("GetShardIterator", () -> client.getShardIterator(position.iteratorRequest(streamName, shardId))).shardIterator();
    }

    private static long lag(GetRecordsResponse response)
    {
        return response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
    }

    private static boolean isCaughtUp(GetRecordsResponse response)
    {
        return response.millisBehindLatest() == null || response.millisBehindLatest() == 0;
    }
}
