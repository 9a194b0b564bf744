package io.sluice.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import scala.Option;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Rows computed once and kept on the executors (packed in memory, spilling to disk) as a Spark local checkpoint,
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
    private final JavaRDD<byte[]> chunks;
    private final Row aggregates;
    /** Per fold given to {@link #of(Dataset, List, List)}, the summaries of its partitions. */
    private final Map<RowFold<?>, CollectionAccumulator<Serializable>> folded;

    private LocalCheckpoint(Dataset<Row> rows, JavaRDD<byte[]> chunks, Row aggregates, Map<RowFold<?>, CollectionAccumulator<Serializable>> folded)
    {
        this.rows = rows;
        this.chunks = chunks;
        this.aggregates = aggregates;
        this.folded = folded;
    }

    /** Computes the rows now (a Spark job) and keeps them, packed into a few large arrays per partition. */
    public static LocalCheckpoint of(Dataset<Row> plan)
    {
        requireNonNull(plan, "plan is null");
        return keep(plan, Row.empty(), List.of());
    }

    /**
     * Like {@link #of(Dataset)}, and computes {@code aggregates} (aggregate expressions, e.g. {@code count_if}) over
     * the rows in the same pass, as Spark's observed metrics: the tasks that compute the rows fold them into
     * accumulators, which the driver has merged when the job returns. Counting what the rows hold then costs no
     * Spark job of its own, and no shuffle.
     */
    public static LocalCheckpoint of(Dataset<Row> plan, List<Column> aggregates)
    {
        return of(plan, aggregates, List.of());
    }

    /**
     * Like {@link #of(Dataset, List)}, and folds each partition's rows with each of {@code folds} in the same pass
     * (see {@link RowFold}); {@link #folded(RowFold)} then has the summaries.
     */
    public static LocalCheckpoint of(Dataset<Row> plan, List<Column> aggregates, List<? extends RowFold<?>> folds)
    {
        requireNonNull(plan, "plan is null");
        requireNonNull(aggregates, "aggregates is null");
        requireNonNull(folds, "folds is null");
        if (aggregates.isEmpty()) {
            return keep(plan, Row.empty(), folds);
        }
        Dataset<Row> observed = plan.observe(AGGREGATES, aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
        LocalCheckpoint kept = keep(observed, Row.empty(), folds);
        // Read from the plan that ran, not through an Observation, whose value arrives later, on the listener bus.
        Option<Row> values = observed.queryExecution().observedMetrics().get(AGGREGATES);
        if (values.isEmpty()) {
            kept.close();
            throw new IllegalStateException("Spark returned no observed metrics for the local checkpoint of " + plan.queryExecution().logical().nodeName());
        }
        return new LocalCheckpoint(kept.rows, kept.chunks, values.get(), kept.folded);
    }

    /**
     * Runs the plan (a Spark job) and keeps its rows packed ({@link PackedRows}) in the block manager, in memory and
     * spilling to disk, as a local checkpoint: once computed, the blocks forget how they were made. Packed, a block is
     * a few arrays whose size the memory store reads off their length, and each reader reads the rows in place.
     * (Kept as row objects, the store estimated each block's size by sampling its rows with reflection: 15% of the job
     * storing them. Kept serialized, every reader ran them through a Java object stream: a fifth of a batch's executor
     * time, when six writes read a batch.)
     */
    private static LocalCheckpoint keep(Dataset<Row> plan, Row aggregates, List<? extends RowFold<?>> folds)
    {
        StructType schema = plan.schema();
        JavaRDD<InternalRow> computed = plan.queryExecution().toRdd().toJavaRDD();
        Map<RowFold<?>, CollectionAccumulator<Serializable>> folded = new IdentityHashMap<>();
        if (!folds.isEmpty()) {
            List<RowFold<?>> taskFolds = List.copyOf(folds);
            List<CollectionAccumulator<Serializable>> results = new ArrayList<>();
            for (RowFold<?> fold : taskFolds) {
                CollectionAccumulator<Serializable> result = new CollectionAccumulator<>();
                plan.sparkSession().sparkContext().register(result);
                results.add(result);
                folded.put(fold, result);
            }
            // In the stage that runs count(), a result stage: Spark merges each partition's accumulator updates once,
            // however often its task is attempted.
            computed = computed.mapPartitions(partition -> new Folding(partition, taskFolds, results));
        }
        JavaRDD<byte[]> chunks = PackedRows.pack(computed, schema);
        chunks.persist(StorageLevel.MEMORY_AND_DISK());
        chunks.rdd().localCheckpoint();
        chunks.count();
        // Spark's own checkpoint builds its leaf the same way; the session method is internal, so it is named here once.
        Dataset<Row> rows = ((SparkSession) plan.sparkSession()).internalCreateDataFrame(PackedRows.unpack(chunks, schema.size()).rdd(), schema, false);
        return new LocalCheckpoint(rows, chunks, aggregates, folded);
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

    /**
     * The summaries {@code fold} made of the partitions, one per partition, in no particular order.
     *
     * @throws IllegalArgumentException if {@code fold} was not given to {@link #of(Dataset, List, List)}
     */
    @SuppressWarnings("unchecked")
    public <S extends Serializable> List<S> folded(RowFold<S> fold)
    {
        requireNonNull(fold, "fold is null");
        CollectionAccumulator<Serializable> result = folded.get(fold);
        if (result == null) {
            throw new IllegalArgumentException("The local checkpoint did not fold its rows with " + fold);
        }
        // Only fold's own partitions put summaries into its accumulator, and they are S.
        return (List<S>) (List<?>) List.copyOf(result.value());
    }

    /** The partitions the rows are kept in: the tasks of every job that reads all of them. */
    public int partitions()
    {
        return chunks.getNumPartitions();
    }

    /** Frees the blocks now rather than when the driver's garbage collector finds them unused. */
    @Override
    public void close()
    {
        chunks.unpersist(false);
    }

    /** Hands each row to every fold as the pass reads it, and each fold's summary to the driver after the last row. */
    private static final class Folding
            implements Iterator<InternalRow>
    {
        private final Iterator<InternalRow> rows;
        private final List<RowFold.Partition<?>> partitions = new ArrayList<>();
        private final List<CollectionAccumulator<Serializable>> results;
        private boolean published;

        Folding(Iterator<InternalRow> rows, List<RowFold<?>> folds, List<CollectionAccumulator<Serializable>> results)
        {
            this.rows = rows;
            this.results = results;
            folds.forEach(fold -> partitions.add(fold.start()));
        }

        @Override
        public boolean hasNext()
        {
            if (rows.hasNext()) {
                return true;
            }
            if (!published) {
                published = true;
                for (int i = 0; i < partitions.size(); i++) {
                    Object summary = requireNonNull(partitions.get(i).result(), "a fold returned no summary");
                    results.get(i).add((Serializable) summary);
                }
            }
            return false;
        }

        @Override
        public InternalRow next()
        {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            InternalRow row = rows.next();
            for (RowFold.Partition<?> partition : partitions) {
                partition.add(row);
            }
            return row;
        }
    }
}
