package io.sluice.source.kinesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Per micro-batch, the end each task reached on its shard: {@code <checkpoint>/sources/<n>/shard-ends/<batch>/<shardId>.json}.
 * Tasks write it before they finish, so it exists before Spark commits the batch; a re-run of the batch (a retried
 * task, a second evaluation of the batch's data, or a restart before the commit) reads exactly up to it; the next
 * planning starts there. A file is written once: to a temporary name, then renamed, so a reader never sees half a
 * file; when the file is there already, the first attempt's end stays (a second attempt that read to another end fails
 * and is retried, and the retry reads to the recorded end).
 */
final class ShardEndLog
        implements Serializable
{
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final String root;
    private final SerializableConfiguration hadoopConf;

    ShardEndLog(String checkpointLocation, Configuration hadoopConf)
    {
        requireNonNull(checkpointLocation, "checkpointLocation is null");
        this.root = new Path(checkpointLocation, "shard-ends").toString();
        this.hadoopConf = new SerializableConfiguration(requireNonNull(hadoopConf, "hadoopConf is null"));
    }

    /** The ends recorded for {@code batchId}, by shard id; empty when no task of that batch finished. */
    Map<String, ShardEnd> read(long batchId)
    {
        Path dir = batchDir(batchId);
        Map<String, ShardEnd> ends = new TreeMap<>();
        try {
            FileSystem fs = dir.getFileSystem(hadoopConf.value());
            FileStatus[] files;
            try {
                files = fs.listStatus(dir);
            }
            catch (FileNotFoundException e) {
                return ends;
            }
            for (FileStatus file : files) {
                String name = file.getPath().getName();
                if (name.endsWith(SUFFIX) && !name.startsWith(".")) {
                    ends.put(name.substring(0, name.length() - SUFFIX.length()), parse(fs, file.getPath()));
                }
            }
            return ends;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the shard ends of Kinesis batch %d in %s: %s".formatted(batchId, dir, e.getMessage()), e);
        }
    }

    Optional<ShardEnd> read(long batchId, String shardId)
    {
        Path file = new Path(batchDir(batchId), shardId + SUFFIX);
        try {
            FileSystem fs = file.getFileSystem(hadoopConf.value());
            return Optional.of(parse(fs, file));
        }
        catch (FileNotFoundException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read %s: %s".formatted(file, e.getMessage()), e);
        }
    }

    /**
     * Records {@code end} for the shard unless an end is recorded already. A different end recorded by another attempt
     * fails this one: its rows must not be used.
     */
    void write(long batchId, String shardId, ShardEnd end)
    {
        Path dir = batchDir(batchId);
        Path file = new Path(dir, shardId + SUFFIX);
        Path temporary = new Path(dir, "." + shardId + "." + UUID.randomUUID() + ".tmp");
        try {
            FileSystem fs = dir.getFileSystem(hadoopConf.value());
            fs.mkdirs(dir);
            try (FSDataOutputStream out = fs.create(temporary, false)) {
                out.write(json(end).getBytes(StandardCharsets.UTF_8));
            }
            // The local file system's rename replaces an existing file (HDFS's and S3A's do not): look first.
            if (fs.exists(file) || !fs.rename(temporary, file)) {
                fs.delete(temporary, false);
                ShardEnd recorded = parse(fs, file);
                if (!recorded.end().equals(end.end())) {
                    throw new KinesisSourceException("Cannot record the end of shard %s in Kinesis batch %d: another attempt recorded %s, this one read to %s"
                            .formatted(shardId, batchId, recorded.end(), end.end()));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot record the end of shard %s in Kinesis batch %d under %s: %s".formatted(shardId, batchId, dir, e.getMessage()), e);
        }
    }

    /** Deletes the records of batches before {@code batchId}. */
    void purgeBefore(long batchId)
    {
        Path rootPath = new Path(root);
        try {
            FileSystem fs = rootPath.getFileSystem(hadoopConf.value());
            FileStatus[] batches;
            try {
                batches = fs.listStatus(rootPath);
            }
            catch (FileNotFoundException e) {
                return;
            }
            for (FileStatus batch : batches) {
                String name = batch.getPath().getName();
                if (name.chars().allMatch(Character::isDigit) && !name.isEmpty() && Long.parseLong(name) < batchId) {
                    fs.delete(batch.getPath(), true);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot purge old shard ends under %s: %s".formatted(root, e.getMessage()), e);
        }
    }

    private Path batchDir(long batchId)
    {
        if (batchId < 0) {
            throw new IllegalArgumentException("Invalid batch id: " + batchId);
        }
        return new Path(root, Long.toString(batchId));
    }

    static String json(ShardEnd end)
    {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("end", KinesisOffset.positionJson(MAPPER, end.end()));
        node.put("records", end.records());
        node.put("caughtUp", end.caughtUp());
        node.put("millisBehindLatest", end.millisBehindLatest());
        node.put("lastGetRecordsMillis", end.lastGetRecordsMillis());
        try {
            return MAPPER.writeValueAsString(node);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize shard end: " + e.getMessage(), e);
        }
    }

    private static ShardEnd parse(FileSystem fs, Path file)
            throws IOException
    {
        String json;
        try (InputStream in = fs.open(file)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode node = MAPPER.readTree(json);
        if (node == null || !node.has("end")) {
            throw new IllegalStateException("Invalid shard end in %s: %s".formatted(file, json));
        }
        return new ShardEnd(KinesisOffset.parsePosition(node.get("end"), json), node.path("records").asLong(0), node.path("caughtUp").asBoolean(false),
                node.path("millisBehindLatest").asLong(0), node.path("lastGetRecordsMillis").asLong(0));
    }
}
