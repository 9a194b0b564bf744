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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Plans micro-batches over the shards of one stream; each record is read once, by a task.
 * <p>
 * An offset is where a batch starts on every shard, and the batch's number. Kinesis cannot say where the newest record
 * is without reading it, so the end of a batch is left to its tasks: each reads its shard up to the limits and, before
 * it finishes, records where it stopped in the {@link ShardEndLog} under the checkpoint. The batch therefore has a
 * recorded end before Spark commits it; a re-run of the batch (retried task, second evaluation, restart before the
 * commit) reads exactly up to the recorded ends, and the next batch starts from them.
 * <p>
 * The driver only looks whether a shard has anything (one GetRecords of one record, at most every 250 ms per shard, and
 * not at all after a task stopped at a limit), so an idle stream plans no batches.
 * <p>
 * A shard is readable once all its parents are finished where the batch starts, so the records of a parent are always
 * in an earlier batch than those of its children.
 */
final class KinesisMicroBatchStream
        implements MicroBatchStream, SupportsTriggerAvailableNow, ReportsSourceMetrics
{
    private static final Logger log = LoggerFactory.getLogger(KinesisMicroBatchStream.class);
    private static final int MAX_SCAN_THREADS = 8;
    private static final Duration IDLE_POLL_INTERVAL = Duration.ofMillis(250);
    // Shard ends of this many batches before the last committed one are kept; older ones are deleted.
    private static final int BATCHES_TO_RETAIN = 10;

    private final KinesisSourceOptions options;
    private final Map<String, String> rawOptions;
    private final ShardEndLog shardEnds;
    private final KinesisClients.OwnedClient ownedClient;
    private final KinesisClient client;
    private final KinesisCalls calls;
    private final ExecutorService scanners;
    // Iterators positioned at a shard's planned start, so idle probes need no GetShardIterator.
    private final Map<String, CachedIterator> iterators = new ConcurrentHashMap<>();
    // When the driver last called GetRecords on a shard (its probes), to keep the shard within five calls a second.
    private final Map<String, Long> lastProbeMillis = new ConcurrentHashMap<>();
    // The last probe of a shard that found nothing, and where.
    private final Map<String, EmptyProbe> emptyProbes = new ConcurrentHashMap<>();
    // Per shard, how far behind the tip its last task stopped.
    private final Map<String, Long> millisBehindLatest = new ConcurrentHashMap<>();
    // Per planned batch and shard, when the first GetRecords may go out; lost on restart (no wait then).
    private final Map<Long, Map<String, Long>> plannedNotBefore = new ConcurrentHashMap<>();

    private Map<String, Shard> shards = Map.of();
    // The recorded ends of the batch the last planning started from; read once per batch.
    private long endsBatchId = -1;
    private Map<String, ShardEnd> ends = Map.of();
    // Set by Trigger.AvailableNow: records that arrived later are left for the next run.
    private volatile Instant availableNowCutoff;
    private long lastDiscoveryNanos;
    private boolean discovered;

    private record CachedIterator(ShardPosition position, String iterator) {}

    private record Probe(boolean hasRecords, ShardPosition position) {}

    private record EmptyProbe(ShardPosition position, long atMillis) {}

    /** A batch of another query on the stream ({@code offset}, as its offsets log holds it) and that query's shard ends. */
    record ContinueFrom(KinesisOffset offset, ShardEndLog shardEnds)
    {
        ContinueFrom
        {
            requireNonNull(offset, "offset is null");
            requireNonNull(shardEnds, "shardEnds is null");
        }
    }

    private final Optional<ContinueFrom> continueFrom;

    KinesisMicroBatchStream(KinesisSourceOptions options, Map<String, String> rawOptions, ShardEndLog shardEnds, Optional<ContinueFrom> continueFrom)
    {
        this.continueFrom = requireNonNull(continueFrom, "continueFrom is null");
        this.options = requireNonNull(options, "options is null");
        this.rawOptions = Map.copyOf(requireNonNull(rawOptions, "rawOptions is null"));
        this.shardEnds = requireNonNull(shardEnds, "shardEnds is null");
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

    /**
     * Where a new query starts: at {@code kinesis.startingPosition} on every shard, or, continuing another query
     * (a checkpoint moved to a new operator, see {@link KinesisSourceOptions#CONTINUE_OFFSET}), where that query's
     * batch stopped, derived as {@link #latestOffset(Offset, ReadLimit)} derives the next batch's start.
     */
    @Override
    public Offset initialOffset()
    {
        if (continueFrom.isPresent()) {
            KinesisOffset last = continueFrom.get().offset();
            checkStream(last);
            Map<String, ShardPosition> positions = new TreeMap<>(last.shards());
            continueFrom.get().shardEnds().read(last.batchId()).forEach((shardId, end) -> positions.put(shardId, end.end()));
            KinesisOffset offset = new KinesisOffset(options.streamName(), -1, positions);
            log.info("Kinesis stream {}: continuing another query's batch {} at {}", options.streamName(), last.batchId(), offset);
            return offset;
        }
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
        KinesisOffset offset = new KinesisOffset(options.streamName(), -1, positions);
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
        // Limits are per shard (kinesis.maxFetchRecordsPerShard and kinesis.maxFetchTimePerShardSec), applied by the tasks.
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

    /**
     * The start of the next batch: where the tasks of the batch that {@code startOffset} starts stopped (their
     * recorded ends), or {@code startOffset} itself when no shard has anything new, which plans no batch.
     */
    @Override
    public Offset latestOffset(Offset startOffset, ReadLimit limit)
    {
        KinesisOffset start = kinesisOffset(startOffset);
        checkStream(start);
        if (!discovered || System.nanoTime() - lastDiscoveryNanos >= options.shardDiscoveryInterval().toNanos()) {
            discoverShards();
        }
        Map<String, ShardEnd> recorded = recordedEnds(start.batchId());
        Map<String, ShardPosition> positions = new TreeMap<>(start.shards());
        recorded.forEach((shardId, end) -> {
            positions.put(shardId, end.end());
            millisBehindLatest.put(shardId, end.millisBehindLatest());
        });
        for (String shardId : shards.keySet()) {
            // A shard born after the query started holds only records written after that: read it from its start.
            positions.putIfAbsent(shardId, ShardPosition.trimHorizon());
        }
        // Finished shards that left the listing have expired with the stream's retention: forget them.
        positions.entrySet().removeIf(entry -> entry.getValue().finished() && !shards.containsKey(entry.getKey()));
        // Only a shard found closed without a task makes a batch without records: its children wait for it.
        boolean finishedWithoutTask = false;

        Set<String> toRead = new TreeSet<>();
        Map<String, Future<Probe>> probes = new TreeMap<>();
        Map<String, Long> notBefore = new TreeMap<>();
        for (Map.Entry<String, ShardPosition> entry : positions.entrySet()) {
            String shardId = entry.getKey();
            ShardPosition position = entry.getValue();
            if (position.finished() || !parentsFinished(shardId, positions)) {
                continue;
            }
            ShardEnd end = recorded.get(shardId);
            long callAllowedAt = Math.max(end == null ? 0 : end.lastGetRecordsMillis(), lastProbeMillis.getOrDefault(shardId, 0L))
                    + ShardReader.MIN_CALL_SPACING.toMillis();
            notBefore.put(shardId, callAllowedAt);
            if (end != null && !end.caughtUp()) {
                // Its task stopped at a limit: there is more, no need to look.
                toRead.add(shardId);
            }
            else if (!recentlyFoundEmpty(shardId, position)) {
                probes.put(shardId, scanners.submit(() -> probe(shardId, position, callAllowedAt)));
            }
        }
        for (Map.Entry<String, Future<Probe>> entry : probes.entrySet()) {
            String shardId = entry.getKey();
            Probe probe = await(entry.getValue());
            notBefore.put(shardId, lastProbeMillis.getOrDefault(shardId, 0L) + ShardReader.MIN_CALL_SPACING.toMillis());
            if (probe.hasRecords()) {
                toRead.add(shardId);
            }
            else if (!probe.position().equals(positions.get(shardId))) {
                // Closed and read to its end with nothing left: finished without a task, which lets its children start.
                log.info("Kinesis stream {}: shard {} is closed and read to its end", options.streamName(), shardId);
                positions.put(shardId, probe.position());
                finishedWithoutTask = true;
            }
        }
        if (toRead.isEmpty() && !finishedWithoutTask) {
            // Nothing new: no batch. The next call derives the same positions from the same recorded ends.
            return start;
        }
        long batchId = start.batchId() + 1;
        plannedNotBefore.put(batchId, Map.copyOf(notBefore));
        return new KinesisOffset(options.streamName(), batchId, toRead, positions);
    }

    private Map<String, ShardEnd> recordedEnds(long batchId)
    {
        if (batchId < 0) {
            return Map.of();
        }
        if (batchId != endsBatchId) {
            ends = shardEnds.read(batchId);
            endsBatchId = batchId;
        }
        return ends;
    }

    /**
     * One GetRecords of one record from the shard's start: does the shard have a record to read? Waits until
     * {@code callAllowedAt}, so that the shard's previous call (the last task's or probe's) was 200 ms before.
     */
    private Probe probe(String shardId, ShardPosition position, long callAllowedAt)
    {
        long wait = callAllowedAt - System.currentTimeMillis();
        if (wait > 0) {
            KinesisCalls.pause(Duration.ofMillis(wait));
        }
        CachedIterator cached = iterators.remove(shardId);
        String iterator = cached != null && cached.position().equals(position) ? cached.iterator() : null;
        ShardReader reader = new ShardReader(client, calls, options.streamName(), shardId);
        ShardReader.Scan scan;
        try {
            scan = reader.scan(position, iterator, 1, options.maxFetchTimePerShard(), availableNowCutoff);
        }
        finally {
            // The next call on this shard is spaced from this answer (see ShardReader.MIN_CALL_SPACING).
            lastProbeMillis.put(shardId, System.currentTimeMillis());
        }
        long now = System.currentTimeMillis();
        if (scan.records() > 0) {
            return new Probe(true, position);
        }
        if (scan.nextIterator() != null) {
            iterators.put(shardId, new CachedIterator(position, scan.nextIterator()));
        }
        // Nothing to read, or (with Trigger.AvailableNow) nothing that arrived before the cutoff.
        emptyProbes.put(shardId, new EmptyProbe(position, now));
        return new Probe(false, scan.end().finished() ? position.asFinished() : position);
    }

    /**
     * Spark asks for new data every few milliseconds when a stream is idle; Kinesis allows five GetRecords per
     * second and shard, shared with the tasks. A shard found empty at the same position moments ago is not asked again
     * yet. Not with Trigger.AvailableNow, which ends at the first batch without new data and must not end early.
     */
    private boolean recentlyFoundEmpty(String shardId, ShardPosition position)
    {
        if (availableNowCutoff != null) {
            return false;
        }
        EmptyProbe empty = emptyProbes.get(shardId);
        return empty != null && empty.position().equals(position) && System.currentTimeMillis() - empty.atMillis() < IDLE_POLL_INTERVAL.toMillis();
    }

    private boolean parentsFinished(String shardId, Map<String, ShardPosition> positions)
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
            ShardPosition parentPosition = positions.get(parent);
            if (parentPosition != null && !parentPosition.finished()) {
                return false;
            }
        }
        return true;
    }

    /** Shown in the query progress: shard counts of the consumed offset and how far behind the tasks stopped. */
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

    /** One partition per shard the batch reads ({@code endOffset}'s read set), from where {@code endOffset} (the batch's start) says. */
    @Override
    public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset)
    {
        KinesisOffset batch = kinesisOffset(endOffset);
        checkStream(batch);
        checkStream(kinesisOffset(startOffset));
        // Kept until the batch commits, not removed here: Spark may plan a batch's partitions more than once (a copy
        // of the scan node plans them again), and a second planning without them let a task's first call follow the
        // probe within 160 ms (measured), over the shard's budget.
        Map<String, Long> notBefore = plannedNotBefore.getOrDefault(batch.batchId(), Map.of());
        long cutoff = availableNowCutoff == null ? 0 : availableNowCutoff.toEpochMilli();
        List<InputPartition> partitions = new ArrayList<>();
        for (String shardId : batch.read()) {
            partitions.add(new KinesisInputPartition(shardId, batch.shards().get(shardId), batch.batchId(), cutoff, notBefore.getOrDefault(shardId, 0L)));
        }
        return partitions.toArray(InputPartition[]::new);
    }

    @Override
    public PartitionReaderFactory createReaderFactory()
    {
        return new KinesisPartitionReaderFactory(rawOptions, shardEnds);
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
        long batchId = kinesisOffset(end).batchId();
        plannedNotBefore.keySet().removeIf(planned -> planned <= batchId);
        // Every tenth batch, forget shard ends no restart can need any more.
        if (batchId > BATCHES_TO_RETAIN && batchId % BATCHES_TO_RETAIN == 0) {
            shardEnds.purgeBefore(batchId - BATCHES_TO_RETAIN);
        }
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

    private static <T> T await(Future<T> future)
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
