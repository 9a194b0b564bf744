package io.sluice.source.kinesis;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** One Kinesis stream as a table that can only be read as a micro-batch stream. */
final class KinesisTable
        implements SupportsRead
{
    private final Map<String, String> properties;

    KinesisTable(Map<String, String> properties)
    {
        this.properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    @Override
    public String name()
    {
        return "kinesis:" + KinesisSourceOptions.parse(properties).streamName();
    }

    // Still abstract in Spark 4.0 although deprecated in favour of columns(), whose default derives from it.
    @Override
    @SuppressWarnings("deprecation")
    public StructType schema()
    {
        return KinesisSourceProvider.SCHEMA;
    }

    @Override
    public Set<TableCapability> capabilities()
    {
        return Set.of(TableCapability.MICRO_BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options)
    {
        // Spark passes the reader options both as table properties and here; the latter win.
        Map<String, String> merged = new HashMap<>(properties);
        merged.putAll(options.asCaseSensitiveMap());
        KinesisSourceOptions parsed = KinesisSourceOptions.parse(merged);
        // Executors parse the options again; pin the region the driver resolved, their AWS_REGION may differ.
        merged.keySet().removeIf(key -> key.equalsIgnoreCase(KinesisSourceOptions.REGION));
        merged.put(KinesisSourceOptions.REGION, parsed.clientSettings().region());
        return () -> new KinesisScan(parsed, merged);
    }

    private record KinesisScan(KinesisSourceOptions options, Map<String, String> rawOptions)
            implements Scan
    {
        @Override
        public StructType readSchema()
        {
            return KinesisSourceProvider.SCHEMA;
        }

        @Override
        public String description()
        {
            return "sluice-kinesis[" + options.streamName() + "]";
        }

        @Override
        public MicroBatchStream toMicroBatchStream(String checkpointLocation)
        {
            // Tasks record where they stopped under the checkpoint, through the session's Hadoop configuration (s3a:// too).
            ShardEndLog shardEnds = new ShardEndLog(checkpointLocation, SparkSession.active().sessionState().newHadoopConf());
            return new KinesisMicroBatchStream(options, rawOptions, shardEnds);
        }
    }
}
