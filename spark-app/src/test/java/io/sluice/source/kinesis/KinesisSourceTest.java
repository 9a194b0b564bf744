package io.sluice.source.kinesis;

import io.sluice.local.KinesisMock;
import io.sluice.source.kinesis.CollectingSink.Collected;
import io.sluice.source.kinesis.KinesisTestStreams.Written;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.StreamHarness;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.sluice.source.kinesis.KplDeaggregator.UserRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class KinesisSourceTest
{
    private KinesisMock mock;
    private KinesisClient client;
    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        mock = KinesisMock.start(Path.of(System.getProperty("sluice.home", ".")));
        client = KinesisClients.create(mock.clientSettings());
        spark = SharedSpark.session(context);
    }

    @AfterAll
    void stop()
    {
        if (client != null) {
            client.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void readsEveryRecordOfFourShardsExactlyOnce(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("exactly-once", 4);
        List<Written> written = KinesisTestStreams.put(client, "exactly-once", 0, 2000, i -> "key-" + i);
        assertThat(written.stream().map(Written::shardId).distinct()).hasSize(4);

        CollectingSink sink = new CollectingSink();
        StreamingQuery query = start("exactly-once", mock.endpoint(), Map.of("kinesis.maxFetchRecordsPerShard", "200"), checkpoint, sink);
        try {
            query.processAllAvailable();
        }
        finally {
            query.stop();
        }
        assertThat(query.lastProgress().sources()[0].metrics())
                .containsEntry("openShards", "4")
                .containsEntry("finishedShards", "0")
                .containsEntry("maxMillisBehindLatest", "0");
        assertExactly(sink.rows(), written);
        // 500 records per shard, at most 200 per batch: the limit spreads them over several batches.
        assertThat(sink.rows().stream().map(Collected::batchId).distinct()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void resumesFromTheCheckpointWithoutLossOrRepeat(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("restart", 4);
        List<Written> written = new ArrayList<>(KinesisTestStreams.put(client, "restart", 0, 1200, i -> "key-" + i));
        CollectingSink sink = new CollectingSink();
        Map<String, String> options = Map.of("kinesis.maxFetchRecordsPerShard", "50");

        StreamingQuery first = start("restart", mock.endpoint(), options, checkpoint, sink);
        StreamHarness.awaitWhileRunning(first, Duration.ofMinutes(1), () -> !sink.rows().isEmpty());
        first.stop();
        assertThat(sink.rows().size()).as("rows read before the stop").isLessThan(written.size());

        written.addAll(KinesisTestStreams.put(client, "restart", 1200, 400, i -> "key-" + i));
        StreamingQuery second = start("restart", mock.endpoint(), options, checkpoint, sink);
        try {
            second.processAllAvailable();
        }
        finally {
            second.stop();
        }
        assertExactly(sink.rows(), written);
    }

    @Test
    void reRunsAFailedBatchWithExactlyTheSameRecords(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("rerun", 4);
        List<Written> written = new ArrayList<>(KinesisTestStreams.put(client, "rerun", 0, 400, i -> "key-" + i));
        CollectingSink sink = new CollectingSink(1);
        Map<String, String> options = Map.of("kinesis.maxFetchRecordsPerShard", "50");

        StreamingQuery failing = start("rerun", mock.endpoint(), options, checkpoint, sink);
        assertThatThrownBy(() -> failing.awaitTermination(60_000))
                .isInstanceOf(StreamingQueryException.class)
                .hasMessageContaining("Injected failure in batch 1");

        // Records written meanwhile must not slip into the re-run of batch 1.
        written.addAll(KinesisTestStreams.put(client, "rerun", 400, 200, i -> "key-" + i));
        StreamingQuery resumed = start("rerun", mock.endpoint(), options, checkpoint, sink);
        try {
            resumed.processAllAvailable();
        }
        finally {
            resumed.stop();
        }
        assertThat(sink.replays()).isEqualTo(1);
        assertExactly(sink.rows(), written);
    }

    @Test
    void followsSplitsAndMergesReadingParentsFirst(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("reshard", 2);
        CollectingSink sink = new CollectingSink();
        StreamingQuery query = start("reshard", mock.endpoint(), Map.of("kinesis.shardDiscoveryIntervalSec", "0"), checkpoint, sink);
        List<Written> written = new ArrayList<>();
        try {
            written.addAll(KinesisTestStreams.put(client, "reshard", 0, 400, KinesisSourceTest::sharedKey));
            query.processAllAvailable();

            Shard first = shards("reshard").get(0);
            BigInteger low = new BigInteger(first.hashKeyRange().startingHashKey());
            BigInteger high = new BigInteger(first.hashKeyRange().endingHashKey());
            client.splitShard(request -> request.streamName("reshard").shardToSplit(first.shardId())
                    .newStartingHashKey(low.add(high).shiftRight(1).toString()));
            mock.awaitActive("reshard");
            written.addAll(KinesisTestStreams.put(client, "reshard", 400, 400, KinesisSourceTest::sharedKey));

            // Merge the upper child of the split with its old neighbour.
            List<Shard> open = shards("reshard").stream().filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null).toList();
            Shard upperChild = open.stream().filter(shard -> first.shardId().equals(shard.parentShardId()))
                    .max(Comparator.comparing(shard -> new BigInteger(shard.hashKeyRange().startingHashKey()))).orElseThrow();
            Shard neighbour = open.stream().filter(shard -> new BigInteger(shard.hashKeyRange().startingHashKey())
                    .equals(new BigInteger(upperChild.hashKeyRange().endingHashKey()).add(BigInteger.ONE))).findFirst().orElseThrow();
            client.mergeShards(request -> request.streamName("reshard").shardToMerge(upperChild.shardId()).adjacentShardToMerge(neighbour.shardId()));
            mock.awaitActive("reshard");
            written.addAll(KinesisTestStreams.put(client, "reshard", 800, 400, KinesisSourceTest::sharedKey));

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                query.processAllAvailable();
                assertThat(sink.rows()).hasSize(written.size());
            });
        }
        finally {
            query.stop();
        }
        assertExactly(sink.rows(), written);
        assertThat(written.stream().map(Written::shardId).distinct()).hasSize(5);

        // Per partition key the rows come in the order they were written, across the reshards.
        Map<String, List<String>> writtenByKey = written.stream()
                .collect(Collectors.groupingBy(Written::partitionKey, Collectors.mapping(Written::data, Collectors.toList())));
        Map<String, List<String>> readByKey = sink.rows().stream()
                .sorted(Comparator.comparingLong(Collected::batchId).thenComparingInt(Collected::index))
                .collect(Collectors.groupingBy(Collected::partitionKey, Collectors.mapping(Collected::data, Collectors.toList())));
        assertThat(readByKey).isEqualTo(writtenByKey);

        // Every child's rows come in later batches than all of its parents' rows.
        Map<String, Long> firstBatch = new HashMap<>();
        Map<String, Long> lastBatch = new HashMap<>();
        sink.rows().forEach(row -> {
            firstBatch.merge(row.shardId(), row.batchId(), Math::min);
            lastBatch.merge(row.shardId(), row.batchId(), Math::max);
        });
        for (Shard shard : shards("reshard")) {
            for (String parent : new String[] {shard.parentShardId(), shard.adjacentParentShardId()}) {
                if (parent != null && firstBatch.containsKey(shard.shardId()) && lastBatch.containsKey(parent)) {
                    assertThat(firstBatch.get(shard.shardId())).as("first batch of %s after last of parent %s", shard.shardId(), parent)
                            .isGreaterThan(lastBatch.get(parent));
                }
            }
        }
    }

    @Test
    void survivesThrottlingServerErrorsExpiredIteratorsAndDroppedConnections(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("faults", 4);
        List<Written> written = KinesisTestStreams.put(client, "faults", 0, 800, i -> "key-" + i);
        CollectingSink sink = new CollectingSink();
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(mock.endpoint())) {
            StreamingQuery query = start("faults", proxy.endpoint(),
                    Map.of("kinesis.maxFetchRecordsPerShard", "100", "kinesis.retryInitialDelayMs", "10", "kinesis.retryMaxDelayMs", "100"),
                    checkpoint, sink);
            try {
                query.processAllAvailable();
            }
            finally {
                query.stop();
            }
            assertThat(proxy.injectedFaults()).as("faults injected").isGreaterThanOrEqualTo(8);
        }
        assertExactly(sink.rows(), written);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 200, 1000})
    void getRecordsStayWithinFiveCallsPerShardPerSecond(long triggerMillis, @TempDir Path checkpoint)
            throws Exception
    {
        String stream = "budget-" + triggerMillis;
        mock.createStream(stream, 2);
        CollectingSink sink = new CollectingSink();
        List<Written> written = new ArrayList<>();
        try (FaultInjectingProxy proxy = FaultInjectingProxy.counting(mock.endpoint())) {
            StreamingQuery query = start(stream, proxy.endpoint(), Map.of("kinesis.maxFetchRecordsPerShard", "50"), checkpoint, sink,
                    Trigger.ProcessingTime(triggerMillis));
            try {
                // New records as soon as the last ones were read (small batches back to back, the busiest case), then idle.
                for (int round = 0; round < 15; round++) {
                    written.addAll(KinesisTestStreams.put(client, stream, round * 40, 40, i -> "key-" + i));
                    int expected = written.size();
                    StreamHarness.awaitWhileRunning(query, Duration.ofMinutes(1), () -> sink.rows().size() >= expected);
                }
                StreamHarness.keepRunning(query, Duration.ofSeconds(3));
            }
            finally {
                query.stop();
            }
            System.out.printf("trigger %d ms: %d GetRecords calls, at most %d per shard in one second%n",
                    triggerMillis, proxy.getRecordsCalls(), proxy.maxGetRecordsPerShardPerSecond());
            assertThat(proxy.maxGetRecordsPerShardPerSecond()).as("GetRecords calls per shard in any second").isBetween(1, 5);
        }
        assertExactly(sink.rows(), written);
    }

    @Test
    void splitsKplAggregatesIntoUserRecords(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("kpl", 1);
        List<UserRecord> users = List.of(
                new UserRecord("user-a", "first".getBytes(StandardCharsets.UTF_8)),
                new UserRecord("user-b", "second".getBytes(StandardCharsets.UTF_8)),
                new UserRecord("user-a", "third".getBytes(StandardCharsets.UTF_8)));
        String aggregated = client.putRecord(request -> request.streamName("kpl").partitionKey("user-a")
                .data(SdkBytes.fromByteArray(KplDeaggregator.aggregate(users)))).sequenceNumber();
        String plain = client.putRecord(request -> request.streamName("kpl").partitionKey("plain")
                .data(SdkBytes.fromUtf8String("unaggregated"))).sequenceNumber();

        CollectingSink sink = new CollectingSink();
        StreamingQuery query = start("kpl", mock.endpoint(), Map.of(), checkpoint, sink);
        try {
            query.processAllAvailable();
        }
        finally {
            query.stop();
        }
        assertThat(sink.rows())
                .extracting(Collected::sequenceNumber, Collected::partitionKey, Collected::data)
                .containsExactly(
                        tuple(aggregated + ":0", "user-a", "first"),
                        tuple(aggregated + ":1", "user-b", "second"),
                        tuple(aggregated + ":2", "user-a", "third"),
                        tuple(plain, "plain", "unaggregated"));
    }

    @Test
    void latestSkipsRecordsWrittenBeforeTheQueryStarted(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("latest", 2);
        KinesisTestStreams.put(client, "latest", 0, 50, i -> "key-" + i);
        CollectingSink sink = new CollectingSink();
        StreamingQuery query = start("latest", mock.endpoint(), Map.of("kinesis.startingPosition", "LATEST"), checkpoint, sink);
        try {
            StreamHarness.awaitWhileRunning(query, Duration.ofMinutes(1), () -> query.lastProgress() != null);
            List<Written> later = KinesisTestStreams.put(client, "latest", 50, 50, i -> "key-" + i);
            StreamHarness.awaitWhileRunning(query, Duration.ofMinutes(1), () -> sink.rows().size() >= later.size());
            query.processAllAvailable();
            assertExactly(sink.rows(), later);
        }
        finally {
            query.stop();
        }
    }

    @Test
    void proxyFaultsReachTheSourceAsRetryableKinesisErrors()
    {
        mock.createStream("proxy", 1);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(mock.endpoint());
                KinesisClient direct = KinesisClients.create(KinesisClientSettings.forEndpoint(mock.region(), proxy.endpoint()).withMaxSdkAttempts(1))) {
            String shardId = direct.listShards(request -> request.streamName("proxy")).shards().get(0).shardId();
            String iterator = direct.getShardIterator(request -> request.streamName("proxy").shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Class<?>> failures = new ArrayList<>();
            for (int call = 1; call <= 12; call++) {
                try {
                    direct.getRecords(request -> request.shardIterator(iterator));
                }
                catch (ExpiredIteratorException e) {
                    // Not retried as such: the reader re-acquires an iterator after its last record.
                    failures.add(e.getClass());
                }
                catch (SdkException e) {
                    assertThat(KinesisCalls.isRetryable(e)).as("retryable: %s", e).isTrue();
                    failures.add(e.getClass());
                }
            }
            assertThat(failures).containsExactly(
                    ProvisionedThroughputExceededException.class, KinesisException.class, ExpiredIteratorException.class, SdkClientException.class);
        }
    }

    @Test
    void availableNowReadsWhatArrivedBeforeItStartedAndStops(@TempDir Path checkpoint)
            throws Exception
    {
        mock.createStream("available-now", 2);
        List<Written> first = KinesisTestStreams.put(client, "available-now", 0, 300, i -> "key-" + i);
        CollectingSink sink = new CollectingSink();
        Map<String, String> options = Map.of("kinesis.maxFetchRecordsPerShard", "50");

        StreamingQuery run = start("available-now", mock.endpoint(), options, checkpoint, sink, Trigger.AvailableNow());
        assertThat(run.awaitTermination(60_000)).as("first run terminated").isTrue();
        assertExactly(sink.rows(), first);
        assertThat(sink.rows().stream().map(Collected::batchId).distinct()).hasSizeGreaterThanOrEqualTo(3);

        List<Written> all = new ArrayList<>(first);
        all.addAll(KinesisTestStreams.put(client, "available-now", 300, 100, i -> "key-" + i));
        StreamingQuery again = start("available-now", mock.endpoint(), options, checkpoint, sink, Trigger.AvailableNow());
        assertThat(again.awaitTermination(60_000)).as("second run terminated").isTrue();
        assertExactly(sink.rows(), all);
    }

    @Test
    void rejectsBadOptionsWhenTheQueryIsDefined()
    {
        assertThatThrownBy(() -> spark.readStream()
                .format(KinesisSourceProvider.SHORT_NAME)
                .option("kinesis.streamName", "events")
                .option("kinesis.region", "us-east-1")
                .option("kinesis.maxFetchRecordsPerShard", "many")
                .load())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid kinesis.maxFetchRecordsPerShard: 'many'; expected a record count from 1 to 2147483647");
    }

    @Test
    void failsWithAClearMessageWhenTheStreamIsMissing(@TempDir Path checkpoint)
            throws Exception
    {
        StreamingQuery query = start("no-such-stream", mock.endpoint(), Map.of(), checkpoint, new CollectingSink());
        try {
            assertThatThrownBy(() -> query.awaitTermination(60_000))
                    .isInstanceOf(StreamingQueryException.class)
                    .hasMessageContaining("Cannot read Kinesis stream 'no-such-stream': ");
        }
        finally {
            query.stop();
        }
    }

    private StreamingQuery start(String stream, URI endpoint, Map<String, String> extraOptions, Path checkpoint, CollectingSink sink)
            throws TimeoutException
    {
        return start(stream, endpoint, extraOptions, checkpoint, sink, Trigger.ProcessingTime(100));
    }

    private StreamingQuery start(String stream, URI endpoint, Map<String, String> extraOptions, Path checkpoint, CollectingSink sink, Trigger trigger)
            throws TimeoutException
    {
        Dataset<Row> rows = spark.readStream()
                .format(KinesisSourceProvider.SHORT_NAME)
                .option("kinesis.streamName", stream)
                .option("kinesis.endpointUrl", endpoint.toString())
                .option("kinesis.region", mock.region())
                .option("kinesis.startingPosition", "TRIM_HORIZON")
                .options(extraOptions)
                .load();
        return rows.writeStream()
                .foreachBatch(sink)
                .option("checkpointLocation", checkpoint.toString())
                .trigger(trigger)
                .start();
    }

    private List<Shard> shards(String stream)
    {
        return client.listShards(request -> request.streamName(stream)).shards();
    }

    private static String sharedKey(int index)
    {
        return "key-" + (index % 40);
    }

    private static void assertExactly(List<Collected> rows, List<Written> written)
    {
        assertThat(rows)
                .extracting(row -> new Written(row.shardId(), row.sequenceNumber(), row.partitionKey(), row.data()))
                .containsExactlyInAnyOrderElementsOf(written);
    }
}
