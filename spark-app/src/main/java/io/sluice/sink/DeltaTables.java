package io.sluice.sink;

import io.sluice.table.TableProperties;
import io.sluice.table.TableSpec;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * Creates Sluice's tables and evolves them: a table that exists gets the new nullable columns of its spec appended
 * (metadata only, no data rewritten); a column that changed type or disappeared is refused, because contracts only
 * evolve compatibly.
 */
public final class DeltaTables
{
    /** Bronze, quarantine, audit and the silver tables of a few contracts at once; more only queue on the driver. */
    private static final int MAX_PARALLEL_TABLES = 6;

    private final SparkSession spark;

    public DeltaTables(SparkSession spark)
    {
        this.spark = requireNonNull(spark, "spark is null");
    }

    /**
     * Ensures every table, side by side: each is a few seconds of single-threaded driver work on a cold JVM (parsing,
     * analysis, a first commit), and the tables are independent.
     */
    public void ensureAll(List<TableSpec> specs)
    {
        requireNonNull(specs, "specs is null");
        if (specs.size() < 2) {
            specs.forEach(this::ensure);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(specs.size(), MAX_PARALLEL_TABLES));
        try {
            List<Future<?>> ensured = new ArrayList<>();
            for (TableSpec spec : specs) {
                ensured.add(pool.submit(() -> ensure(spec)));
            }
            // Every table is waited for, so none is left half-way when one fails; the first failure is reported.
            RuntimeException failure = null;
            for (Future<?> table : ensured) {
                try {
                    table.get();
                }
                catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new IllegalStateException("Cannot create or evolve a table: " + e.getCause().getMessage(), e.getCause());
                    if (failure == null) {
                        failure = cause;
                    }
                    else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating or evolving tables", e);
        }
        finally {
            pool.shutdownNow();
        }
    }

    public void ensure(TableSpec spec)
    {
        requireNonNull(spec, "spec is null");
        if (!DeltaTable.isDeltaTable(spark, spec.location())) {
            DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark)
                    .location(spec.location())
                    .addColumns(storable(spec.schema()))
                    .partitionedBy(spec.partitionColumns().toArray(String[]::new));
            for (Map.Entry<String, String> property : TableProperties.forTable(spec).entrySet()) {
                builder = builder.property(property.getKey(), property.getValue());
            }
            builder.execute();
            return;
        }
        StructType existing = DeltaTable.forPath(spark, spec.location()).toDF().schema();
        List<StructField> added = new ArrayList<>();
        for (StructField field : spec.schema().fields()) {
            Optional<StructField> current = find(existing, field.name());
            if (current.isEmpty()) {
                added.add(field);
            }
            else if (!current.get().dataType().sameType(field.dataType()) && !widensStruct(current.get(), field)) {
                throw new IllegalStateException("Cannot evolve table %s: column %s is %s in the table but %s in its contract"
                        .formatted(spec.name(), field.name(), current.get().dataType().simpleString(), field.dataType().simpleString()));
            }
        }
        if (!added.isEmpty()) {
            StringBuilder columns = new StringBuilder();
            for (StructField field : added) {
                if (columns.length() > 0) {
                    columns.append(", ");
                }
                columns.append('`').append(field.name()).append("` ").append(field.dataType().sql());
            }
            spark.sql("ALTER TABLE delta.`%s` ADD COLUMNS (%s)".formatted(spec.location(), columns));
        }
    }

    /**
     * The schema as the table stores it: NOT NULL only on top-level columns. Delta refuses NOT NULL inside arrays and
     * maps, and its MERGE cannot cast a struct with nullable fields into one with NOT NULL fields; enforcement has
     * already checked nested required fields, so the table need not.
     */
    static StructType storable(StructType schema)
    {
        StructField[] fields = new StructField[schema.fields().length];
        for (int i = 0; i < fields.length; i++) {
            StructField field = schema.fields()[i];
            fields[i] = new StructField(field.name(), storable(field.dataType()), field.nullable(), field.metadata());
        }
        return new StructType(fields);
    }

    private static DataType storable(DataType type)
    {
        if (type instanceof StructType struct) {
            StructField[] fields = new StructField[struct.fields().length];
            for (int i = 0; i < fields.length; i++) {
                StructField field = struct.fields()[i];
                fields[i] = new StructField(field.name(), storable(field.dataType()), true, field.metadata());
            }
            return new StructType(fields);
        }
        if (type instanceof ArrayType array) {
            return new ArrayType(storable(array.elementType()), true);
        }
        if (type instanceof MapType map) {
            return new MapType(storable(map.keyType()), storable(map.valueType()), true);
        }
        return type;
    }

    private static Optional<StructField> find(StructType schema, String name)
    {
        for (StructField field : schema.fields()) {
            if (field.name().equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /** A nested struct that gained optional fields is a compatible change; Delta evolves it on write with mergeSchema. */
    private static boolean widensStruct(StructField current, StructField wanted)
    {
        if (!(current.dataType() instanceof StructType currentStruct) || !(wanted.dataType() instanceof StructType wantedStruct)) {
            return false;
        }
        for (StructField field : currentStruct.fields()) {
            Optional<StructField> match = find(wantedStruct, field.name());
            if (match.isEmpty() || !(match.get().dataType().sameType(field.dataType()) || widensStruct(field, match.get()))) {
                return false;
            }
        }
        return true;
    }
}
