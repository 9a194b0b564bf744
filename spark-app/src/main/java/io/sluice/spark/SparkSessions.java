package io.sluice.spark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import org.apache.spark.sql.SparkSession;

import static java.util.Objects.requireNonNull;

/**
 * The one way Sluice builds its SparkSession, locally and on EMR Serverless or Glue. Settings that the platform
 * owns (master, executor sizes) are left to spark-submit; Sluice sets only what its correctness depends on:
 * Delta's catalog and extensions, the RocksDB state store, UTC session time.
 */
public final class SparkSessions
{
    private SparkSessions() {}

    public static SparkSession.Builder builder(SluiceConfig config, String appName)
    {
        requireNonNull(config, "config is null");
        requireNonNull(appName, "appName is null");
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", config.value(ConfigKeys.SPARK_SHUFFLE_PARTITIONS))
                .config("spark.sql.streaming.stateStore.providerClass",
                        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
                // Changelog checkpointing uploads only the changed keys each batch, so commit cost follows the batch, not the state.
                .config("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true")
                .config("spark.databricks.delta.properties.defaults.enableDeletionVectors", "false")
                // Delta's idempotent-writer markers are kept long enough to cover any realistic restart gap.
                .config("spark.databricks.delta.setTransactionRetentionDuration", "interval 30 days");
        String master = config.value(ConfigKeys.SPARK_MASTER);
        if (!master.isBlank()) {
            builder = builder.master(master)
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.adaptive.enabled", "true")
                    .config("spark.databricks.delta.snapshotPartitions", "2");
        }
        return builder;
    }
}
