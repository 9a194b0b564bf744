package io.sluice.cdk;

import io.sluice.config.SourceConnector;
import io.sluice.submit.JobResources;
import io.sluice.submit.SparkSubmitParameters;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spark settings every Sluice job needs on EMR Serverless, set as the application's {@code spark-defaults}
 * so a job submission only adds what is specific to it (class, arguments, sizes).
 */
final class SparkDefaults
{

    private SparkDefaults() {}

    static Map<String, String> properties()
    {
        return new TreeMap<>(Map.of(
                // Delta ships with the EMR release; EMR 7+ names the jar delta-spark.jar.
                "spark.jars", String.join(",", SparkSubmitParameters.DELTA_JARS),
                "spark.sql.extensions", SparkSubmitParameters.DELTA_EXTENSION,
                "spark.sql.catalog.spark_catalog", SparkSubmitParameters.DELTA_CATALOG,
                // The Glue Data Catalog as the metastore, so tables written by Spark are the ones Athena reads.
                "spark.hadoop.hive.metastore.client.factory.class",
                "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
                // A streaming job runs for days: fixed executors, no scale-to-zero between micro-batches.
                "spark.dynamicAllocation.enabled", "false"));
    }

    /**
     * What {@code sluice submit stream} sends with the default connector and sizes (a driver and two executors of
     * 2 vCPU / 8 GB, the sizes behind the cost estimate in docs/deploy.md), for submitting by hand.
     */
    static String streamingSubmitParameters()
    {
        return SparkSubmitParameters.of(SourceConnector.SLUICE, JobResources.DEFAULT, Map.of());
    }
}
