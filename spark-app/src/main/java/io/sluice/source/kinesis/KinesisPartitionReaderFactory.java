package io.sluice.source.kinesis;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Ships the raw options to executors, where they are parsed again: the parsed form holds non-serializable Optionals. */
final class KinesisPartitionReaderFactory
        implements PartitionReaderFactory
{
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> options;
    private final ShardEndLog shardEnds;

    KinesisPartitionReaderFactory(Map<String, String> options, ShardEndLog shardEnds)
    {
        this.options = new HashMap<>(requireNonNull(options, "options is null"));
        this.shardEnds = requireNonNull(shardEnds, "shardEnds is null");
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition)
    {
        return new KinesisPartitionReader(KinesisSourceOptions.parse(options), (KinesisInputPartition) partition, shardEnds);
    }
}
