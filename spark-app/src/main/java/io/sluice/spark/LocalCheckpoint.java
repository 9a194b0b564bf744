package io.sluice.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Option;

import java.util.List;

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
    /** The name of the observed metrics that {@link #of(Dataset, List)} computes. */
    private static final String AGGREGATES = "sluice_local_checkpoint";

    private final Dataset<Row> rows;
    private final Row aggregates;

    private LocalCheckpoint(Dataset<Row> rows, Row aggregates)
    {
        this.rows = rows;
        this.aggregates = aggregates;
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
        return new LocalCheckpoint(plan.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK_SER()), Row.empty());
    }

    /**
     * Like {@link #of(Dataset)}, and computes {@code aggregates} (aggregate expressions, e.g. {@code count_if}) over
     * the rows in the same pass, as Spark's observed metrics: the tasks that compute the rows fold them into
     * accumulators, which the driver has merged when the job returns. Counting what the rows hold then costs no
     * Spark job of its own, and no shuffle.
     */
    public static LocalCheckpoint of(Dataset<Row> plan, List<Column> aggregates)
    {
        requireNonNull(plan, "plan is null");
        requireNonNull(aggregates, "aggregates is null");
        if (aggregates.isEmpty()) {
            return of(plan);
        }
        Dataset<Row> observed = plan.observe(AGGREGATES, aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
        Dataset<Row> rows = observed.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK_SER());
        // Read from the plan that ran, not through an Observation, whose value arrives later, on the listener bus.
        Option<Row> values = observed.queryExecution().observedMetrics().get(AGGREGATES);
        if (values.isEmpty()) {
            throw new IllegalStateException("Spark returned no observed metrics for the local checkpoint of " + plan.queryExecution().logical().nodeName());
        }
        return new LocalCheckpoint(rows, values.get());
    }

    public Dataset<Row> rows()
    {
        return rows;
    }

    /** The values of the aggregates given to {@link #of(Dataset, List)}, in their order; an empty row without. */
    public Row aggregates()
    {
        return aggregates;
    }

    /** The partitions the rows are kept in: the tasks of every job that reads all of them. */
    public int partitions()
    {
        return rows.queryExecution().logical() instanceof LogicalRDD checkpointed ? checkpointed.rdd().getNumPartitions() : rows.rdd().getNumPartitions();
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
