package io.sluice.spark;

import io.sluice.config.SluiceConfig;
import org.apache.spark.sql.SparkSession;

import static java.util.Objects.requireNonNull;

/**
 * The Spark session of a batch command. A command run in a JVM that already has a session (an AWS Glue job, which
 * calls the command in-process; a test) uses that one and leaves it running for its owner; otherwise it starts one and
 * stops it when done.
 */
public final class BatchSession
        implements AutoCloseable
{
    private final SparkSession spark;
    private final boolean owned;

    private BatchSession(SparkSession spark, boolean owned)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.owned = owned;
    }

    public static BatchSession open(SluiceConfig config, String appName)
    {
        boolean existing = SparkSession.getDefaultSession().isDefined();
        return new BatchSession(SparkSessions.builder(config, appName).getOrCreate(), !existing);
    }

    public SparkSession spark()
    {
        return spark;
    }

    @Override
    public void close()
    {
        if (owned) {
            spark.stop();
        }
    }
}
