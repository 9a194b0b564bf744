package io.sluice.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.col;

/** The quarantine late policy: events older than the watermark get reason LATE, so enforcement quarantines them. */
public final class LateEvents
{
    private LateEvents() {}

    /** @param routed rows of {@link ContractEnforcer#route}, all of them late */
    public static Dataset<Row> markLate(Dataset<Row> routed)
    {
        return routed.withColumn(ContractEnforcer.REASONS, concat(col(ContractEnforcer.REASONS),
                array(Reasons.reason(lit(EnvelopeColumns.TIME), QuarantineReason.LATE,
                        lit("Event time is older than the dedup watermark; the late policy is quarantine")))));
    }
}
