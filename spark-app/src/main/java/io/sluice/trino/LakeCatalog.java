package io.sluice.trino;

import io.sluice.marts.GoldMarts;
import io.sluice.table.TableSpec;
import io.sluice.lake.Lake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What the Glue Data Catalog holds for a lake, registered in a local Trino: bronze, every silver table, quarantine, the
 * audit table and the gold marts. Tables not created yet (no {@code _delta_log}) are left out, as a Glue table without
 * data would fail in Athena too.
 */
public final class LakeCatalog
{
    private LakeCatalog() {}

    /** Every table of the lake that exists, with its location, in catalog order. */
    public static List<TableSpec> tables(Lake lake)
    {
        requireNonNull(lake, "lake is null");
        List<TableSpec> tables = new ArrayList<>(lake.tables().all());
        tables.addAll(GoldMarts.tables(lake.layout()));
        return tables.stream().filter(LakeCatalog::exists).toList();
    }

    /** Registers {@link #tables} in {@code trino}; returns their names. */
    public static List<String> register(LocalTrino trino, Lake lake)
    {
        List<String> names = new ArrayList<>();
        for (TableSpec table : tables(lake)) {
            trino.registerTable(table.name(), table.location());
            names.add(table.name());
        }
        return names;
    }

    private static boolean exists(TableSpec table)
    {
        String location = table.location();
        if (location.contains("://") && !location.startsWith("file:")) {
            // Remote lakes (s3a://) are not for the local Trino; registerTable says so by name.
            return true;
        }
        Path path = Path.of(location.startsWith("file:") ? java.net.URI.create(location).getPath() : location);
        return Files.isDirectory(path.resolve("_delta_log"));
    }
}
