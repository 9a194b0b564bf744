package io.sluice.source.kinesis;

import io.sluice.table.SequenceNumbers;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads one shard with GetRecords. The driver uses {@link #scan} to look whether a shard has records at all; tasks
 * use {@link #open} to read a micro-batch's records: up to the limits the first time, and exactly up to the recorded
 * end when the batch runs again.
 */
final class ShardReader
{
    // GetRecords returns at most 10,000 records per call.
    private static final int MAX_RECORDS_PER_CALL = 10_000;
    // Kinesis allows five GetRecords per second and shard, for all readers of the shard together. Calls are spaced
    // from the previous call's answer, which the service sent after it counted that call. 250 ms, not the 200 ms the
    // budget allows: a fifth of the shard's budget stays free for its other consumers, and delays between the
    // service's clock and ours do not add up to a sixth call in a second.
    static final Duration MIN_CALL_SPACING = Duration.ofMillis(250);
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
     * only counted: the driver uses a scan of one record to learn whether a shard has anything to read.
     */
    Scan scan(ShardPosition from, String cachedIterator, int maxRecords, Duration maxTime, Instant cutoff)
    {
        long deadline = System.nanoTime() + maxTime.toNanos();
        ShardPosition position = from;
        String iterator = cachedIterator != null ? cachedIterator : iterator(from);
        int count = 0;
        long lastAnswerMillis = 0;
        while (true) {
            int limit = Math.min(MAX_RECORDS_PER_CALL, maxRecords - count);
            long wait = lastAnswerMillis + MIN_CALL_SPACING.toMillis() - System.currentTimeMillis();
            if (wait > 0) {
                KinesisCalls.pause(Duration.ofMillis(wait));
            }
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = calls.call("GetRecords", () -> client.getRecords(request -> request.shardIterator(current).limit(limit)));
            }
            catch (ExpiredIteratorException e) {
                iterator = iterator(position);
                continue;
            }
            finally {
                lastAnswerMillis = System.currentTimeMillis();
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

    /** How far a task may read when no end is recorded for its batch yet. */
    record Limits(int maxRecords, Duration maxTime, Optional<Instant> cutoff, long notBeforeMillis)
    {
        Limits
        {
            if (maxRecords < 1) {
                throw new IllegalArgumentException("Invalid maxRecords: " + maxRecords);
            }
            requireNonNull(maxTime, "maxTime is null");
            requireNonNull(cutoff, "cutoff is null");
        }
    }

    /**
     * Opens a cursor over the records after {@code from}: up to and including {@code recordedEnd} when present (the
     * batch ran before), else up to the {@code limits}, after which {@link Cursor#end()} says where it stopped.
     */
    Cursor open(ShardPosition from, Optional<ShardPosition> recordedEnd, Limits limits)
    {
        return new Cursor(from, recordedEnd, limits);
    }

    final class Cursor
    {
        private final Optional<ShardPosition> recordedEnd;
        private final Limits limits;
        private final long deadline;
        private ShardPosition position;
        private String iterator;
        private long delivered;
        private int emptyAtTip;
        private long lastCallMillis;
        private ShardEnd end;
        private boolean done;

        private Cursor(ShardPosition from, Optional<ShardPosition> recordedEnd, Limits limits)
        {
            this.position = requireNonNull(from, "from is null");
            this.recordedEnd = requireNonNull(recordedEnd, "recordedEnd is null");
            this.limits = requireNonNull(limits, "limits is null");
            this.deadline = System.nanoTime() + limits.maxTime().toNanos();
            this.lastCallMillis = limits.notBeforeMillis() - MIN_CALL_SPACING.toMillis();
            // A recorded end without a record after the start: that run read nothing, so this one reads nothing.
            this.done = recordedEnd.isPresent() && (recordedEnd.get().sequenceNumber() == null || recordedEnd.get().sequenceNumber().equals(from.sequenceNumber()));
        }

        /** Where a fresh read stopped; empty while reading and when the end was recorded before. */
        Optional<ShardEnd> end()
        {
            return Optional.ofNullable(end);
        }

        /** The next records, possibly none; null once everything this batch reads was delivered. */
        List<Record> nextPage()
        {
            if (done) {
                return null;
            }
            if (iterator == null) {
                iterator = iterator(position);
            }
            return recordedEnd.isPresent() ? nextRecordedPage(recordedEnd.get().sequenceNumber()) : nextFreshPage();
        }

        private List<Record> nextFreshPage()
        {
            int limit = (int) Math.min(MAX_RECORDS_PER_CALL, limits.maxRecords() - delivered);
            GetRecordsResponse response;
            try {
                response = getRecords(limit);
            }
            catch (ExpiredIteratorException e) {
                iterator = null;
                return List.of();
            }
            List<Record> page = new ArrayList<>(response.records().size());
            for (Record record : response.records()) {
                if (limits.cutoff().isPresent() && record.approximateArrivalTimestamp() != null && record.approximateArrivalTimestamp().isAfter(limits.cutoff().get())) {
                    // Trigger.AvailableNow: later records are the next run's.
                    return finish(page, position, true, lag(response));
                }
                page.add(record);
                delivered++;
                position = ShardPosition.after(record.sequenceNumber());
            }
            iterator = response.nextShardIterator();
            if (iterator == null) {
                return finish(page, position.asFinished(), true, 0);
            }
            if (isCaughtUp(response)) {
                return finish(page, position, true, 0);
            }
            if (delivered >= limits.maxRecords() || System.nanoTime() > deadline) {
                return finish(page, position, false, lag(response));
            }
            return page;
        }

        private List<Record> finish(List<Record> page, ShardPosition at, boolean caughtUp, long millisBehindLatest)
        {
            end = new ShardEnd(at, delivered, caughtUp, millisBehindLatest, lastCallMillis);
            done = true;
            return page;
        }

        private List<Record> nextRecordedPage(String endSequenceNumber)
        {
            int limit = MAX_RECORDS_PER_CALL;
            GetRecordsResponse response;
            try {
                response = getRecords(limit);
            }
            catch (ExpiredIteratorException e) {
                iterator = null;
                return List.of();
            }
            List<Record> page = new ArrayList<>(response.records().size());
            for (Record record : response.records()) {
                int comparison = SequenceNumbers.compare(record.sequenceNumber(), endSequenceNumber);
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
                throw new KinesisSourceException("Cannot read shard %s of Kinesis stream '%s': it ended before sequence number %s recorded for this batch"
                        .formatted(shardId, streamName, endSequenceNumber));
            }
            if (page.isEmpty() && isCaughtUp(response)) {
                // The first run read the records up to the end, so they exist: an empty answer at the tip is transient.
                emptyAtTip++;
                if (emptyAtTip > MAX_EMPTY_AT_TIP) {
                    throw new KinesisSourceException("Cannot read shard %s of Kinesis stream '%s': sequence number %s recorded for this batch not found after %s"
                            .formatted(shardId, streamName, endSequenceNumber, position));
                }
                KinesisCalls.pause(EMPTY_POLL_DELAY);
            }
            return page;
        }

        /** One GetRecords call, at least {@link #MIN_CALL_SPACING} after the previous one on this shard. */
        private GetRecordsResponse getRecords(int limit)
        {
            long wait = lastCallMillis + MIN_CALL_SPACING.toMillis() - System.currentTimeMillis();
            if (wait > 0) {
                KinesisCalls.pause(Duration.ofMillis(wait));
            }
            String current = iterator;
            try {
                return calls.call("GetRecords", () -> client.getRecords(request -> request.shardIterator(current).limit(limit)));
            }
            finally {
                // Spaced from the answer, not the request: a request delayed on its way cannot arrive close to the next.
                lastCallMillis = System.currentTimeMillis();
            }
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
