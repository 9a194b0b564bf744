package io.sluice.sink;


import java.util.Map;

import static java.util.Objects.requireNonNull;

/** The tables one Sluice pipeline writes: bronze, one silver table per dataset, quarantine and the audit log. */
public record SluiceTables(TableSpec bronze, Map<String, TableSpec> silver, TableSpec quarantine, TableSpec audit)
{
    public SluiceTables
    {
        requireNonNull(bronze, "bronze is null");
        silver = Map.copyOf(requireNonNull(silver, "silver is null"));
        requireNonNull(quarantine, "quarantine is null");
        requireNonNull(audit, "audit is null");
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
