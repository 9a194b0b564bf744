package io.sluice.local;

import io.sluice.source.kinesis.KinesisClients;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Measures a local Kinesis stand-in the way Sluice uses it: one client puts {@code records} records of {@code bytes}
 * bytes over {@code shards} shards in PutRecords calls of 500 entries, reporting the rate of every tenth of the records
 * (a stand-in that slows as it fills shows it here), then reads everything back with GetRecords (10,000 per call),
 * again a rate per tenth. Stops putting when {@code budgetSeconds} have passed, so the slow candidate ends too.
 * Arguments: kind (KINESALITE or KINESIS_LOCAL), records, bytes, shards, budgetSeconds. Prints figures; asserts nothing.
 */
public final class KinesisStandInBenchmark
{
    private static final String STREAM = "standin-benchmark";

    private KinesisStandInBenchmark() {}

    public static void main(String[] args)
    {
        KinesisMock.Kind kind = KinesisMock.Kind.valueOf(args.length > 0 ? args[0].toUpperCase(Locale.ROOT) : "KINESALITE");
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 450;
        int shards = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        long budgetNanos = (args.length > 4 ? Long.parseLong(args[4]) : 900) * 1_000_000_000L;
        Path home = Path.of(System.getProperty("sluice.home", "."));
        int step = Math.max(500, records / 10 / 500 * 500);

        try (KinesisMock mock = KinesisMock.start(home, kind, OptionalInt.empty());
                KinesisClient client = KinesisClients.create(mock.clientSettings())) {
            mock.createStream(STREAM, shards);
            byte[] payload = new byte[bytes];
            Arrays.fill(payload, (byte) 'x');

            long start = System.nanoTime();
            long stepStart = start;
            int put = 0;
            double firstRate = 0;
            double lastRate = 0;
            while (put < records && System.nanoTime() - start < budgetNanos) {
                int count = Math.min(500, records - put);
                List<PutRecordsRequestEntry> entries = new ArrayList<>(count);
                for (int i = put; i < put + count; i++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i).data(SdkBytes.fromByteArray(payload)).build());
                }
                PutRecordsResponse response = client.putRecords(request -> request.streamName(STREAM).records(entries));
                if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                    throw new IllegalStateException("Cannot put benchmark records: %d failed".formatted(response.failedRecordCount()));
                }
                put += count;
                if (put % step == 0 || put == records) {
                    long now = System.nanoTime();
                    double rate = (put % step == 0 ? step : put % step) / ((now - stepStart) / 1e9);
                    firstRate = firstRate == 0 ? rate : firstRate;
                    lastRate = rate;
                    System.out.printf("put %,9d records: %,7.0f records/s in the last %,d%n", put, rate, step);
                    stepStart = now;
                }
            }
            double putSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: put %,d records of %d bytes over %d shards in %.1f s: %,.0f records/s%s%n", kind, put, bytes, shards,
                    putSeconds, put / putSeconds, put < records ? " (stopped at the time budget)" : "");

            long readStart = System.nanoTime();
            long readStepStart = readStart;
            long read = 0;
            long readAtLastLine = 0;
            for (Shard shard : client.listShards(request -> request.streamName(STREAM)).shards()) {
                String iterator = client.getShardIterator(request -> request.streamName(STREAM).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    GetRecordsResponse response = client.getRecords(request -> request.shardIterator(current).limit(10_000));
                    read += response.records().size();
                    iterator = response.records().isEmpty() ? null : response.nextShardIterator();
                    if (read - readAtLastLine >= step) {
                        long now = System.nanoTime();
                        System.out.printf("got %,9d records: %,7.0f records/s since the last line%n", read, (read - readAtLastLine) / ((now - readStepStart) / 1e9));
                        readStepStart = now;
                        readAtLastLine = read;
                    }
                }
            }
            double readSeconds = (System.nanoTime() - readStart) / 1e9;
            System.out.printf("%s: got %,d records back in %.1f s: %,.0f records/s%n", kind, read, readSeconds, read / readSeconds);
            System.out.printf("RESULT standin kind=%s records=%d put_rps=%.0f put_first_tenth_rps=%.0f put_last_tenth_rps=%.0f get_rps=%.0f%n",
                    kind, put, put / putSeconds, firstRate, lastRate, read / readSeconds);
        }
    }
}
