package io.sluice.source.kinesis;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes test records and remembers where Kinesis put them. */
final class KinesisTestStreams
{
    private KinesisTestStreams() {}

    /** One record as the source must return it. */
    record Written(String shardId, String sequenceNumber, String partitionKey, String data) {}

    static List<Written> put(KinesisClient client, String stream, int from, int count, IntFunction<String> partitionKey)
    {
        List<Written> written = new ArrayList<>(count);
        for (int batchStart = from; batchStart < from + count; batchStart += 500) {
            int batchEnd = Math.min(from + count, batchStart + 500);
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = batchStart; i < batchEnd; i++) {
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey(partitionKey.apply(i))
                        .data(SdkBytes.fromString(payload(i), StandardCharsets.UTF_8))
                        .build());
            }
            PutRecordsResponse response = client.putRecords(request -> request.streamName(stream).records(entries));
            assertThat(response.failedRecordCount()).isZero();
            for (int i = 0; i < entries.size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                written.add(new Written(result.shardId(), result.sequenceNumber(), entries.get(i).partitionKey(), payload(batchStart + i)));
            }
        }
        return written;
    }

    static String payload(int index)
    {
        return "{\"n\":" + index + "}";
    }
}
