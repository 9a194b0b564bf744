package io.sluice.source.kinesis;

import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Plans micro-batches over the shards of one stream.
 * <p>
 * The end of a batch is fixed on the driver before the batch runs: {@link #latestOffset(Offset, ReadLimit)} reads
 * ahead on every readable shard and records the sequence number of the last record it saw. Tasks then read
 * exactly the records between the previous and this sequence number, so a re-run batch (after a failure or a
 * restart) yields the same rows. The price is that records are fetched twice, once on the driver to count and
 * once by the task.
 * <p>
 * A shard is readable once all its parents are finished in the batch's start offset, so the records of a parent
 * are always in an earlier batch than those of its children.
 */
final class KinesisMicroBatchStream
        implements MicroBatchStream, SupportsTriggerAvailableNow, ReportsSourceMetrics
{
    private static final Logger log = LoggerFactory.getLogger(KinesisMicroBatchStream.class);
    private static final int MAX_SCAN_THREADS = 8;
    private static final Duration IDLE_POLL_INTERVAL = Duration.ofMillis(250);

    private final KinesisSourceOptions options;
    private final Map<String, String> rawOptions;
    private final KinesisClients.OwnedClient ownedClient;
    private final KinesisClient client;
    private final KinesisCalls calls;
    private final ExecutorService scanners;
    // Iterators positioned right after the last planned offset, so idle polls need no GetShardIterator.
    private final Map<String, CachedIterator> iterators = new ConcurrentHashMap<>();
    // Records counted per planned shard range; sizes the tasks' GetRecords calls. Lost on restart, which is harmless.
    private final Map<String, Integer> plannedCounts = new ConcurrentHashMap<>();
    // Per shard, how far the end of the last planned batch was behind the shard's tip.
    private final Map<String, Long> millisBehindLatest = new ConcurrentHashMap<>();

    private Map<String, Shard> shards = Map.of();
    // Set by Trigger.AvailableNow: records that arrived later are left for the next run.
    private volatile Instant availableNowCutoff;
    private long lastDiscoveryNanos;
    private boolean discovered;

    private record CachedIterator(ShardPosition position, String iterator, boolean caughtUp, long scannedAtNanos) {}

    KinesisMicroBatchStream(KinesisSourceOptions options, Map<String, String> rawOptions)
    {
        this.options = requireNonNull(options, "options is null");
        this.rawOptions = Map.copyOf(requireNonNull(rawOptions, "rawOptions is null"));
        this.ownedClient = KinesisClients.open(options.clientSettings());
        this.client = ownedClient.client();
        this.calls = new KinesisCalls(options.streamName(), options.backoff());
        AtomicInteger threads = new AtomicInteger();
        this.scanners = Executors.newFixedThreadPool(MAX_SCAN_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "sluice-kinesis-scan-" + options.streamName() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Offset initialOffset()
    {
        Map<String, Shard> listing = discoverShards();
        StartingPosition start = options.startingPosition();
        // LATEST is pinned to the query's start time: a re-run first batch must start where the first run did.
        ShardPosition position = switch (start.kind()) {
            case TRIM_HORIZON -> ShardPosition.trimHorizon();
            case AT_TIMESTAMP -> ShardPosition.atTimestamp(start.timestamp().orElseThrow());
            case LATEST -> ShardPosition.atTimestamp(Instant.now());
        };
        Map<String, ShardPosition> positions = new TreeMap<>();
        listing.keySet().forEach(shardId -> positions.put(shardId, position));
        KinesisOffset offset = new KinesisOffset(options.streamName(), positions);
        log.info("Kinesis stream {}: starting at {}", options.streamName(), offset);
        return offset;
    }

    @Override
    public Offset latestOffset()
    {
        throw new UnsupportedOperationException("latestOffset(Offset, ReadLimit) must be used for " + KinesisSourceProvider.SHORT_NAME);
    }

    @Override
    public ReadLimit getDefaultReadLimit()
    {
        // Limits are per shard (kinesis.maxFetchRecordsPerShard and kinesis.maxFetchTimePerShardSec).
        return ReadLimit.allAvailable();
    }

    /**
     * Kinesis has no "current end" to stop at, so Trigger.AvailableNow reads the records that arrived before
     * this call (by their approximate arrival time), in as many batches as the per-shard limits need.
     */
    @Override
    public void prepareForTriggerAvailableNow()
    {
        availableNowCutoff = Instant.now();
        log.info("Kinesis stream {}: reading records that arrived until {}", options.streamName(), availableNowCutoff);
    }

    @Override
    public Offset latestOffset(Offset startOffset, ReadLimit limit)
    {
        KinesisOffset start = kinesisOffset(startOffset);
        checkStream(start);
        if (!discovered || System.nanoTime() - lastDiscoveryNanos >= options.shardDiscoveryInterval().toNanos()) {
            discoverShards();
        }
        Map<String, ShardPosition> positions = new TreeMap<>(start.shards());
        for (String shardId : shards.keySet()) {
            // A shard born after the query started holds only records written after that: read it from its start.
            positions.putIfAbsent(shardId, ShardPosition.trimHorizon());
        }
        // Finished shards that left the listing have expired with the stream's retention: forget them.
        positions.entrySet().removeIf(entry -> entry.getValue().finished() && !shards.containsKey(entry.getKey()));

        Map<String, Future<ShardReader.Scan>> scans = new TreeMap<>();
        for (Map.Entry<String, ShardPosition> entry : start.shards().entrySet()) {
            String shardId = entry.getKey();
            ShardPosition position = entry.getValue();
            if (position.finished() || !parentsFinished(shardId, start) || recentlyIdle(shardId, position)) {
                continue;
            }
            scans.put(shardId, scanners.submit(() -> scan(shardId, position)));
        }
        for (Map.Entry<String, Future<ShardReader.Scan>> entry : scans.entrySet()) {
            ShardReader.Scan scan = await(entry.getValue());
            positions.put(entry.getKey(), scan.end());
            millisBehindLatest.put(entry.getKey(), scan.millisBehindLatest());
            if (scan.records() > 0) {
                plannedCounts.put(rangeKey(entry.getKey(), scan.end().sequenceNumber()), scan.records());
            }
        }
        return new KinesisOffset(options.streamName(), positions);
    }

    private ShardReader.Scan scan(String shardId, ShardPosition position)
    {
        CachedIterator cached = iterators.remove(shardId);
        String iterator = cached != null && cached.position().equals(position) ? cached.iterator() : null;
        ShardReader reader = new ShardReader(client, calls, options.streamName(), shardId);
        ShardReader.Scan scan = reader.scan(position, iterator, options.maxFetchRecordsPerShard(), options.maxFetchTimePerShard(), availableNowCutoff);
        if (scan.nextIterator() != null) {
            iterators.put(shardId, new CachedIterator(scan.end(), scan.nextIterator(), scan.caughtUp(), System.nanoTime()));
        }
        if (scan.end().finished() && !position.finished()) {
            log.info("Kinesis stream {}: shard {} is closed and read to its end", options.streamName(), shardId);
        }
        return scan;
    }

    /**
     * Spark asks for new data every few milliseconds when a stream is idle; Kinesis allows five GetRecords per
     * second and shard, shared with the tasks. A shard found empty moments ago is not asked again yet. Not with
     * Trigger.AvailableNow, which ends at the first batch without new data and must not end early.
     */
    private boolean recentlyIdle(String shardId, ShardPosition position)
    {
        if (availableNowCutoff != null) {
            return false;
        }
        CachedIterator cached = iterators.get(shardId);
        return cached != null && cached.caughtUp() && cached.position().equals(position)
                && System.nanoTime() - cached.scannedAtNanos() < IDLE_POLL_INTERVAL.toNanos();
    }

    private boolean parentsFinished(String shardId, KinesisOffset start)
    {
        Shard shard = shards.get(shardId);
        if (shard == null) {
            // Not listed any more, so its parents are long gone as well.
            return true;
        }
        for (String parent : new String[] {shard.parentShardId(), shard.adjacentParentShardId()}) {
            if (parent == null) {
                continue;
            }
            ShardPosition parentPosition = start.shards().get(parent);
            if (parentPosition != null && !parentPosition.finished()) {
                return false;
            }
            if (parentPosition == null && shards.containsKey(parent)) {
                // Listed but not yet in the offset: it joins with the next batch and must be drained first.
                return false;
            }
        }
        return true;
    }

    /** Shown in the query progress: shard counts of the consumed offset and the planning lag. */
    @Override
    public Map<String, String> metrics(Optional<Offset> latestConsumedOffset)
    {
        Map<String, String> metrics = new TreeMap<>();
        latestConsumedOffset.map(KinesisMicroBatchStream::kinesisOffset).ifPresent(offset -> {
            long finished = offset.shards().values().stream().filter(ShardPosition::finished).count();
            metrics.put("openShards", Long.toString(offset.shards().size() - finished));
            metrics.put("finishedShards", Long.toString(finished));
        });
        millisBehindLatest.keySet().retainAll(shards.keySet());
        metrics.put("maxMillisBehindLatest", Long.toString(millisBehindLatest.values().stream().mapToLong(Long::longValue).max().orElse(0)));
        return metrics;
    }

    @Override
    public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset)
    {
        KinesisOffset start = kinesisOffset(startOffset);
        KinesisOffset end = kinesisOffset(endOffset);
        checkStream(start);
        checkStream(end);
        List<InputPartition> partitions = new ArrayList<>();
        for (Map.Entry<String, ShardPosition> entry : end.shards().entrySet()) {
            String shardId = entry.getKey();
            ShardPosition to = entry.getValue();
            ShardPosition from = start.shards().get(shardId);
            if (from == null || to.sequenceNumber() == null || Objects.equals(from.sequenceNumber(), to.sequenceNumber())) {
                continue;
            }
            int expected = plannedCounts.getOrDefault(rangeKey(shardId, to.sequenceNumber()), options.maxFetchRecordsPerShard());
            partitions.add(new KinesisInputPartition(shardId, from, to.sequenceNumber(), expected));
        }
        return partitions.toArray(InputPartition[]::new);
    }

    @Override
    public PartitionReaderFactory createReaderFactory()
    {
        return new KinesisPartitionReaderFactory(rawOptions);
    }

    @Override
    public Offset deserializeOffset(String json)
    {
        KinesisOffset offset = KinesisOffset.fromJson(json);
        checkStream(offset);
        return offset;
    }

    @Override
    public void commit(Offset end)
    {
        KinesisOffset offset = kinesisOffset(end);
        plannedCounts.keySet().removeIf(key -> {
            String shardId = key.substring(0, key.indexOf('/'));
            ShardPosition position = offset.shards().get(shardId);
            return position == null || position.sequenceNumber() == null
                    || ShardPosition.compareSequenceNumbers(key.substring(key.indexOf('/') + 1), position.sequenceNumber()) <= 0;
        });
    }

    @Override
    public void stop()
    {
        scanners.shutdownNow();
        ownedClient.close();
    }

    @Override
    public String toString()
    {
        return "KinesisMicroBatchStream[" + options.streamName() + "]";
    }

    private Map<String, Shard> discoverShards()
    {
        Map<String, Shard> listing = new TreeMap<>();
        String nextToken = null;
        do {
            String token = nextToken;
            ListShardsResponse response = calls.call("ListShards", () -> client.listShards(request -> {
                if (token == null) {
                    request.streamName(options.streamName());
                }
                else {
                    request.nextToken(token);
                }
            }));
            response.shards().forEach(shard -> listing.put(shard.shardId(), shard));
            nextToken = response.nextToken();
        }
        while (nextToken != null);
        if (!discovered || !listing.keySet().equals(shards.keySet())) {
            log.info("Kinesis stream {}: shards {}", options.streamName(), listing.keySet());
        }
        shards = Map.copyOf(listing);
        lastDiscoveryNanos = System.nanoTime();
        discovered = true;
        return shards;
    }

    private void checkStream(KinesisOffset offset)
    {
        if (!offset.streamName().equals(options.streamName())) {
            throw new IllegalStateException("Cannot resume from checkpoint: it holds offsets of Kinesis stream '%s', but the query reads '%s'"
                    .formatted(offset.streamName(), options.streamName()));
        }
    }

    /** Spark hands back offsets read from the log as its own SerializedOffset in some paths (e.g. metrics). */
    private static KinesisOffset kinesisOffset(Offset offset)
    {
        return offset instanceof KinesisOffset kinesis ? kinesis : KinesisOffset.fromJson(offset.json());
    }

    private static String rangeKey(String shardId, String endSequenceNumber)
    {
        return shardId + "/" + endSequenceNumber;
    }

    private static ShardReader.Scan await(Future<ShardReader.Scan> future)
    {
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw KinesisCalls.interrupted("planning", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException interrupted && interrupted.getCause() instanceof java.io.InterruptedIOException) {
                Thread.currentThread().interrupt();
                throw interrupted;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new KinesisSourceException("Cannot plan Kinesis batch: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
