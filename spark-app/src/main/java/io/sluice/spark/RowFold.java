package io.sluice.spark;

import org.apache.spark.sql.catalyst.InternalRow;

import java.io.Serializable;

/**
 * A summary of rows that the pass computing them folds as it goes: {@link LocalCheckpoint} folds each partition's
 * rows while it packs them and hands the driver one summary per partition, so the summary costs no Spark job of its
 * own (a job is tens of milliseconds of scheduling even over one row, and a second pass over the kept rows).
 *
 * <p>The fold is serialized to the tasks; each task starts its own {@link Partition} with {@link #start()}.
 *
 * @param <S> one partition's summary, sent from the task to the driver
 */
public interface RowFold<S extends Serializable>
        extends Serializable
{
    /** A new, empty fold of one partition's rows. */
    Partition<S> start();

    /** The fold of one partition, used by one task. */
    interface Partition<S>
    {
        /** Adds a row, in the plan's schema; the row may be reused once this returns, so what is kept is copied. */
        void add(InternalRow row);

        /** The summary of the rows added so far. */
        S result();
    }
}
