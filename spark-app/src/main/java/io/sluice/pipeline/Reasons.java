package io.sluice.pipeline;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

/**
 * Quarantine reasons added by a column expression after a record was read ({@link LateEvents}); those found while
 * reading are built by {@link Reading} in the same {@code struct<field_path, rule, message>} shape.
 */
final class Reasons
{
    private Reasons() {}

    static Column reason(Column path, QuarantineReason rule, Column message)
    {
        return struct(path.as("field_path"), lit(rule.name()).as("rule"), message.as("message"));
    }
}
