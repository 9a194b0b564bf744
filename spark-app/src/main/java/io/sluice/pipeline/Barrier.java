package io.sluice.pipeline;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.when;

/**
 * Keeps an expensive column computed once, where it is defined.
 *
 * <p>Catalyst pushes a Filter below a Project by substituting the Project's expressions into the predicate, with no
 * regard for their cost: filtering on {@code size(reasons) = 0} would copy every {@code from_json} of the routing
 * into the predicate and evaluate each again per reference. Spark never pushes a predicate through, nor collapses
 * into its consumer, a Project with a nondeterministic expression; wrapping the value in a condition on the
 * (nondeterministic, constant per task, free) partition id makes its Project such a barrier without changing it.
 */
final class Barrier
{
    private Barrier() {}

    static Column materialized(Column value)
    {
        return when(spark_partition_id().geq(0), value);
    }
}
