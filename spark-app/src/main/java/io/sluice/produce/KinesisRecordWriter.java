package io.sluice.produce;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * Writes records with PutRecords, at most 500 records or 5 MiB a call (the service limits). Entries the service
 * rejects (throttling, internal errors) are sent again with jittered backoff until they land or the attempts run out.
 */
public final class KinesisRecordWriter
        implements RecordWriter
{
    private static final int MAX_RECORDS_PER_CALL = 500;
    private static final long MAX_BYTES_PER_CALL = 5L * 1024 * 1024;
    private static final int MAX_ATTEMPTS = 12;

    private final KinesisClient client;
    private final String streamName;

    public KinesisRecordWriter(KinesisClient client, String streamName)
    {
        this.client = requireNonNull(client, "client is null");
        this.streamName = requireNonNull(streamName, "streamName is null");
    }

    @Override
    public void write(List<ProducedRecord> records)
    {
        List<PutRecordsRequestEntry> call = new ArrayList<>();
        long callBytes = 0;
        for (ProducedRecord record : records) {
            PutRecordsRequestEntry entry = PutRecordsRequestEntry.builder()
                    .partitionKey(record.partitionKey())
                    .data(SdkBytes.fromByteArray(record.payload()))
                    .build();
            long size = record.payload().length + record.partitionKey().length();
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
