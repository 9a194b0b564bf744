package io.sluice.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/** The one place quarantine reasons are built: {@code struct<field_path, rule, message>} column expressions. */
final class Reasons
{
    static final StructType TYPE = new StructType()
            .add("field_path", DataTypes.StringType, false)
            .add("rule", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, true);
    static final ArrayType ARRAY_TYPE = DataTypes.createArrayType(TYPE, false);
    private static final int MAX_VALUE_CHARS = 80;

    private Reasons() {}

    static Column reason(Column path, QuarantineReason rule, Column message)
    {
        return struct(path.as("field_path"), lit(rule.name()).as("rule"), message.as("message"));
    }

    /** A reason when {@code condition} holds, else null (dropped by {@link #collect}). */
    static Column check(Column condition, String path, QuarantineReason rule, Column message)
    {
        return when(condition, reason(lit(path), rule, message));
    }

    static Column check(Column condition, String path, QuarantineReason rule, String message)
    {
        return check(condition, path, rule, lit(message));
    }

    static Column check(Column condition, Column path, QuarantineReason rule, Column message)
    {
        return when(condition, reason(path, rule, message));
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

    /** All non-null reasons of {@code singles} (nullable reason structs) and {@code arrays} (nullable reason arrays). */
    static Column collect(List<Column> singles, List<Column> arrays)
    {
        List<Column> parts = new ArrayList<>();
        if (!singles.isEmpty()) {
            parts.add(functions.array(singles.toArray(Column[]::new)));
        }
        arrays.forEach(array -> parts.add(coalesce(array, empty())));
        if (parts.isEmpty()) {
            return empty();
        }
        Column all = parts.size() == 1 ? parts.get(0) : concat(parts.toArray(Column[]::new));
        return functions.filter(all, Column::isNotNull);
    }
}
