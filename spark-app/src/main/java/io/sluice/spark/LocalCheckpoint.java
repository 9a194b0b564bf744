package io.sluice.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;

import static java.util.Objects.requireNonNull;

/**
 * Rows computed once and kept on the executors (serialized in memory, spilling to disk) as a Spark local checkpoint,
 * for several outputs to read. Unlike a cache, what is built on them plans against a leaf without lineage: a cache
 * keeps the plan that computed the rows, which every later query analyzes, canonicalizes to find the cache and ships to
 * every task (the routing's thousands of expressions: about 1.5 MB per task, and a tenth of a second or more of driver
 * time per query), and it re-encodes rows into compressed columns. The cost: a lost executor loses its blocks, and the
 * job that reads them fails instead of recomputing them; every user of this class can be re-run (a micro-batch is, on
 * restart; a backfill or replay inserts only what is missing).
 */
public final class LocalCheckpoint
        implements AutoCloseable
{
    private final Dataset<Row> rows;

    private LocalCheckpoint(Dataset<Row> rows)
    {
        this.rows = rows;
    }

    /**
     * Computes the rows now (a Spark job) and keeps them serialized. Kept as objects, each block's size is estimated
     * by sampling the rows with reflection as they are stored ({@code SizeEstimator}: 15% of a 50,000-record batch's
     * dedup-and-store stage in a JFR profile), and the batch's rows sit on the heap as tens of thousands of objects
     * until it ends. Serialized, a block is its bytes, and each reader deserializes the rows it reads.
     */
    public static LocalCheckpoint of(Dataset<Row> plan)
    {
        requireNonNull(plan, "plan is null");
        return new LocalCheckpoint(plan.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK_SER()));
    }

    public Dataset<Row> rows()
    {
        return rows;
    }

    /** Frees the blocks now rather than when the driver's garbage collector finds them unused. */
    @Override
    public void close()
    {
        if (rows.queryExecution().logical() instanceof LogicalRDD checkpointed) {
            checkpointed.rdd().unpersist(false);
        }
    }
}
