package io.sluice.source.kinesis;

import io.sluice.local.KinesisMock;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how fast {@code sluice-kinesis} reads from the local mock: puts {@code records} records of
 * {@code bytes} bytes over {@code shards} shards, then times a query that reads them all from TRIM_HORIZON.
 * Arguments (all optional): records, bytes, shards, maxFetchRecordsPerShard. Prints figures; asserts nothing.
 */
public final class KinesisReadBenchmark
{
    private KinesisReadBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int shards = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String maxFetch = args.length > 3 ? args[3] : "100000";
        Path home = Path.of(System.getProperty("sluice.home", "."));

        try (KinesisMock mock = KinesisMock.start(home);
                KinesisClient client = KinesisClients.create(mock.clientSettings())) {
            mock.createStream("benchmark", shards);
            long putStart = System.nanoTime();
            put(client, records, bytes);
            double putSeconds = (System.nanoTime() - putStart) / 1e9;
            System.out.printf("put %,d records of %d bytes over %d shards in %.1f s (%,.0f records/s)%n",
                    records, bytes, shards, putSeconds, records / putSeconds);

            // Baseline: the same records read with plain GetRecords calls, one shard after the other.
            long rawStart = System.nanoTime();
            long rawRecords = 0;
            for (Shard shard : client.listShards(request -> request.streamName("benchmark")).shards()) {
                String iterator = client.getShardIterator(request -> request.streamName("benchmark").shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    GetRecordsResponse response = client.getRecords(request -> request.shardIterator(current).limit(10_000));
                    rawRecords += response.records().size();
                    iterator = response.records().isEmpty() && Long.valueOf(0).equals(response.millisBehindLatest()) ? null : response.nextShardIterator();
                }
            }
            double rawSeconds = (System.nanoTime() - rawStart) / 1e9;
            System.out.printf("baseline: GetRecords alone read %,d records in %.1f s: %,.0f records/s%n", rawRecords, rawSeconds, rawRecords / rawSeconds);

            SparkSession spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("kinesis-read-benchmark")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            Path checkpoint = Files.createTempDirectory("kinesis-benchmark");
            AtomicLong read = new AtomicLong();
            VoidFunction2<Dataset<Row>, Long> counter = (batch, batchId) -> read.addAndGet(batch.count());
            long readStart = System.nanoTime();
            StreamingQuery query = spark.readStream()
                    .format(KinesisSourceProvider.SHORT_NAME)
                    .option("kinesis.streamName", "benchmark")
                    .option("kinesis.endpointUrl", mock.endpoint().toString())
                    .option("kinesis.region", mock.region())
                    .option("kinesis.startingPosition", "TRIM_HORIZON")
                    .option("kinesis.maxFetchRecordsPerShard", maxFetch)
                    .load()
                    .writeStream()
                    .foreachBatch(counter)
                    .option("checkpointLocation", checkpoint.toString())
                    .trigger(Trigger.ProcessingTime(0))
                    .start();
            query.processAllAvailable();
            double readSeconds = (System.nanoTime() - readStart) / 1e9;
            int batches = query.recentProgress().length;
            query.stop();
            spark.stop();
            System.out.printf("read %,d records in %.1f s over %d micro-batches: %,.0f records/s, %,.0f records/s per shard, %.1f MB/s%n",
                    read.get(), readSeconds, batches, read.get() / readSeconds, read.get() / readSeconds / shards,
                    read.get() * (double) bytes / readSeconds / 1e6);
            if (read.get() != records) {
                System.out.printf("WARNING: read %,d records but put %,d%n", read.get(), records);
            }
            System.out.printf("RESULT kinesis-read records_per_s=%.0f records_per_s_per_shard=%.0f getrecords_records_per_s=%.0f put_records_per_s=%.0f read=%d put=%d%n",
                    read.get() / readSeconds, read.get() / readSeconds / shards, rawRecords / rawSeconds, records / putSeconds, read.get(), records);
        }
    }

    private static void put(KinesisClient client, int records, int bytes)
    {
        byte[] payload = new byte[bytes];
        Arrays.fill(payload, (byte) 'x');
        for (int start = 0; start < records; start += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>(500);
            for (int i = start; i < Math.min(records, start + 500); i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i).data(SdkBytes.fromByteArray(payload)).build());
            }
            PutRecordsResponse response = client.putRecords(request -> request.streamName("benchmark").records(entries));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException("Cannot put benchmark records: %d failed".formatted(response.failedRecordCount()));
            }
        }
    }
}
