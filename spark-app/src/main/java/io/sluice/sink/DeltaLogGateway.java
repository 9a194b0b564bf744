package io.sluice.sink;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

import static java.util.Objects.requireNonNull;

/**
 * The one place Sluice reads Delta's transaction log directly (an internal API, {@code org.apache.spark.sql.delta}):
 * the data files of the current snapshot, and log checkpoints. Everything else goes
 * through Delta's public {@code DeltaTable} API; the architecture test keeps it that way, so a Delta upgrade that
 * changes these internals is mended here alone.
 */
public final class DeltaLogGateway
{
    private final SparkSession spark;

    public DeltaLogGateway(SparkSession spark)
    {
        this.spark = requireNonNull(spark, "spark is null");
    }

    /** The add actions of the table's current snapshot: one row per data file, with its partition values and size. */
    public Dataset<Row> dataFiles(String location)
    {
        return snapshot(location).allFiles().toDF();
    }

    /**
     * Writes a log checkpoint of the current snapshot and removes log files older than the log retention.
     *
     * @return the version checkpointed
     */
    public long checkpointAndCleanUp(String location)
    {
        DeltaLog log = DeltaLog.forTable(spark, requireNonNull(location, "location is null"));
        Snapshot snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
        log.checkpointAndCleanUpDeltaLog(snapshot, scala.Option.empty());
        return snapshot.version();
    }

    /**
     * The table's latest version this process knows of and the version of the log checkpoint that snapshot starts
     * from (-1: none). Cheap: no listing when this process committed last, since Delta keeps the post-commit snapshot.
     */
    public LogPosition position(String location)
    {
        DeltaLog log = DeltaLog.forTable(spark, requireNonNull(location, "location is null"));
        Snapshot snapshot = log.unsafeVolatileSnapshot();
        if (snapshot == null || snapshot.version() < 0) {
            snapshot = log.update(false, scala.Option.empty(), scala.Option.empty());
        }
        return new LogPosition(snapshot.version(), snapshot.logSegment().checkpointProvider().version());
    }

    /** @param checkpointVersion -1 when the log has no checkpoint */
    public record LogPosition(long version, long checkpointVersion) {}

    private Snapshot snapshot(String location)
    {
        return DeltaLog.forTable(spark, location).update(false, scala.Option.empty(), scala.Option.empty());
    }
}
