package io.sluice.source.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.connector.read.streaming.Offset;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The position of every known shard of one stream, as stored in the checkpoint's offset log:
 * <pre>{"version":1,"stream":"events","shards":{"shardId-000000000000":{"kind":"AFTER_SEQUENCE_NUMBER","sequenceNumber":"4959...","finished":false}}}</pre>
 * Shards are sorted by id so equal offsets have equal JSON, which Spark compares.
 */
public final class KinesisOffset
        extends Offset
{
    private static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String streamName;
    private final SortedMap<String, ShardPosition> shards;

    public KinesisOffset(String streamName, Map<String, ShardPosition> shards)
    {
        this.streamName = requireNonNull(streamName, "streamName is null");
        this.shards = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(shards, "shards is null")));
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
        ObjectNode shardsNode = root.putObject("shards");
        shards.forEach((shardId, position) -> {
            ObjectNode node = shardsNode.putObject(shardId);
            node.put("kind", position.kind().name());
            if (position.sequenceNumber() != null) {
                node.put("sequenceNumber", position.sequenceNumber());
            }
            if (position.kind() == ShardPosition.Kind.AT_TIMESTAMP) {
                node.put("timestampMillis", position.timestampMillis());
            }
            node.put("finished", position.finished());
        });
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
            if (version != VERSION) {
                throw new IllegalArgumentException("Invalid Kinesis offset version: %d in %s; expected %d".formatted(version, json, VERSION));
            }
            String stream = text(root, "stream", json);
            JsonNode shardsNode = root.path("shards");
            if (!shardsNode.isObject()) {
                throw new IllegalArgumentException("Invalid Kinesis offset: no shards object in " + json);
            }
            Map<String, ShardPosition> shards = new TreeMap<>();
            // properties() (Jackson 2.15+) rather than fields(), which Jackson 2.20 (Spark 4.1) deprecates.
            for (Map.Entry<String, JsonNode> field : shardsNode.properties()) {
                JsonNode node = field.getValue();
                ShardPosition.Kind kind = ShardPosition.Kind.valueOf(text(node, "kind", json));
                String sequenceNumber = node.hasNonNull("sequenceNumber") ? node.get("sequenceNumber").asText() : null;
                long timestamp = node.path("timestampMillis").asLong(0);
                shards.put(field.getKey(), new ShardPosition(kind, sequenceNumber, timestamp, node.path("finished").asBoolean(false)));
            }
            return new KinesisOffset(stream, shards);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid Kinesis offset: %s: %s".formatted(json, e.getOriginalMessage()), e);
        }
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
