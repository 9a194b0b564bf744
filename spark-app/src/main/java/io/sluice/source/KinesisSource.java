package io.sluice.source;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConnector;
import io.sluice.config.StartingPosition;
import io.sluice.table.RawRecordColumns;
import io.sluice.source.kinesis.KinesisClientSettings;
import io.sluice.source.kinesis.KinesisSourceOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.types.DataTypes;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The raw record stream, from whichever connector the configuration names. Both connectors take the same option
 * names; the EMR-bundled one has no shard id column, so it is added as null and everything downstream sees one shape
 * ({@link RawRecordColumns#SCHEMA}).
 */
public final class KinesisSource
{
    private KinesisSource() {}

    public static Dataset<Row> readStream(SparkSession spark, SluiceConfig config)
    {
        return readStream(spark, config, Map.of());
    }

    /** @param extraOptions reader options beyond the configuration's (e.g. where to continue another query) */
    public static Dataset<Row> readStream(SparkSession spark, SluiceConfig config, Map<String, String> extraOptions)
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(config, "config is null");
        requireNonNull(extraOptions, "extraOptions is null");
        SourceConnector connector = config.value(ConfigKeys.SOURCE_CONNECTOR);
        DataStreamReader reader = spark.readStream().format(connector.sparkFormat());
        Map<String, String> all = new LinkedHashMap<>(options(config));
        all.putAll(extraOptions);
        for (Map.Entry<String, String> option : all.entrySet()) {
            reader = reader.option(option.getKey(), option.getValue());
        }
        Dataset<Row> raw = reader.load();
        if (!List.of(raw.columns()).contains(RawRecordColumns.SHARD_ID)) {
            raw = raw.withColumn(RawRecordColumns.SHARD_ID, lit(null).cast(DataTypes.StringType));
        }
        return raw.select(List.of(RawRecordColumns.SCHEMA.fieldNames()).stream().map(name -> col(name)).toArray(org.apache.spark.sql.Column[]::new));
    }

    /** The reader options for the configured stream; the names are the ones both connectors understand. */
    public static Map<String, String> options(SluiceConfig config)
    {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(KinesisSourceOptions.STREAM_NAME, config.value(ConfigKeys.SOURCE_STREAM_NAME));
        options.put(KinesisSourceOptions.REGION, config.value(ConfigKeys.SOURCE_REGION));
        String endpoint = config.value(ConfigKeys.SOURCE_ENDPOINT);
        if (!endpoint.isEmpty()) {
            options.put(KinesisSourceOptions.ENDPOINT_URL, endpoint);
        }
        StartingPosition position = config.value(ConfigKeys.SOURCE_STARTING_POSITION);
        options.put(KinesisSourceOptions.STARTING_POSITION, position.name());
        if (position == StartingPosition.AT_TIMESTAMP) {
            options.put(KinesisSourceOptions.STARTING_TIMESTAMP, config.value(ConfigKeys.SOURCE_STARTING_TIMESTAMP));
        }
        options.put(KinesisSourceOptions.MAX_FETCH_RECORDS_PER_SHARD, Integer.toString(config.value(ConfigKeys.SOURCE_MAX_RECORDS_PER_SHARD)));
        if (config.value(ConfigKeys.SOURCE_CONNECTOR) == SourceConnector.SLUICE) {
            options.put(KinesisSourceOptions.SHARD_DISCOVERY_INTERVAL_SEC,
                    Long.toString(config.value(ConfigKeys.SOURCE_SHARD_DISCOVERY_INTERVAL).toSeconds()));
        }
        String roleArn = config.value(ConfigKeys.SOURCE_ROLE_ARN);
        if (!roleArn.isEmpty()) {
            options.put(KinesisSourceOptions.ROLE_ARN, roleArn);
        }
        return options;
    }

    /** How the producer and the demo reach the same stream. */
    public static KinesisClientSettings clientSettings(SluiceConfig config)
    {
        String region = config.value(ConfigKeys.SOURCE_REGION);
        String endpoint = config.value(ConfigKeys.SOURCE_ENDPOINT);
        KinesisClientSettings settings = endpoint.isEmpty()
                ? KinesisClientSettings.forRegion(region)
                : KinesisClientSettings.forEndpoint(region, URI.create(endpoint));
        String roleArn = config.value(ConfigKeys.SOURCE_ROLE_ARN);
        return roleArn.isEmpty() ? settings : settings.withRole(roleArn, KinesisClientSettings.DEFAULT_ROLE_SESSION_NAME);
    }
}
