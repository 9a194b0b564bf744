package io.sluice.table;

import org.apache.spark.sql.types.StructType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A Delta table Sluice writes: where it is, its schema, how it is partitioned, and whether rows may change. */
public record TableSpec(String name, String location, StructType schema, List<String> partitionColumns, boolean appendOnly)
{
    public TableSpec
    {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
        requireNonNull(schema, "schema is null");
        partitionColumns = List.copyOf(requireNonNull(partitionColumns, "partitionColumns is null"));
        for (String column : partitionColumns) {
            if (!List.of(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException("Invalid partition column for table %s: %s is not in its schema".formatted(name, column));
            }
        }
    }
}
