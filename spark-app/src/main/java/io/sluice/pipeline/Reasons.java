package io.sluice.pipeline;

import io.sluice.table.QuarantineColumns;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * The one place quarantine reasons are built: {@code struct<field_path, rule, message>} column expressions.
 *
 * <p>Checks keep their condition apart from their reason because of cost: Spark evaluates higher-order functions
 * ({@code filter}, {@code transform}) and everything beneath them without code generation, so the reasons array
 * is only built for rows where the OR of the (generated-code) conditions says something is wrong.
 */
final class Reasons
{
    static final StructType TYPE = QuarantineColumns.REASON_TYPE;
    static final ArrayType ARRAY_TYPE = QuarantineColumns.REASONS_TYPE;
    private static final int MAX_VALUE_CHARS = 80;

    /** One reason when {@code condition} holds (a null condition does not hold). */
    record Check(Column condition, Column reason)
    {
        Check
        {
            requireNonNull(condition, "condition is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** Any number of reasons, present when {@code violation} holds; {@code reasons} may hold nulls, dropped later. */
    record ArrayCheck(Column violation, Column reasons)
    {
        ArrayCheck
        {
            requireNonNull(violation, "violation is null");
            requireNonNull(reasons, "reasons is null");
        }
    }

    private Reasons() {}

    static Column reason(Column path, QuarantineReason rule, Column message)
    {
        return struct(path.as("field_path"), lit(rule.name()).as("rule"), message.as("message"));
    }

    static Check check(Column condition, String path, QuarantineReason rule, String message)
    {
        return check(condition, lit(path), rule, lit(message));
    }

    static Check check(Column condition, Column path, QuarantineReason rule, Column message)
    {
        return new Check(condition, reason(path, rule, message));
    }

    /** "Invalid {path}: {before}{value}{after}", the value shortened. */
    static Column invalid(Column path, String before, Column value, String after)
    {
        return concat(lit("Invalid "), path, lit(": "), quoting(before, value, after));
    }

    /** A message quoting the offending value, shortened so one bad record cannot bloat the quarantine table. */
    static Column quoting(String before, Column value, String after)
    {
        Column text = value.cast(DataTypes.StringType);
        Column shortened = when(functions.length(text).gt(MAX_VALUE_CHARS), concat(functions.substring(text, 1, MAX_VALUE_CHARS), lit("...")))
                .otherwise(text);
        return concat(lit(before), coalesce(shortened, lit("null")), lit(after));
    }

    static Column empty()
    {
        return functions.array().cast(ARRAY_TYPE);
    }

    /**
     * True when any check holds; never null. One coalesce over the whole OR, not one per condition: Spark's
     * NullPropagation reduces {@code coalesce(x, false)} with a never-null {@code x} to {@code coalesce(x)} and only on its
     * next pass to {@code x}, and each such pass is one more run of the optimizer's rule batch over the whole routing.
     */
    static Column anyViolation(List<Check> checks, List<ArrayCheck> arrays)
    {
        List<Column> conditions = new ArrayList<>();
        checks.forEach(check -> conditions.add(check.condition()));
        arrays.forEach(array -> conditions.add(array.violation()));
        return conditions.stream().reduce(Column::or).map(any -> coalesce(any, lit(false))).orElse(lit(false));
    }

    /** The sum of integer terms, with no literal zero for the optimizer to fold away pass by pass. */
    static Column sum(List<Column> terms)
    {
        return terms.stream().reduce(Column::plus).orElse(lit(0));
    }

    /** The reasons of all holding checks with nulls for the others, at any cost: evaluate only for violating rows. */
    static Column all(List<Check> checks, List<ArrayCheck> arrays)
    {
        List<Column> parts = new ArrayList<>();
        if (!checks.isEmpty()) {
            parts.add(functions.array(checks.stream().map(check -> when(check.condition(), check.reason())).toArray(Column[]::new)));
        }
        arrays.forEach(array -> parts.add(coalesce(when(array.violation(), array.reasons()), empty())));
        if (parts.isEmpty()) {
            return empty();
        }
        return parts.size() == 1 ? parts.get(0) : concat(parts.toArray(Column[]::new));
    }
}
