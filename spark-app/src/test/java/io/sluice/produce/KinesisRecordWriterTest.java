package io.sluice.produce;

import io.sluice.local.KinesisMock;
import io.sluice.source.kinesis.KinesisClients;
import io.sluice.source.kinesis.KplDeaggregator;
import io.sluice.source.kinesis.KplDeaggregator.UserRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What the writer puts, read back from the local stand-in with GetRecords. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class KinesisRecordWriterTest
{
    private KinesisMock mock;
    private KinesisClient reader;

    @BeforeAll
    void start()
    {
        mock = KinesisMock.start(Path.of(System.getProperty("sluice.home", ".")));
        reader = KinesisClients.create(mock.clientSettings());
    }

    @AfterAll
    void stop()
    {
        if (reader != null) {
            reader.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void aggregatesEachPartitionKeysRecordsInOrderUpTo50KiB()
    {
        mock.createStream("aggregated", 2);
        // Key a: 250 records of 400 bytes, the 101st of 60,000 (too large to aggregate); key b: 50 records.
        List<ProducedRecord> records = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            records.add(record("match-a", i, i == 100 ? 60_000 : 400));
            if (i < 50) {
                records.add(record("match-b", i, 400));
            }
        }
        try (KinesisRecordWriter writer = KinesisRecordWriter.aggregating(KinesisClients.create(mock.clientSettings()), "aggregated")) {
            writer.write(records);
        }

        List<Record> written = readAll("aggregated");
        List<UserRecord> read = new ArrayList<>();
        int aggregates = 0;
        for (Record record : written) {
            Optional<List<UserRecord>> users = KplDeaggregator.deaggregate(record.data().asByteArray());
            if (users.isPresent()) {
                aggregates++;
                assertThat(users.get()).extracting(UserRecord::partitionKey).containsOnly(record.partitionKey());
                read.addAll(users.get());
            }
            else {
                read.add(new UserRecord(record.partitionKey(), record.data().asByteArray()));
            }
        }
        // Key a: records 0-99 (40,000 bytes), record 100 alone, 101-228 (51,200 bytes), 229-249; key b: one aggregate.
        assertThat(written).hasSize(5);
        assertThat(aggregates).isEqualTo(4);
        for (String key : List.of("match-a", "match-b")) {
            assertThat(read.stream().filter(user -> user.partitionKey().equals(key)).map(user -> new String(user.data(), StandardCharsets.UTF_8)).toList())
                    .containsExactlyElementsOf(records.stream().filter(record -> record.partitionKey().equals(key))
                            .map(record -> new String(record.payload(), StandardCharsets.UTF_8)).toList());
        }
    }

    @Test
    void writesOneKinesisRecordPerRecordUnlessAggregating()
    {
        mock.createStream("plain", 1);
        List<ProducedRecord> records = List.of(record("match-a", 0, 100), record("match-a", 1, 100), record("match-b", 2, 100));
        try (KinesisRecordWriter writer = new KinesisRecordWriter(KinesisClients.create(mock.clientSettings()), "plain")) {
            writer.write(records);
        }

        assertThat(readAll("plain"))
                .extracting(Record::partitionKey, record -> new String(record.data().asByteArray(), StandardCharsets.UTF_8))
                .containsExactly(
                        tuple("match-a", new String(records.get(0).payload(), StandardCharsets.UTF_8)),
                        tuple("match-a", new String(records.get(1).payload(), StandardCharsets.UTF_8)),
                        tuple("match-b", new String(records.get(2).payload(), StandardCharsets.UTF_8)));
    }

    private static ProducedRecord record(String key, int index, int bytes)
    {
        byte[] payload = new byte[bytes];
        Arrays.fill(payload, (byte) ('a' + index % 26));
        byte[] prefix = "%s-%d:".formatted(key, index).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        return new ProducedRecord(key, payload, RecordKind.VALID, Optional.empty(), Optional.empty());
    }

    /** Every record of the stream, shard by shard in sequence order. */
    private List<Record> readAll(String stream)
    {
        List<Record> records = new ArrayList<>();
        for (Shard shard : reader.listShards(request -> request.streamName(stream)).shards()) {
            String iterator = reader.getShardIterator(request -> request.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (true) {
                String current = iterator;
                GetRecordsResponse response = reader.getRecords(request -> request.shardIterator(current));
                records.addAll(response.records());
                if (response.records().isEmpty() || response.millisBehindLatest() == 0) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        return records;
    }
}
