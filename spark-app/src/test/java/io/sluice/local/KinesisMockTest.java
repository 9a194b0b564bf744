package io.sluice.local;

import io.sluice.source.kinesis.KinesisClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class KinesisMockTest
{
    private static final Path HOME = Path.of(System.getProperty("sluice.home", "."));

    @Test
    void startsCreatesStreamsAndStopsWithoutLeftovers()
    {
        ProcessHandle process;
        try (KinesisMock mock = KinesisMock.start(HOME);
                KinesisClient client = KinesisClients.create(mock.clientSettings())) {
            process = mock.process();
            mock.createStream("mock-test", 2);

            List<Shard> shards = client.listShards(request -> request.streamName("mock-test")).shards();
            assertThat(shards).hasSize(2);
            client.putRecord(request -> request.streamName("mock-test").partitionKey("k").data(SdkBytes.fromUtf8String("hello")));
            String shardId = client.putRecord(request -> request.streamName("mock-test").partitionKey("k").data(SdkBytes.fromUtf8String("again"))).shardId();
            String iterator = client.getShardIterator(request -> request.streamName("mock-test").shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse records = client.getRecords(request -> request.shardIterator(iterator));
            assertThat(records.records())
                    .extracting(record -> record.data().asString(StandardCharsets.UTF_8))
                    .containsExactly("hello", "again");
        }
        assertThat(process.isAlive()).isFalse();
        assertThat(process.descendants()).isEmpty();
    }

    @Test
    void missingPackageFailsWithInstructions(@TempDir Path home)
    {
        assertThatThrownBy(() -> KinesisMock.start(home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot start the Kinesis mock: %s not found; run `npm ci` in %s",
                        home.resolve("node_modules/kinesis-local/main.js"), home);
    }
}
