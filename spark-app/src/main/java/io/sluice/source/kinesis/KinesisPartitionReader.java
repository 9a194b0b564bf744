package io.sluice.source.kinesis;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads one {@link KinesisInputPartition} page by page. KPL-aggregated records become one row per user record
 * with sequence number {@code <kinesis sequence number>:<index of the user record>}.
 */
final class KinesisPartitionReader
        implements PartitionReader<InternalRow>
{
    private final KinesisSourceOptions options;
    private final KinesisInputPartition partition;
    private final KinesisClients.OwnedClient client;
    private final ShardEndLog shardEnds;
    private final ShardReader.Cursor cursor;
    private final UTF8String streamName;
    private final UTF8String shardId;
    private final ArrayDeque<InternalRow> rows = new ArrayDeque<>();
    private InternalRow current;

    KinesisPartitionReader(KinesisSourceOptions options, KinesisInputPartition partition, ShardEndLog shardEnds)
    {
        this.options = requireNonNull(options, "options is null");
        this.partition = requireNonNull(partition, "partition is null");
        this.shardEnds = requireNonNull(shardEnds, "shardEnds is null");
        // Read before any record: a batch that ran before (retry, second evaluation, restart) reads exactly what it read then.
        Optional<ShardPosition> recordedEnd = shardEnds.read(partition.batchId(), partition.shardId()).map(ShardEnd::end);
        this.client = KinesisClients.open(options.clientSettings());
        ShardReader reader = new ShardReader(client.client(), new KinesisCalls(options.streamName(), options.backoff()), options.streamName(), partition.shardId());
        ShardReader.Limits limits = new ShardReader.Limits(options.maxFetchRecordsPerShard(), options.maxFetchTimePerShard(),
                partition.cutoffMillis() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(partition.cutoffMillis())), partition.notBeforeMillis());
        this.cursor = reader.open(partition.start(), recordedEnd, limits);
        this.streamName = UTF8String.fromString(options.streamName());
        this.shardId = UTF8String.fromString(partition.shardId());
    }

    @Override
    public boolean next()
    {
        while (rows.isEmpty()) {
            List<Record> page = cursor.nextPage();
            if (page == null) {
                // Recorded before the task succeeds, so before Spark can commit the batch.
                cursor.end().ifPresent(end -> shardEnds.write(partition.batchId(), partition.shardId(), end));
                current = null;
                return false;
            }
            page.forEach(this::addRows);
        }
        current = rows.poll();
        return true;
    }

    @Override
    public InternalRow get()
    {
        return current;
    }

    @Override
    public void close()
    {
        client.close();
    }

    private void addRows(Record record)
    {
        byte[] data = record.data().asByteArrayUnsafe();
        Optional<List<KplDeaggregator.UserRecord>> userRecords = options.deaggregate() ? KplDeaggregator.deaggregate(data) : Optional.empty();
        if (userRecords.isEmpty()) {
            rows.add(row(data, record.partitionKey(), record.sequenceNumber(), record.approximateArrivalTimestamp()));
            return;
        }
        List<KplDeaggregator.UserRecord> users = userRecords.get();
        for (int i = 0; i < users.size(); i++) {
            KplDeaggregator.UserRecord user = users.get(i);
            rows.add(row(user.data(), user.partitionKey(), record.sequenceNumber() + ":" + i, record.approximateArrivalTimestamp()));
        }
    }

    private InternalRow row(byte[] data, String partitionKey, String sequenceNumber, Instant arrival)
    {
        return new GenericInternalRow(new Object[] {
                data,
                streamName,
                UTF8String.fromString(partitionKey),
                UTF8String.fromString(sequenceNumber),
                arrival == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, arrival),
                shardId,
        });
    }

    @Override
    public String toString()
    {
        return "KinesisPartitionReader[" + partition + "]";
    }
}
