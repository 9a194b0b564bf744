package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the Glue Data Catalog and Schema Registry should hold, independent of where it comes from: the
 * stack gets one of these, {@link ContractCatalogModel} builds it from the data contracts.
 */
public record CatalogModel(List<Table> tables, List<DatasetSchema> schemas)
{

    // Hive/Glue identifiers: lower case, so Athena, Spark and Glue agree on the name.
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    // Glue Schema Registry names: letters, digits, '-', '_', '$', '#', '.'.
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-zA-Z0-9\\-_$#.]{1,255}");

    public CatalogModel
    {
        tables = List.copyOf(requireNonNull(tables, "tables"));
        schemas = List.copyOf(requireNonNull(schemas, "schemas"));
        unique(tables.stream().map(Table::name).toList(), "table");
        unique(schemas.stream().map(DatasetSchema::dataset).toList(), "schema");
    }

    public static CatalogModel empty()
    {
        return new CatalogModel(List.of(), List.of());
    }

    /** A column as Glue stores it: Hive type syntax ({@code struct<a:string>}, {@code bigint}, ...). */
    public record Column(String name, String type, String comment)
    {
        public Column
        {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            check(IDENTIFIER.matcher(name).matches(), "column name must be a lower-case identifier: " + name);
            check(!type.isBlank(), "column " + name + " has no type");
        }
    }

    /**
     * A Delta table at {@code location} (a key prefix in the lake bucket, e.g. {@code silver/<name>/}): its
     * columns in schema order, then the columns Delta partitions by, in partitioning order.
     */
    public record Table(String name, String location, String description, List<Column> columns,
                        List<Column> partitionKeys)
                        {
        public Table
        {
            requireNonNull(name, "name");
            requireNonNull(location, "location");
            requireNonNull(description, "description");
            columns = List.copyOf(requireNonNull(columns, "columns"));
            partitionKeys = List.copyOf(requireNonNull(partitionKeys, "partitionKeys"));
            check(IDENTIFIER.matcher(name).matches(), "table name must be a lower-case identifier: " + name);
            check(location.endsWith("/") && !location.startsWith("/"),
                    "location must be a key prefix ending in '/': " + location);
            check(!columns.isEmpty(), "table " + name + " has no columns");
            unique(Stream.concat(columns.stream(), partitionKeys.stream()).map(Column::name).toList(),
                    "column of " + name);
        }
    }

    /** One dataset's event-data JSON Schema, as registered in the Glue Schema Registry. */
    public record DatasetSchema(String dataset, int version, String description, String jsonSchema)
    {
        public DatasetSchema
        {
            requireNonNull(dataset, "dataset");
            requireNonNull(description, "description");
            requireNonNull(jsonSchema, "jsonSchema");
            check(SCHEMA_NAME.matcher(dataset).matches(), "not a valid schema registry name: " + dataset);
            check(version >= 1, "version must be positive: " + version);
            // The Schema Registry limit for a schema definition.
            check(jsonSchema.length() <= 170_000, "schema of " + dataset + " is over 170,000 characters");
        }
    }

    private static void unique(List<String> names, String what)
    {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            check(seen.add(name), "duplicate " + what + ": " + name);
        }
    }

    private static void check(boolean condition, String message)
    {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
