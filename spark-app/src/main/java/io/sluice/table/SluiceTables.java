package io.sluice.table;


import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The tables one Sluice pipeline writes: bronze, one silver table per dataset, quarantine and the audit log. */
public record SluiceTables(TableSpec bronze, Map<String, TableSpec> silver, TableSpec quarantine, TableSpec audit)
{
    public SluiceTables
    {
        requireNonNull(bronze, "bronze is null");
        silver = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(requireNonNull(silver, "silver is null")));
        requireNonNull(quarantine, "quarantine is null");
        requireNonNull(audit, "audit is null");
    }

    /** The tables of a lake, with silver schemas from the contracts. */
    public static SluiceTables create(LakeLayout layout, TableNames names, Map<String, StructType> silverSchemas)
    {
        requireNonNull(layout, "layout is null");
        requireNonNull(names, "names is null");
        Map<String, TableSpec> silver = new java.util.TreeMap<>();
        silverSchemas.forEach((table, schema) -> silver.put(table,
                new TableSpec(table, layout.silver(table), schema, List.of("event_date", "event_type"), false)));
        return new SluiceTables(
                new TableSpec(names.bronze(), layout.bronze(names.bronze()), BronzeRecords.SCHEMA, BronzeRecords.PARTITION_COLUMNS, true),
                silver,
                new TableSpec(names.quarantine(), layout.quarantine(names.quarantine()), QuarantineColumns.SCHEMA,
                        QuarantineColumns.PARTITION_COLUMNS, false),
                new TableSpec(names.audit(), layout.audit(names.audit()), AuditColumns.SCHEMA, AuditColumns.PARTITION_COLUMNS, true));
    }

    /** The configurable names of the tables that are not per dataset. */
    public record TableNames(String bronze, String quarantine, String audit)
    {
        public TableNames
        {
            requireNonNull(bronze, "bronze is null");
            requireNonNull(quarantine, "quarantine is null");
            requireNonNull(audit, "audit is null");
        }
    }

    /** Every table, bronze first: the order they are created and listed in. */
    public List<TableSpec> all()
    {
        List<TableSpec> all = new java.util.ArrayList<>();
        all.add(bronze);
        all.addAll(silver.values());
        all.add(quarantine);
        all.add(audit);
        return all;
    }

    public TableSpec silver(String table)
    {
        TableSpec spec = silver.get(table);
        if (spec == null) {
            throw new IllegalArgumentException("Unknown silver table: " + table);
        }
        return spec;
    }
}
