package io.sluice.produce;

import io.sluice.source.kinesis.KplDeaggregator;
import io.sluice.source.kinesis.KplDeaggregator.UserRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * Writes records with PutRecords, at most 500 records or 5 MiB a call (the service limits). Entries the service
 * rejects (throttling, internal errors) are sent again with jittered backoff until they land or the attempts run out.
 *
 * <p>{@link #aggregating} packs the records of each write into KPL aggregates, as the Kinesis Producer Library does:
 * one Kinesis record carries up to 51,200 bytes of records with the same partition key, in
 * their order, so each lands on the shard it would have alone. A shard takes 1,000 records a second; aggregates
 * carry many events each, and what a stream (or the local stand-in) spends per record is spent once per aggregate.
 */
public final class KinesisRecordWriter
        implements RecordWriter
{
    private static final int MAX_RECORDS_PER_CALL = 500;
    private static final long MAX_BYTES_PER_CALL = 5L * 1024 * 1024;
    private static final int MAX_ATTEMPTS = 12;
    // The KPL's default AggregationMaxSize.
    private static final int MAX_AGGREGATE_BYTES = 51_200;

    private final KinesisClient client;
    private final String streamName;
    private final boolean aggregate;

    /** Writes one Kinesis record per produced record. */
    public KinesisRecordWriter(KinesisClient client, String streamName)
    {
        this(client, streamName, false);
    }

    private KinesisRecordWriter(KinesisClient client, String streamName, boolean aggregate)
    {
        this.client = requireNonNull(client, "client is null");
        this.streamName = requireNonNull(streamName, "streamName is null");
        this.aggregate = aggregate;
    }

    /** Writes KPL aggregates of the records that share a partition key; Sluice's source splits them again. */
    public static KinesisRecordWriter aggregating(KinesisClient client, String streamName)
    {
        return new KinesisRecordWriter(client, streamName, true);
    }

    @Override
    public void write(List<ProducedRecord> records)
    {
        List<PutRecordsRequestEntry> call = new ArrayList<>();
        long callBytes = 0;
        for (PutRecordsRequestEntry entry : aggregate ? aggregates(records) : plain(records)) {
            long size = entry.data().asByteArrayUnsafe().length + entry.partitionKey().length();
            if (!call.isEmpty() && (call.size() == MAX_RECORDS_PER_CALL || callBytes + size > MAX_BYTES_PER_CALL)) {
                putAll(call);
                call = new ArrayList<>();
                callBytes = 0;
            }
            call.add(entry);
            callBytes += size;
        }
        if (!call.isEmpty()) {
            putAll(call);
        }
    }

    private static List<PutRecordsRequestEntry> plain(List<ProducedRecord> records)
    {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (ProducedRecord record : records) {
            entries.add(entry(record.partitionKey(), record.payload()));
        }
        return entries;
    }

    /**
     * The records grouped by partition key, each group cut into aggregates of at most 51,200
     * bytes of payload; a record that size or larger goes alone, unaggregated, as the KPL sends it.
     */
    private static List<PutRecordsRequestEntry> aggregates(List<ProducedRecord> records)
    {
        Map<String, List<ProducedRecord>> byKey = new LinkedHashMap<>();
        for (ProducedRecord record : records) {
            byKey.computeIfAbsent(record.partitionKey(), key -> new ArrayList<>()).add(record);
        }
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (Map.Entry<String, List<ProducedRecord>> group : byKey.entrySet()) {
            String key = group.getKey();
            List<UserRecord> pending = new ArrayList<>();
            long pendingBytes = 0;
            for (ProducedRecord record : group.getValue()) {
                byte[] payload = record.payload();
                if (!pending.isEmpty() && pendingBytes + payload.length > MAX_AGGREGATE_BYTES) {
                    entries.add(entry(key, KplDeaggregator.aggregate(pending)));
                    pending = new ArrayList<>();
                    pendingBytes = 0;
                }
                if (payload.length >= MAX_AGGREGATE_BYTES) {
                    entries.add(entry(key, payload));
                    continue;
                }
                pending.add(new UserRecord(key, payload));
                pendingBytes += payload.length;
            }
            if (!pending.isEmpty()) {
                entries.add(entry(key, KplDeaggregator.aggregate(pending)));
            }
        }
        return entries;
    }

    private static PutRecordsRequestEntry entry(String partitionKey, byte[] data)
    {
        return PutRecordsRequestEntry.builder()
                .partitionKey(partitionKey)
                .data(SdkBytes.fromByteArrayUnsafe(data))
                .build();
    }

    private void putAll(List<PutRecordsRequestEntry> entries)
    {
        List<PutRecordsRequestEntry> pending = entries;
        for (int attempt = 1; ; attempt++) {
            PutRecordsResponse response = client.putRecords(PutRecordsRequest.builder()
                    .streamName(streamName)
                    .records(pending)
                    .build());
            if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
                return;
            }
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            String lastError = "";
            for (int i = 0; i < response.records().size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                if (result.errorCode() != null) {
                    failed.add(pending.get(i));
                    lastError = result.errorCode() + ": " + result.errorMessage();
                }
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("Cannot write %d records to Kinesis stream '%s' after %d attempts: %s"
                        .formatted(failed.size(), streamName, attempt, lastError));
            }
            pending = failed;
            sleep(backoff(attempt));
        }
    }

    private static Duration backoff(int attempt)
    {
        long cap = Math.min(5_000, 50L << Math.min(attempt, 10));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    private static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to Kinesis", e);
        }
    }

    @Override
    public void close()
    {
        client.close();
    }
}
