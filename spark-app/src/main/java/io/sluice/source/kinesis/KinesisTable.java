package io.sluice.source.kinesis;

import io.sluice.config.UsageException;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
            org.apache.hadoop.conf.Configuration hadoopConf = SparkSession.active().sessionState().newHadoopConf();
            ShardEndLog shardEnds = new ShardEndLog(checkpointLocation, hadoopConf);
            return new KinesisMicroBatchStream(options, rawOptions, shardEnds, continueFrom(hadoopConf));
        }

        /** The other query's last batch and its shard ends, when this query is to continue where it stopped. */
        private Optional<KinesisMicroBatchStream.ContinueFrom> continueFrom(org.apache.hadoop.conf.Configuration hadoopConf)
        {
            Map<String, String> byKey = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            byKey.putAll(rawOptions);
            String offset = byKey.get(KinesisSourceOptions.CONTINUE_OFFSET);
            String checkpoint = byKey.get(KinesisSourceOptions.CONTINUE_CHECKPOINT);
            if (offset == null && checkpoint == null) {
                return Optional.empty();
            }
            if (offset == null || checkpoint == null) {
                throw new UsageException("Invalid %s and %s: expected both or neither".formatted(KinesisSourceOptions.CONTINUE_OFFSET, KinesisSourceOptions.CONTINUE_CHECKPOINT));
            }
            return Optional.of(new KinesisMicroBatchStream.ContinueFrom(KinesisOffset.fromJson(offset), new ShardEndLog(checkpoint, hadoopConf)));
        }
    }
}
