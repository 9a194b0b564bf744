package io.sluice.source.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.connector.read.streaming.Offset;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Where one micro-batch of one stream starts on every known shard, and the batch's number, as stored in the
 * checkpoint's offset log:
 * <pre>{"version":2,"stream":"events","batch":7,"read":["shardId-000000000000"],"shards":{"shardId-000000000000":{"kind":"AFTER_SEQUENCE_NUMBER","sequenceNumber":"4959...","finished":false}}}</pre>
 * Where the batch ends is not known when it is planned: its tasks read up to the limits and record their ends in
 * {@link ShardEndLog} under {@code batch}. {@code read} names the shards the batch reads (those found to have records),
 * so that a re-run reads the same shards; the others keep their position. Batch -1 is the initial offset. Version 1 offsets (the end positions of
 * a batch planned by reading ahead) read as batch -1 at those positions, which is where the next batch starts.
 * Shards are sorted by id so equal offsets have equal JSON, which Spark compares.
 */
public final class KinesisOffset
        extends Offset
{
    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_BATCH = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String streamName;
    private final long batchId;
    private final SortedSet<String> read;
    private final SortedMap<String, ShardPosition> shards;

    public KinesisOffset(String streamName, long batchId, Map<String, ShardPosition> shards)
    {
        this(streamName, batchId, Set.of(), shards);
    }

    public KinesisOffset(String streamName, long batchId, Set<String> read, Map<String, ShardPosition> shards)
    {
        this.streamName = requireNonNull(streamName, "streamName is null");
        if (batchId < -1) {
            throw new IllegalArgumentException("Invalid Kinesis batch id: " + batchId);
        }
        this.batchId = batchId;
        this.read = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(read, "read is null")));
        this.shards = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(shards, "shards is null")));
        if (!shards.keySet().containsAll(read)) {
            throw new IllegalArgumentException("Invalid Kinesis offset: reads shards %s it has no position for".formatted(read));
        }
    }

    /** The shards this batch reads; the others keep their positions. */
    public SortedSet<String> read()
    {
        return read;
    }

    /** The micro-batch that starts at these positions; -1 before the first. */
    public long batchId()
    {
        return batchId;
    }

    public String streamName()
    {
        return streamName;
    }

    public SortedMap<String, ShardPosition> shards()
    {
        return shards;
    }

    @Override
    public String json()
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("stream", streamName);
        root.put("batch", batchId);
        read.forEach(root.putArray("read")::add);
        ObjectNode shardsNode = root.putObject("shards");
        shards.forEach((shardId, position) -> shardsNode.set(shardId, positionJson(MAPPER, position)));
        try {
            return MAPPER.writeValueAsString(root);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize Kinesis offset: " + e.getMessage(), e);
        }
    }

    public static KinesisOffset fromJson(String json)
    {
        requireNonNull(json, "json is null");
        try {
            JsonNode root = MAPPER.readTree(json);
            int version = root.path("version").asInt(-1);
            if (version != VERSION && version != VERSION_WITHOUT_BATCH) {
                throw new IllegalArgumentException("Invalid Kinesis offset version: %d in %s; expected %d".formatted(version, json, VERSION));
            }
            long batchId = version == VERSION ? root.path("batch").asLong(-2) : -1;
            String stream = text(root, "stream", json);
            JsonNode shardsNode = root.path("shards");
            if (!shardsNode.isObject()) {
                throw new IllegalArgumentException("Invalid Kinesis offset: no shards object in " + json);
            }
            Set<String> read = new TreeSet<>();
            root.path("read").forEach(shardId -> read.add(shardId.asText()));
            Map<String, ShardPosition> shards = new TreeMap<>();
            // properties() (Jackson 2.15+) rather than fields(), which Jackson 2.20 (Spark 4.1) deprecates.
            for (Map.Entry<String, JsonNode> field : shardsNode.properties()) {
                shards.put(field.getKey(), parsePosition(field.getValue(), json));
            }
            return new KinesisOffset(stream, batchId, read, shards);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid Kinesis offset: %s: %s".formatted(json, e.getOriginalMessage()), e);
        }
    }

    static ObjectNode positionJson(ObjectMapper mapper, ShardPosition position)
    {
        ObjectNode node = mapper.createObjectNode();
        node.put("kind", position.kind().name());
        if (position.sequenceNumber() != null) {
            node.put("sequenceNumber", position.sequenceNumber());
        }
        if (position.kind() == ShardPosition.Kind.AT_TIMESTAMP) {
            node.put("timestampMillis", position.timestampMillis());
        }
        node.put("finished", position.finished());
        return node;
    }

    static ShardPosition parsePosition(JsonNode node, String json)
    {
        ShardPosition.Kind kind = ShardPosition.Kind.valueOf(text(node, "kind", json));
        String sequenceNumber = node.hasNonNull("sequenceNumber") ? node.get("sequenceNumber").asText() : null;
        long timestamp = node.path("timestampMillis").asLong(0);
        return new ShardPosition(kind, sequenceNumber, timestamp, node.path("finished").asBoolean(false));
    }

    private static String text(JsonNode node, String field, String json)
    {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("Invalid Kinesis offset: no %s in %s".formatted(field, json));
        }
        return value.asText();
    }

    @Override
    public String toString()
    {
        return json();
    }
}
