package io.sluice.cdk;

import java.util.Map;
import java.util.TreeMap;

/**
 * Spark settings every Sluice job needs on EMR Serverless, set as the application's {@code spark-defaults}
 * so a job submission only adds what is specific to it (class, arguments, sizes).
 */
final class SparkDefaults {

    private SparkDefaults() {}

    static Map<String, String> properties() {
        return new TreeMap<>(Map.of(
                // Delta ships with the EMR release; EMR 7+ names the jar delta-spark.jar.
                "spark.jars", "/usr/share/aws/delta/lib/delta-spark.jar,/usr/share/aws/delta/lib/delta-storage.jar",
                "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
                "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
                // The Glue Data Catalog as the metastore, so tables written by Spark are the ones Athena reads.
                "spark.hadoop.hive.metastore.client.factory.class",
                "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
                // A streaming job runs for days: fixed executors, no scale-to-zero between micro-batches.
                "spark.dynamicAllocation.enabled", "false"));
    }

    /**
     * The sizes behind the cost estimate in docs/deploy.md: a driver and two executors of 2 vCPU / 8 GB
     * (7g heap plus EMR's 10% overhead, rounded up to whole GB by EMR Serverless).
     */
    static String streamingSubmitParameters() {
        return "--class io.sluice.cli.SluiceMain"
                + " --conf spark.driver.cores=2 --conf spark.driver.memory=7g"
                + " --conf spark.executor.cores=2 --conf spark.executor.memory=7g"
                + " --conf spark.executor.instances=2";
    }
}
