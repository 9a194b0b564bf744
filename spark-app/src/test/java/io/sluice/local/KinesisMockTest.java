package io.sluice.local;

import io.sluice.source.kinesis.KinesisClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

    @ParameterizedTest
    @EnumSource(KinesisMock.Kind.class)
    void eachStandInAnswersAsSoonAsStartReturns(KinesisMock.Kind kind)
    {
        ProcessHandle process;
        try (KinesisMock mock = KinesisMock.start(HOME, kind, OptionalInt.empty());
                KinesisClient client = KinesisClients.create(mock.clientSettings())) {
            process = mock.process();
            assertThat(mock.kind()).isEqualTo(kind);
            // No retry, no wait: start() returned only after the stand-in answered an API call.
            assertThat(client.listStreams().streamNames()).isEmpty();
            mock.createStream("ready-test", 1);
            assertThat(client.describeStreamSummary(request -> request.streamName("ready-test")).streamDescriptionSummary().openShardCount())
                    .isEqualTo(1);

            // AT_TIMESTAMP after the newest record is an iterator at the tip (kinesalite needs its launcher's fix for this).
            String shardId = client.listShards(request -> request.streamName("ready-test")).shards().get(0).shardId();
            client.putRecord(request -> request.streamName("ready-test").partitionKey("k").data(SdkBytes.fromUtf8String("before")));
            // Arrival timestamps and the request's Timestamp have millisecond precision: a timestamp in the millisecond the
            // put returned in could still match "before", so take the next millisecond.
            Instant afterFirst = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(afterFirst.plusMillis(10)));
            String iterator = client.getShardIterator(request -> request.streamName("ready-test").shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(afterFirst)).shardIterator();
            client.putRecord(request -> request.streamName("ready-test").partitionKey("k").data(SdkBytes.fromUtf8String("after")));
            assertThat(client.getRecords(request -> request.shardIterator(iterator)).records())
                    .extracting(record -> record.data().asString(StandardCharsets.UTF_8))
                    .containsExactly("after");
        }
        assertThat(process.isAlive()).isFalse();
    }

    /** A Spark task stopped mid-call closes its connection mid-request; the stand-in must outlive it, as Kinesis does. */
    @Test
    void aClientThatHangsUpMidRequestDoesNotStopTheStandIn()
            throws Exception
    {
        try (KinesisMock mock = KinesisMock.start(HOME);
                KinesisClient client = KinesisClients.create(mock.clientSettings())) {
            mock.createStream("hang-up", 1);
            try (Socket socket = new Socket(mock.endpoint().getHost(), mock.endpoint().getPort())) {
                // Headers promising a body that never comes in full, then the connection closes.
                String head = "POST / HTTP/1.1\r\nHost: " + mock.endpoint().getHost() + "\r\nContent-Type: application/x-amz-json-1.1\r\n"
                        + "X-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Length: 1000\r\n\r\n{\"Limit\":";
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            // The server notices the closed socket asynchronously: keep calling while it would have died (kinesalite
            // exited on the next event-loop turn), and every call must answer.
            Instant until = Instant.now().plusMillis(500);
            while (Instant.now().isBefore(until)) {
                assertThat(client.listStreams().streamNames()).containsExactly("hang-up");
            }
            assertThat(mock.process().isAlive()).isTrue();
        }
    }

    @Test
    void aStandInThatDiesIsReportedWithItsLog()
    {
        try (KinesisMock mock = KinesisMock.start(HOME)) {
            mock.process().destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !mock.process().isAlive());
            assertThatThrownBy(() -> mock.createStream("after-death", 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Kinesis stand-in kinesalite exited with 137; its log ")
                    .hasMessageContaining("kinesalite listening on 127.0.0.1:" + mock.endpoint().getPort());
        }
    }

    @Test
    void missingPackageFailsWithInstructions(@TempDir Path home)
    {
        assertThatThrownBy(() -> KinesisMock.start(home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot start the Kinesis mock: %s not found; run `npm ci` in %s",
                        home.resolve("node_modules/kinesalite/index.js"), home);
        assertThatThrownBy(() -> KinesisMock.start(home, KinesisMock.Kind.KINESIS_LOCAL, OptionalInt.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot start the Kinesis mock: %s not found; run `npm ci` in %s",
                        home.resolve("node_modules/kinesis-local/main.js"), home);
    }
}
